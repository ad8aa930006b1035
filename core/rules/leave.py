"""Temporary leave from an organisation: its kinds, limits and the date the person is due back.

App.1 p.14 (personal leave up to three months), App.1 p.17 (rehabilitation in another organisation) and App.4
p.14 (study at an education organisation). Law silent on the first day: like every term, it runs from the day
after the leave starts, so leave from 10 March must end by 10 June.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from core.rules.codes import Form
from core.rules.dates import add_months
from core.rules.legal import LegalRef, ref


class LeaveKind(StrEnum):
    PERSONAL = "personal"  # App.1 p.14: on personal grounds, up to three months
    REHABILITATION_ELSEWHERE = "rehabilitation_elsewhere"  # App.1 p.17: another organisation, up to a year
    EDUCATION = "education"  # App.4 p.14: study at an education organisation, up to a year


@dataclass(frozen=True, slots=True)
class LeaveLimit:
    form: Form
    kind: LeaveKind
    max_months: int
    conditions: str
    legal_ref: LegalRef


# Law silent on whether App.1 p.17 and App.4 p.14 keep the person on the organisation's roll: both send the
# person away for a limited time with a promise of return (p.14 App.4 says so outright), so they are leave.
LEAVE_LIMITS: tuple[LeaveLimit, ...] = (
    LeaveLimit(
        Form.STATIONARY,
        LeaveKind.PERSONAL,
        3,
        "written application (for children and adults with psychoneurological illness: by the legal "
        "representative or a close relative), taking the organisation doctor's opinion into account",
        ref(1, "14"),
    ),
    LeaveLimit(
        Form.STATIONARY,
        LeaveKind.REHABILITATION_ELSEWHERE,
        12,
        "decision of the administration on the interdisciplinary commission's conclusion; the receiving side's "
        "written undertaking to keep and care for the person",
        ref(1, "17"),
    ),
    LeaveLimit(
        Form.TEMPORARY_STAY,
        LeaveKind.EDUCATION,
        12,
        "decision of the administration on the interdisciplinary commission's conclusion; the education "
        "organisation's written undertaking to give housing (a hostel) during the studies",
        ref(4, "14"),
    ),
)


def leave_limit(form: Form, kind: LeaveKind = LeaveKind.PERSONAL) -> LeaveLimit:
    for limit in LEAVE_LIMITS:
        if limit.form == form and limit.kind == kind:
            return limit
    valid = ", ".join(limit.kind for limit in LEAVE_LIMITS if limit.form == form) or "none"
    raise LookupError(f"no '{kind}' leave for {form} (leave kinds for this form: {valid})")


def leave_return_by(form: Form, started_on: date, kind: LeaveKind = LeaveKind.PERSONAL) -> date:
    """The last day of the leave: a term in months ends on the same day of its last month (31 Jan+1: 28 Feb)."""
    return add_months(started_on, leave_limit(form, kind).max_months)
