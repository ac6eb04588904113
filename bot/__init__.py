"""Verbatim on Discord: a thin adapter over `index` (see bot/__main__.py for the entry point)."""
