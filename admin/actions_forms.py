"""Reading what an officer typed into a workspace form. A bad value raises InvalidInput with a reason code of
admin.actions_texts.FORM_REASONS, before any service runs, and the page shows the form again as it was typed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import TypeVar

from core.services.errors import InvalidInput

E = TypeVar("E", bound=StrEnum)

MAX_FIELD_CHARS = 4000
_DOTTED = re.compile(r"\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*")
_ISO = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})\s*")


def text(form: Mapping[str, str], name: str, *, limit: int = MAX_FIELD_CHARS) -> str:
    return str(form.get(name) or "").strip()[:limit]


def required_text(form: Mapping[str, str], name: str, reason: str, *, limit: int = 64) -> str:
    value = text(form, name, limit=limit)
    if not value:
        raise InvalidInput(f"{name} is required", reason=reason, field=name)
    return value


def parse_day(raw: str) -> date | None:
    """A date from the browser's date field (YYYY-MM-DD) or typed the Kazakh way (DD.MM.YYYY)."""
    iso, dotted = _ISO.fullmatch(raw), _DOTTED.fullmatch(raw)
    try:
        if iso:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        if dotted:
            return date(int(dotted.group(3)), int(dotted.group(2)), int(dotted.group(1)))
    except ValueError:
        return None
    return None


def day(form: Mapping[str, str], name: str, today: date, *, past_only: bool = True) -> date:
    """A required date; a record of something done cannot be dated after today (Almaty)."""
    raw = text(form, name, limit=32)
    if not raw:
        raise InvalidInput(f"{name} is required", reason="date_required", field=name)
    value = parse_day(raw)
    if value is None:
        raise InvalidInput(f"{name} is not a date", reason="date_invalid", field=name)
    if past_only and value > today:
        raise InvalidInput(f"{name} is in the future", reason="date_in_future", field=name)
    return value


def choice(form: Mapping[str, str], name: str, allowed: list[str] | tuple[str, ...]) -> str:
    value = text(form, name, limit=64)
    if value not in allowed:
        raise InvalidInput(f"{name} is not one of the options", reason="choice_required", field=name)
    return value


def enum_choice(form: Mapping[str, str], name: str, kind: type[E], allowed: list[E] | None = None) -> E:
    options = list(allowed) if allowed is not None else list(kind)
    return kind(choice(form, name, [option.value for option in options]))


def whole_number(form: Mapping[str, str], name: str, low: int, high: int) -> int:
    raw = text(form, name, limit=8)
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise InvalidInput(f"{name} is out of range", reason="count_invalid", field=name)
    return int(raw)


def identifier(form: Mapping[str, str], name: str) -> int:
    raw = text(form, name, limit=18)
    if not raw.isdigit():
        raise InvalidInput(f"{name} is not chosen", reason="choice_required", field=name)
    return int(raw)
