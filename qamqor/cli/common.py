"""Argument parsing shared by the command modules: every bad value becomes a one-line UsageError (exit 2)."""

from __future__ import annotations

import json
import sys
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

E = TypeVar("E", bound=StrEnum)


class UsageError(Exception):
    """Bad input from the command line: printed as one line, exit status 2."""


def parse_date(value: str, what: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{what}: '{value}' is not a date in the form YYYY-MM-DD") from None


def parse_enum(enum: type[E], value: str, what: str) -> E:
    try:
        return enum(value)
    except ValueError:
        choices = ", ".join(member.value for member in enum)
        raise UsageError(f"{what}: unknown value '{value}' (expected one of: {choices})") from None


def parse_int(value: str, what: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise UsageError(f"{what}: '{value}' is not a whole number") from None


def print_json(payload: Any) -> None:
    json.dump(payload, sys.stdout, ensure_ascii=False, default=str)
    sys.stdout.write("\n")
