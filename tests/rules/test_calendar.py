"""Kazakhstan working days: holidays, observed days, decree transfers, year boundaries, overrides.

Expected dates were worked out by hand from the published calendars (5-day week; holidays in the ids).
"""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from core.calendar_kz import kazakhstan_calendar
from core.rules.calendar import CalendarOverride, CalendarRangeError, OverrideKind, WorkCalendar

KZ = kazakhstan_calendar(range(2024, 2028))
RULES_DIR = Path(__file__).resolve().parents[2] / "core" / "rules"


@pytest.mark.parametrize(
    ("day", "working"),
    [
        pytest.param(date(2026, 3, 20), True, id="nauryz_2026_friday_before_is_working"),
        pytest.param(date(2026, 3, 21), False, id="nauryz_2026_mar21_saturday"),
        pytest.param(date(2026, 3, 23), False, id="nauryz_2026_mar23_monday"),
        pytest.param(date(2026, 3, 24), False, id="nauryz_2026_mar24_observed_for_saturday"),
        pytest.param(date(2026, 3, 25), False, id="nauryz_2026_mar25_observed_for_sunday"),
        pytest.param(date(2026, 3, 26), True, id="nauryz_2026_thursday_after_is_working"),
        pytest.param(date(2025, 1, 5), True, id="decree_2025_sunday_jan5_is_working"),
        pytest.param(date(2025, 1, 3), False, id="decree_2025_friday_jan3_is_day_off"),
        pytest.param(date(2025, 3, 10), False, id="observed_2025_womens_day_sat_to_monday"),
        pytest.param(date(2025, 9, 1), False, id="observed_2025_constitution_day_sat_to_monday"),
        pytest.param(date(2026, 5, 11), False, id="observed_2026_victory_day_sat_to_monday"),
        pytest.param(date(2027, 1, 4), False, id="observed_2027_new_year_jan2_sat_to_monday"),
        pytest.param(date(2025, 1, 7), False, id="orthodox_christmas_2025_tuesday"),
        pytest.param(date(2025, 6, 6), False, id="eid_al_adha_2025_friday"),
        pytest.param(date(2026, 8, 31), True, id="2026_aug31_monday_no_constitution_day_observed"),
        pytest.param(date(2026, 12, 31), True, id="dec31_2026_thursday_is_working"),
        pytest.param(date(2026, 4, 4), False, id="plain_saturday"),
    ],
)
def test_is_working_day_kazakhstan(day: date, working: bool) -> None:
    assert KZ.is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        pytest.param(date(2026, 3, 20), 1, date(2026, 3, 26), id="nauryz_2026_friday_plus_1"),
        pytest.param(date(2026, 3, 26), -2, date(2026, 3, 19), id="nauryz_2026_two_before_thursday"),
        pytest.param(date(2024, 12, 31), 1, date(2025, 1, 5), id="year_boundary_2025_working_sunday"),
        pytest.param(date(2025, 1, 2), 2, date(2025, 1, 6), id="decree_2025_jan3_off_jan5_on"),
        pytest.param(date(2025, 12, 31), 1, date(2026, 1, 5), id="year_boundary_dec31_2025_to_jan5"),
        pytest.param(date(2026, 1, 5), -1, date(2025, 12, 31), id="year_boundary_backwards"),
        pytest.param(date(2026, 12, 31), 1, date(2027, 1, 5), id="year_boundary_2027_jan4_observed"),
        pytest.param(date(2026, 3, 21), 1, date(2026, 3, 26), id="start_on_holiday_counts_from_next_day"),
        pytest.param(date(2026, 3, 6), 1, date(2026, 3, 10), id="observed_2026_womens_day_monday"),
        pytest.param(date(2026, 4, 6), 5, date(2026, 4, 13), id="plain_week_monday_plus_5"),
    ],
)
def test_add_working_days_kazakhstan(start: date, n: int, expected: date) -> None:
    assert KZ.add_working_days(start, n) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        pytest.param(date(2026, 3, 20), date(2026, 3, 26), 1, id="nauryz_2026_one_working_day"),
        pytest.param(date(2025, 12, 31), date(2026, 1, 12), 5, id="year_boundary_jan1_2_7_off"),
        pytest.param(date(2026, 4, 6), date(2026, 4, 6), 0, id="same_day_is_zero"),
        pytest.param(date(2026, 4, 13), date(2026, 4, 6), -5, id="reversed_is_negative"),
        pytest.param(date(2026, 4, 10), date(2026, 4, 13), 1, id="end_day_counts_start_day_does_not"),
        # 261 weekdays minus Jan 1, 2, 7, Mar 9, 23, 24, 25, May 1, 7, 11, 27, Jul 6, Oct 26, Dec 16.
        pytest.param(date(2025, 12, 31), date(2026, 12, 31), 247, id="year_2026_has_247_working_days"),
    ],
)
def test_working_days_between(a: date, b: date, expected: int) -> None:
    assert KZ.working_days_between(a, b) == expected


def test_next_working_day_skips_nauryz_2026() -> None:
    assert KZ.next_working_day(date(2026, 3, 20)) == date(2026, 3, 26)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(date(2026, 3, 21), date(2026, 3, 26), id="holiday_moves_to_next_working_day"),
        pytest.param(date(2026, 3, 26), date(2026, 3, 26), id="working_day_stays"),
    ],
)
def test_working_day_on_or_after(day: date, expected: date) -> None:
    assert KZ.working_day_on_or_after(day) == expected


def test_add_zero_working_days_is_refused() -> None:
    with pytest.raises(ValueError, match="non-zero"):
        KZ.add_working_days(date(2026, 3, 20), 0)


def test_plain_calendar_from_data_is_a_five_day_week() -> None:
    plain = WorkCalendar()
    assert plain.add_working_days(date(2026, 3, 20), 1) == date(2026, 3, 23)


def test_calendar_built_from_data_only() -> None:
    calendar = WorkCalendar(days_off=frozenset({date(2026, 3, 23)}), working_days=frozenset({date(2026, 3, 22)}))
    assert calendar.add_working_days(date(2026, 3, 20), 2) == date(2026, 3, 24)


def test_a_day_cannot_be_both_off_and_working() -> None:
    with pytest.raises(ValueError, match="2026-03-23"):
        WorkCalendar(days_off=frozenset({date(2026, 3, 23)}), working_days=frozenset({date(2026, 3, 23)}))


def test_dates_outside_the_loaded_years_are_refused_not_guessed() -> None:
    only_2026 = kazakhstan_calendar([2026])
    with pytest.raises(CalendarRangeError, match="2027-01-01"):
        only_2026.add_working_days(date(2026, 12, 31), 1)


DECREE = "test decree"


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        pytest.param(
            CalendarOverride(date(2026, 3, 26), OverrideKind.DAY_OFF, DECREE),
            date(2026, 3, 27),
            id="override_day_off_moves_the_answer",
        ),
        pytest.param(
            CalendarOverride(date(2026, 3, 21), OverrideKind.WORKING_DAY, DECREE),
            date(2026, 3, 21),
            id="override_working_saturday_moves_the_answer",
        ),
        pytest.param(
            CalendarOverride(date(2026, 3, 24), OverrideKind.WORKING_DAY, DECREE),
            date(2026, 3, 24),
            id="override_cancels_an_observed_holiday",
        ),
    ],
)
def test_override_row_changes_the_answer(override: CalendarOverride, expected: date) -> None:
    with_row = kazakhstan_calendar(range(2026, 2027), overrides=(override,))
    assert KZ.add_working_days(date(2026, 3, 20), 1) == date(2026, 3, 26)
    assert with_row.add_working_days(date(2026, 3, 20), 1) == expected


def test_later_override_row_for_the_same_day_wins() -> None:
    rows = (
        CalendarOverride(date(2026, 3, 26), OverrideKind.DAY_OFF, DECREE),
        CalendarOverride(date(2026, 3, 26), OverrideKind.WORKING_DAY, DECREE, "decree revoked"),
    )
    assert KZ.with_overrides(rows).is_working_day(date(2026, 3, 26)) is True


def test_kazakhstan_calendar_is_cached_per_year_range() -> None:
    assert kazakhstan_calendar(range(2024, 2028)) is KZ
    assert kazakhstan_calendar([2027, 2024, 2025, 2026]) is KZ


@pytest.mark.parametrize("module", ["calendar.py", "calendar_overrides.py", "deadlines.py", "postponement.py"])
def test_time_rules_never_import_holidays(module: str) -> None:
    tree = ast.parse((RULES_DIR / module).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(name.split(".")[0] == "holidays" for name in imported)
