"""Date arithmetic the standards rely on: calendar months and exact age. Pure: dates are passed in."""

from __future__ import annotations

import calendar
from datetime import date


def add_months(start: date, months: int) -> date:
    """The same day `months` later; the last day of the month when that day does not exist (31 Jan + 1 = 28 Feb)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def age_in_months(birth_date: date, on: date) -> int:
    """Completed months of life on `on` (a child born 10 March is 18 months old from 10 September next year)."""
    months = (on.year - birth_date.year) * 12 + (on.month - birth_date.month)
    if on < add_months(birth_date, months):
        months -= 1
    return months


def age_in_years(birth_date: date, on: date) -> int:
    """Completed years of life on `on`; a person born on 29 February turns a year older on 28 February."""
    return age_in_months(birth_date, on) // 12
