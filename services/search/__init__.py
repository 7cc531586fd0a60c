"""Search service: the `articles` index behind GET /v1/search, and an Arabic search page for it."""
