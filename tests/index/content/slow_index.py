"""`python -m index`, slowed down for the kill tests: after each document read, each document
staged in the store, each part of the index and each part of the vectors written (parts of 20
passages here), it waits
PAUSE seconds, so that a kill lands where a test means it to. Usage: python slow_index.py PAUSE ARGS..."""
from __future__ import annotations

import functools
import sys
import time

from index.cli import main
from index.cli.content import EmbeddingDisplay
from index.content import operations
from index.store import postings, staging, vectors


def slowed(function, pause: float):
    def wrapper(*args, **kwargs):
        result = function(*args, **kwargs)
        time.sleep(pause)
        return result
    return wrapper


if __name__ == "__main__":
    pause = float(sys.argv[1])
    operations.ContentManager._split = slowed(operations.ContentManager._split, pause)
    staging.text_hash = slowed(staging.text_hash, pause)  # once per document staged
    postings._write_part = slowed(postings._write_part, pause)  # once per part of the index
    postings.index_parts = functools.partial(postings.index_parts, size=20)
    vectors._write_part = slowed(vectors._write_part, pause)  # once per part of the vectors
    vectors.PART = 20
    EmbeddingDisplay.least = 0  # a line per part, for the kill to wait for
    sys.exit(main(sys.argv[2:]))
