"""The Streamlit layer: pages render, the libraries decide, the store persists."""
