"""Text: normalisation and the tokenizer behind retrieval (`tokens`), sentence boundaries
(`sentences`), and the word lists every stage shares (`lexicon`, from `data/`)."""
