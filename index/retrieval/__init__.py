"""Retrieval: passages ranked for a question. BM25 with expansion (`bm25`), how rare a word is in
English (`rarity`), and meaning: sentence embeddings on onnxruntime (`embedding`, the model in
embedder/) fused with the words' score (`semantic`)."""
