"""Content operations for moderators and the CLI: add, remove, reindex, rollback, history,
each locked per corpus and audited (`operations`)."""
