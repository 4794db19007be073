"""The login gate alone, driven by tests/app/test_login.py: a marker is written only behind it."""

import streamlit as st

from components.login import require_login

steward = require_login(st.query_params.get("lang", "en"))
if steward:
    st.markdown(f"Behind the gate, as {steward}.")
