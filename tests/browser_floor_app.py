"""The floor under the browser test's first-page figure: a bare Streamlit page with one small plotly chart.

A fresh tab loads Streamlit's scripts and then plotly's (4.7 MB) before any chart draws; this page times that
alone, so the dashboard's own first-page time can be read against it (tests/test_browser.py).
"""
import plotly.graph_objects as go
import streamlit as st

st.title("Floor")
st.plotly_chart(go.Figure(go.Bar(x=["a", "b"], y=[3, 4])))
