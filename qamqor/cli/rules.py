"""`qamqor rules ...`: query the rules core (contract in the foundation issue; keep it stable)."""

from __future__ import annotations

import argparse

from qamqor.cli import rules_case, rules_people, rules_time


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("rules", help="query the rules of Order No. 263")
    sub = parser.add_subparsers(dest="rules_command", required=True)
    for group in (rules_time, rules_people, rules_case):
        group.register(sub)
