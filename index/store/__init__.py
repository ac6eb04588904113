"""The store: versioned corpora in one SQLite file (`sqlite`), with the audit trail. The engine
and content operations reach it through `Store` only."""
