"""Building blocks for the pages: figure builders that take tidy frames, and small Streamlit render helpers."""
