"""Extractive summaries of the whole content, a document, a section or a topic (`summarise`)."""
