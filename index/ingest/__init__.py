"""Ingest: files and pages into Documents (`reading`, `fetching`), Documents into Passages
(`passages`). Nothing here knows about the store or questions."""
