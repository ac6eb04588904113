"""`python -m tests.index.cli.loopback ARGS`: `python -m index ARGS` (or, with `--bot` first,
`python -m bot ARGS`) whose fetcher may reach 127.0.0.1, for the tests of URL commands against a
server of their own. Only the loopback check is lifted, by the same switch the in-process tests
give the fetcher (allow_loopback); every other check holds, and nothing in index/ or bot/ reads a
setting or a variable for it."""
from __future__ import annotations

import sys

from index.ingest import fetching

_resolve = fetching.resolve
fetching.resolve = lambda host, port, allow_loopback=False: _resolve(host, port, allow_loopback=True)

if sys.argv[1:2] == ["--bot"]:
    from bot.__main__ import main as bot_main
    raise SystemExit(bot_main(sys.argv[2:]))

from index.cli import main  # noqa: E402 - after the switch, as the command line would import it

raise SystemExit(main())
