"""One file per page; each reads top to bottom like what the user sees."""
