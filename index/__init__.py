"""Verbatim's engine: reading, passages, the store, retrieval, answers and summaries.

Nothing in this package imports discord: the bot is one front-end of several.
"""
