"""The dashboard's front door: sign-in, then the pages this person's role may open."""
import streamlit as st

from ui import auth, navigation, theme

st.set_page_config(page_title="Livestream Ops", page_icon=":material/live_tv:", layout="wide")
theme.apply()
user = auth.signed_in_user()
navigation.pages_for(user).run()
