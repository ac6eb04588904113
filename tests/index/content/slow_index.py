"""`python -m index`, slowed down for the kill tests: after each document read, and after each
document written inside the store's transaction, it waits PAUSE seconds, so that a kill lands
where a test means it to. Usage: python slow_index.py PAUSE ARGS..."""
from __future__ import annotations

import sys
import time

from index.cli import main
from index.content import operations
from index.store import sqlite


def slowed(function, pause: float):
    def wrapper(*args, **kwargs):
        result = function(*args, **kwargs)
        time.sleep(pause)
        return result
    return wrapper


if __name__ == "__main__":
    pause = float(sys.argv[1])
    operations.ContentManager._split = slowed(operations.ContentManager._split, pause)
    sqlite.text_hash = slowed(sqlite.text_hash, pause)  # once per document written
    sys.exit(main(sys.argv[2:]))
