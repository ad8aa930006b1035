"""`qamqor rules ...`: query the rules core (contract in the foundation issue; keep it stable)."""

from __future__ import annotations

import argparse


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("rules", help="query the rules of Order No. 263")
    sub = parser.add_subparsers(dest="rules_command", required=True)
    from qamqor.cli import rules_people, rules_time

    rules_time.register(sub)
    rules_people.register(sub)
