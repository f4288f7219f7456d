"""Newslens: the router. Every page is a script in pages/; shared UI lives in pages/_shared.py."""

import streamlit as st

from pages._shared import PAGES, SS_PAGE_PATH, init_state, sidebar

st.set_page_config(page_title="Newslens", page_icon=":material/newspaper:", layout="wide")

page = st.navigation(
    [
        st.Page(
            p.path, title=p.title, url_path=p.url_path or None, icon=p.icon, default=not p.url_path
        )
        for p in PAGES
    ],
    position="sidebar",
)
st.session_state[SS_PAGE_PATH] = page.url_path
sidebar(init_state())
page.run()
