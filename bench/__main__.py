"""`python -m bench`: see the package docstring; `--no-postgresql` skips PostgreSQL."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bench import run


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--no-postgresql",
        action="store_true",
        help="measure on SQLite only",
    )
    arguments = parser.parse_args()
    return asyncio.run(run(postgresql=not arguments.no_postgresql))


if __name__ == "__main__":
    sys.exit(main())
