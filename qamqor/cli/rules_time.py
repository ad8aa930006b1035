"""`qamqor rules add-working-days | deadline | postpone`: the time rules (calendar, deadlines, postponement).

Contract (keep exact):
    qamqor rules add-working-days DATE N
    qamqor rules deadline --form F --step S --from DATE [--json]
    qamqor rules postpone --form F --arrival-due D --until D --previous N --json
Bad values exit 2 with one line naming the problem (UsageError).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from core.calendar_kz import kazakhstan_calendar
from core.rules.calendar import CalendarRangeError, WorkCalendar
from core.rules.codes import Form, Step
from core.rules.deadlines import NotInForce, UnknownStep, deadline, steps_for
from core.rules.postponement import assess_postponement
from qamqor.cli.common import UsageError, parse_date, parse_enum, parse_int, print_json

T = TypeVar("T")

# The years the holiday data is meaningful for: Kazakhstan's calendar in the `holidays` package starts in 1991.
FIRST_YEAR, LAST_YEAR = 1991, 2099
# A year has about 245 working days; one more year either side covers terms that cross New Year.
_WORKING_DAYS_PER_YEAR = 240


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    add = sub.add_parser("add-working-days", help="the N-th Kazakhstan working day after DATE (N < 0: before)")
    add.add_argument("date", help="YYYY-MM-DD; the term starts the day after")
    add.add_argument("n", help="number of working days (negative counts backwards)")
    add.set_defaults(handler=_add_working_days)

    due = sub.add_parser("deadline", help="the statutory deadline of a step, counted from its event")
    due.add_argument("--form", required=True, help=", ".join(Form))
    due.add_argument("--step", required=True, help="a step of the form (see the error for the list)")
    due.add_argument("--from", dest="start", required=True, help="date of the event, YYYY-MM-DD")
    due.add_argument("--json", action="store_true", help="print JSON")
    due.set_defaults(handler=_deadline)

    move = sub.add_parser("postpone", help="may the arrival date move because of illness (App.1-2 p.7)?")
    move.add_argument("--form", required=True, help=", ".join(Form))
    move.add_argument("--arrival-due", required=True, help="current arrival due date, YYYY-MM-DD")
    move.add_argument("--until", required=True, help="requested arrival date, YYYY-MM-DD")
    move.add_argument("--previous", required=True, help="postponements already granted")
    move.add_argument("--json", action="store_true", help="print JSON")
    move.set_defaults(handler=_postpone)


def _add_working_days(args: argparse.Namespace) -> int:
    start = parse_date(args.date, "DATE")
    n = parse_int(args.n, "N")
    if n == 0:
        raise UsageError("N: must not be 0 (the 1st working day after DATE is N=1)")
    calendar = _calendar_around(start, abs(n) // _WORKING_DAYS_PER_YEAR + 1, "DATE")
    print(_safely(lambda: calendar.add_working_days(start, n), "DATE").isoformat())
    return 0


def _deadline(args: argparse.Namespace) -> int:
    form = parse_enum(Form, args.form, "--form")
    step = _parse_step(form, args.step)
    start = parse_date(args.start, "--from")
    calendar = _calendar_around(start, 1, "--from")
    try:
        result = _safely(lambda: deadline(form, step, start, calendar), "--from")
    except UnknownStep as error:
        raise UsageError(f"--step: {error}") from None
    except NotInForce as error:
        raise UsageError(f"--from: {error}") from None
    if not args.json:
        print(result.due.isoformat())
        return 0
    print_json(
        {
            "form": result.form.value,
            "step": result.step.value,
            "from": result.start.isoformat(),
            "due": result.due.isoformat(),
            "amount": result.amount,
            "unit": result.unit.value,
            "legal_ref": str(result.legal_ref),
            "from_event": result.from_event.value,
        }
    )
    return 0


def _postpone(args: argparse.Namespace) -> int:
    form = parse_enum(Form, args.form, "--form")
    arrival_due = parse_date(args.arrival_due, "--arrival-due")
    until = parse_date(args.until, "--until")
    previous = parse_int(args.previous, "--previous")
    if previous < 0:
        raise UsageError(f"--previous: '{args.previous}' must be 0 or more")
    decision = _safely(lambda: assess_postponement(form, arrival_due, until, previous), "--arrival-due")
    if not args.json:
        verdict = "allowed" if decision.allowed else "refused: " + ", ".join(decision.reasons)
        print(f"{verdict}; latest {decision.latest.isoformat()}")
        return 0
    print_json(
        {
            "allowed": decision.allowed,
            "latest": decision.latest.isoformat(),
            "reasons": [str(reason) for reason in decision.reasons],
            "legal_ref": str(decision.legal_ref) if decision.legal_ref else None,
            "next_in_queue_admitted": decision.next_in_queue_admitted,
        }
    )
    return 0


def _parse_step(form: Form, value: str) -> Step:
    valid = steps_for(form)
    if value not in valid:
        choices = ", ".join(valid)
        raise UsageError(f"--step: unknown step '{value}' for form '{form}' (expected one of: {choices})")
    return Step(value)


def _calendar_around(day: date, years_each_side: int, what: str) -> WorkCalendar:
    """The calendar of `day`'s year and `years_each_side` around it, within the years we have data for."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise UsageError(f"{what}: {day.isoformat()} is outside the working calendar ({FIRST_YEAR}-{LAST_YEAR})")
    first, last = max(FIRST_YEAR, day.year - years_each_side), min(LAST_YEAR, day.year + years_each_side)
    return kazakhstan_calendar(range(first, last + 1))


def _safely(compute: Callable[[], T], what: str) -> T:
    """Runs a computation whose only failure on valid input is leaving the calendar or the date range."""
    try:
        return compute()
    except (CalendarRangeError, OverflowError):
        raise UsageError(f"{what}: the result is outside the working calendar") from None
