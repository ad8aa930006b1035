"""`qamqor rules transitions | grounds | flagged`: the case rules (lifecycle, end grounds, Order No. 163 flags).

Contract (keep exact):
    qamqor rules transitions --form F [--status S] [--json]   the allowed actions (all rows without --status)
    qamqor rules grounds --form F [--kind K] [--json]         discharge / termination / expulsion / suspension
    qamqor rules flagged [--on DATE] [--json]                 provisions reworded by Order No. 163
Bad values exit 2 with one line naming the problem (UsageError).
"""

from __future__ import annotations

import argparse

from core.rules.amendments import ORDER_163, flagged_provisions, flags_for
from core.rules.codes import Form, Status
from core.rules.grounds import GroundKind, grounds_for
from core.rules.lifecycle import TRANSITIONS, Transition, allowed_actions, statuses_for
from qamqor.cli.common import UsageError, parse_date, parse_enum, print_json


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    moves = sub.add_parser("transitions", help="the case lifecycle: actions allowed from a status")
    moves.add_argument("--form", required=True, help=", ".join(Form))
    moves.add_argument("--status", help="a case status (without it: every row of the form)")
    moves.add_argument("--json", action="store_true", help="print JSON")
    moves.set_defaults(handler=_transitions)

    ends = sub.add_parser("grounds", help="grounds to end or suspend services, with readmission bars")
    ends.add_argument("--form", required=True, help=", ".join(Form))
    ends.add_argument("--kind", help=", ".join(GroundKind))
    ends.add_argument("--json", action="store_true", help="print JSON")
    ends.set_defaults(handler=_grounds)

    flags = sub.add_parser("flagged", help=f"provisions reworded by {ORDER_163} (new text not yet encoded)")
    flags.add_argument("--on", help="only those whose new wording is in force on this date, YYYY-MM-DD")
    flags.add_argument("--json", action="store_true", help="print JSON")
    flags.set_defaults(handler=_flagged)


def _transitions(args: argparse.Namespace) -> int:
    form = parse_enum(Form, args.form, "--form")
    rows = tuple(row for row in TRANSITIONS if row.form == form)
    status: Status | None = None
    if args.status is not None:
        status = parse_enum(Status, args.status, "--status")
        if status not in statuses_for(form):
            used = ", ".join(statuses_for(form))
            raise UsageError(f"--status: '{status}' is not a status of a {form} case (expected one of: {used})")
        rows = allowed_actions(form, status)
    if args.json:
        print_json([row.as_dict() for row in rows])
        return 0
    if not rows:
        print("no actions: the case is closed")
    for row in rows:
        print(_transition_line(row, status))
    return 0


def _transition_line(row: Transition, status: Status | None) -> str:
    """One row: `action  from -> to  by actor  App.N p.X  needs: ...  note: ...` (from = the asked status)."""
    moves = f"{status or '|'.join(row.from_statuses)} -> {row.to_status}"
    needs = f"  needs: {', '.join(row.requirements)}" if row.requirements else ""
    note = f"  note: {row.note}" if row.note else ""
    parts = "; ".join(flag.part for flag in flags_for(row.legal_ref))
    flag = f"  [{ORDER_163} rewords {row.legal_ref}: {parts}]" if parts else ""
    return f"{row.action:<22}{moves:<36} by {row.actor:<13} {row.legal_ref!s:<13}{needs}{note}{flag}".rstrip()


def _grounds(args: argparse.Namespace) -> int:
    form = parse_enum(Form, args.form, "--form")
    kind = None if args.kind is None else parse_enum(GroundKind, args.kind, "--kind")
    rows = grounds_for(form, kind)
    if args.json:
        print_json([row.as_dict() for row in rows])
        return 0
    if not rows:
        print(f"no {kind} grounds for {form}")
    for row in rows:
        bar = row.readmission_bar
        barred = f"  readmission after {bar.calendar_years} calendar year ({bar.legal_ref})" if bar else ""
        print(f"{row.code:<32}{row.kind:<13}{row.legal_ref!s:<14}{row.summary}{barred}")
    return 0


def _flagged(args: argparse.Namespace) -> int:
    on = None if args.on is None else parse_date(args.on, "--on")
    rows = flagged_provisions(on)
    if args.json:
        print_json([row.as_dict() for row in rows])
        return 0
    if not rows:
        print(f"none: the new wording of {ORDER_163} is not in force on {on}")
    for row in rows:
        print(f"{row.citation:<44}from {row.effective_from.isoformat()}  {row.summary}")
    return 0
