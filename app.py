"""The dashboard's front door: sign-in, then the pages this person's role may open.

`streamlit run app.py` finds `app` below and serves this file's pages together with the extra routes
(each person's calendar feed); Streamlit then runs this file as "__main__" for every page a browser opens.
"""
import streamlit as st

from ui import auth, navigation, routes, theme, warmup
from ui.components import store_trouble

if __name__ == "__main__":
    # An emoji favicon is drawn by the browser itself; a ":material/...:" one would be fetched from Google's servers.
    st.set_page_config(page_title="Livestream Ops", page_icon="📺", layout="wide")
    theme.apply()
    try:
        with warmup.page_running():  # the background warm-up waits while a page runs
            store_trouble.run_page(lambda: navigation.pages_for(auth.signed_in_user()))
    finally:  # also when the page stops early (sign-in form, empty state): the page is drawn, the warm-up starts
        warmup.start()
else:
    app = st.App("app.py", routes=routes.ROUTES, lifespan=routes.lifespan)
