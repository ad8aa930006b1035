"""The Kazakhstan working calendar from the `holidays` package plus our override table.

The only module that imports `holidays`: core/rules stays pure and receives the finished WorkCalendar.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache

import holidays

from core.rules.calendar import CalendarOverride, WorkCalendar
from core.rules.calendar_overrides import OVERRIDES


def kazakhstan_calendar(
    years: range | Iterable[int], overrides: Iterable[CalendarOverride] = OVERRIDES
) -> WorkCalendar:
    """Working days in Kazakhstan for `years` (pass a span that reaches past the deadline: late December
    terms end in January). Dates outside `years` raise CalendarRangeError instead of ignoring holidays."""
    wanted = tuple(sorted(set(years)))
    if not wanted:
        raise ValueError("at least one year is needed")
    return _cached_calendar(wanted, tuple(overrides))


@lru_cache(maxsize=32)
def _cached_calendar(years: tuple[int, ...], overrides: tuple[CalendarOverride, ...]) -> WorkCalendar:
    package_days = holidays.country_holidays("KZ", years=years)
    # Public holidays, their observed (moved) days and the weekdays given off by transfer decrees.
    days_off: frozenset[date] = frozenset(package_days.keys())
    # The package keeps every transferred working weekend it knows in one set, whatever `years` asked for.
    working_days = frozenset(day for day in package_days.weekend_workdays if day.year in years)
    base = WorkCalendar(days_off=days_off, working_days=working_days, years=frozenset(years))
    return base.with_overrides(overrides)
