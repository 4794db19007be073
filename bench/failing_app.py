"""A tiny app that fails on request, for `bench/load.py --self-check`: proof that the load driver counts every kind of
failure it claims to count, served with the project's own .streamlit/config.toml (tracebacks hidden, as in the app).

`?fail=` chooses what the page does: nothing (a clean run), `raise` (an uncaught exception), `error` (an st.error box),
`slow` (a run longer than the self-check's run timeout). Two pages, `/` and `/other`, so that unknown paths and page
hashes can be asked for.
"""

from __future__ import annotations

import time

import streamlit as st

SLOW_SECONDS = 5  # longer than the run timeout the self-check gives this app (bench/load.py SLOW_TIMEOUT)


def home() -> None:
    st.title("Failing on request")
    st.metric("Runs", 1)
    fail = st.query_params.get("fail", "")
    if fail == "raise":
        raise ValueError("raised on purpose by bench/failing_app.py")
    if fail == "error":
        st.error("an error box shown on purpose by bench/failing_app.py")
    if fail == "slow":
        time.sleep(SLOW_SECONDS)  # a script that takes too long: the condition under test is the driver's timeout
    st.write("done")


def other() -> None:
    st.title("Another page")


st.navigation([st.Page(home, title="Home", default=True), st.Page(other, title="Other", url_path="other")]).run()
