"""Typed spans in running text: names, quantities, dates, speakers, phrase chunks."""
