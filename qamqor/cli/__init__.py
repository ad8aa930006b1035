"""The `qamqor` command line. Each command group lives in its own module and registers itself here."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from qamqor.cli import bench, db, deliver, rules, serve, setup, staff, telegram
from qamqor.cli.common import UsageError

COMMAND_GROUPS = (setup, serve, db, rules, bench, telegram, staff, deliver)


class OneLineErrorParser(argparse.ArgumentParser):
    """argparse prints the whole usage on a bad option; we print one line naming the problem, exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineErrorParser(prog="qamqor", description="Qamqor: special social services by chat.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=OneLineErrorParser)
    for group in COMMAND_GROUPS:
        group.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result = args.handler(args)
    except UsageError as error:
        print(f"qamqor: error: {error}", file=sys.stderr)
        return 2
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
