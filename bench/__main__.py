"""`python -m bench` (or `make bench`): every benchmark in turn, each with its same-run baseline."""
from __future__ import annotations

import importlib
import sys

BENCHES = ("engine", "summaries", "content", "corpora", "scopes", "feeds", "keeping", "concurrent_reindex",
           "interactions", "scale")  # scale: --quick


def main() -> int:
    failed = []
    for name in BENCHES:
        print(f"== bench.{name}", flush=True)
        if importlib.import_module(f"bench.{name}").main() not in (0, None):
            failed.append(name)
    if failed:
        print(f"targets missed in: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
