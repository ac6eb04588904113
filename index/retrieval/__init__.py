"""Retrieval: passages ranked for a question. BM25 with expansion (`bm25`), how rare a word is in
English (`rarity`), and the optional semantic re-ranker (`reranking`)."""
