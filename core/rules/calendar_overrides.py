"""Decrees on holidays and transferred days off newer than the pinned `holidays` package (0.109).

Each row makes one date a day off or a working day and cites the decree. `core.calendar_kz` applies the
rows on top of the package data, so a decree published after the package needs one row here, not a package
upgrade.

What holidays 0.109 already gives for Kazakhstan (checked when this table was written; no row repeats it):
- 2025: the working Sunday 5 January and its day off Friday 3 January (Government resolution, adilet
  G24G0000436); weekend holidays observed on the next weekday (8 March -> 10 March, Nauryz 22-23 March ->
  24-25 March, Capital Day 6 July -> 7 July, ...).
- 2026: Nauryz Saturday 21 - Monday 23 March observed through Wednesday 25 March; no transfer of days off;
  no Constitution Day on 30 August (from 2027 it is 15 March). Eid al-Adha 27 May is the package's estimate.
- 2027: New Year 1-2 January observed on Monday 4 January; Constitution Day 15 March.

The table is empty: we know of no decree newer than the package, neither from the seeds nor from a
published act we could cite. To add one, append a row such as
    CalendarOverride(date(2026, 1, 5), OverrideKind.DAY_OFF, "Government resolution No. ... of ...", "why")
and a test row in tests/rules/test_calendar.py that shows the new answer.
"""

from __future__ import annotations

from core.rules.calendar import CalendarOverride

OVERRIDES: tuple[CalendarOverride, ...] = ()
