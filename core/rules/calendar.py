"""Kazakhstan working days as data: a five-day week, public holidays and days off moved by government decree.

Pure: the calendar is built from sets of dates (by `core.calendar_kz` from the `holidays` package, or by a
test from plain data) and passed to the rules. Terms "in working days" start on the day AFTER the event
(rules-digest §4): the n-th working day after `start` is the last day of an n-working-day term.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5  # date.weekday(): Monday 0 .. Sunday 6


class CalendarRangeError(ValueError):
    """A date outside the years the calendar has holiday data for (answering would ignore holidays)."""


class OverrideKind(StrEnum):
    DAY_OFF = "day_off"  # a holiday or a day off moved onto a weekday by decree
    WORKING_DAY = "working_day"  # a weekend (or listed) day made a working day by decree


@dataclass(frozen=True, slots=True)
class CalendarOverride:
    """One row of the override table: a decree newer than the holiday data the calendar was built from."""

    day: date
    kind: OverrideKind
    decree: str  # the decree that makes it so, as cited (title, number, date)
    note: str = ""


@dataclass(frozen=True, slots=True)
class WorkCalendar:
    """Working days of a five-day week, minus `days_off`, plus `working_days` (weekends worked by decree).

    `years`: the years the data covers. Asking about a date outside them raises CalendarRangeError, because
    a calendar without that year's holidays would give a wrong answer without saying so. `None` means the
    data is complete for every year (a plain five-day week, or a test calendar).
    """

    days_off: frozenset[date] = frozenset()
    working_days: frozenset[date] = frozenset()
    years: frozenset[int] | None = None

    def __post_init__(self) -> None:
        both = self.days_off & self.working_days
        if both:
            listed = ", ".join(sorted(day.isoformat() for day in both))
            raise ValueError(f"a day cannot be both a day off and a working day: {listed}")

    def is_working_day(self, day: date) -> bool:
        self._check_covered(day)
        if day in self.working_days:
            return True
        return day.weekday() < _SATURDAY and day not in self.days_off

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start` (n >= 1); with n <= -1, the |n|-th working day before `start`.

        `start` itself never counts, whether or not it is a working day: the term begins the next day.
        """
        if n == 0:
            raise ValueError("n must be a non-zero number of working days")
        step = _ONE_DAY if n > 0 else -_ONE_DAY
        day, counted = start, 0
        while counted < abs(n):
            day += step
            if self.is_working_day(day):
                counted += 1
        return day

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in (a, b]: 0 when a == b, negative when b is before a (the count in (b, a])."""
        if b < a:
            return -self.working_days_between(b, a)
        count, day = 0, a
        while day < b:
            day += _ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        return self.add_working_days(day, 1)

    def working_day_on_or_after(self, day: date) -> date:
        """`day` itself when it is a working day, else the next working day."""
        return day if self.is_working_day(day) else self.next_working_day(day)

    def with_overrides(self, overrides: Iterable[CalendarOverride]) -> WorkCalendar:
        """A copy with the override rows applied in order (a later row about the same day wins)."""
        days_off, working_days = set(self.days_off), set(self.working_days)
        for row in overrides:
            if row.kind is OverrideKind.DAY_OFF:
                days_off.add(row.day)
                working_days.discard(row.day)
            else:
                working_days.add(row.day)
                days_off.discard(row.day)
        return WorkCalendar(frozenset(days_off), frozenset(working_days), self.years)

    def _check_covered(self, day: date) -> None:
        if self.years is not None and day.year not in self.years:
            covered = ", ".join(str(year) for year in sorted(self.years))
            raise CalendarRangeError(f"{day.isoformat()} is outside the working calendar (years {covered})")
