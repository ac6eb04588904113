"""`python -m tests.index.cli.loopback ARGS`: `python -m index ARGS` whose fetcher may reach
127.0.0.1, for the tests of URL commands against a server of their own. Only the loopback check
is lifted, by the same switch the in-process tests give the fetcher (allow_loopback); every other
check holds, and nothing in index/ reads a setting or a variable for it."""
from __future__ import annotations

from index.cli import main
from index.ingest import fetching

_resolve = fetching.resolve
fetching.resolve = lambda host, port, allow_loopback=False: _resolve(host, port, allow_loopback=True)

raise SystemExit(main())
