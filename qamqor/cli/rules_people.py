"""`qamqor rules eligibility | checklist | iin | queue-order`: the rules about people.

Contract (keep exact):
    qamqor rules eligibility --form F --category C --birth-date D --on D [--disability-group G] --json
        -> {"eligible": bool, "reasons": [codes], "legal_ref": ...}
    qamqor rules checklist --form F --category C --birth-date D --on D [--representative] --json
        -> {"items": [{"code", "stage", "provided_by", "conditional", "legal_ref", ...}]}
    qamqor rules iin IIN --json -> {"valid": bool, "birth_date": D|null, "sex": "male"|"female"|null}
    qamqor rules queue-order --json   (stdin: [{"id", "queued_at", "priority": "veteran"|null, "out_of_turn": bool}])
        -> {"order": [ids]}
Extra keys may be added to the JSON; contract keys are never dropped. Bad input exits 2 with one line naming
the problem (UsageError). Required options are checked here, not by argparse, so that message stays one line.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from typing import Any

from core.rules.checklists import ChecklistItem, checklist
from core.rules.codes import Category, DisabilityGroup, Form, Priority
from core.rules.eligibility import EligibilityDecision, assess_eligibility
from core.rules.iin import parse_iin
from core.rules.queue import QueueEntryView, queue_order
from qamqor.cli.common import UsageError, parse_date, parse_enum, print_json

QUEUE_FIELDS = ("id", "queued_at", "priority", "out_of_turn")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    elig = sub.add_parser("eligibility", help="may this person receive this form (App.1-4 p.2)?")
    _person_options(elig)
    elig.add_argument("--disability-group", help="1, 2 or 3 (omit when none)")
    elig.add_argument("--json", action="store_true", help="print JSON")
    elig.set_defaults(handler=_eligibility)

    docs = sub.add_parser("checklist", help="documents to bring, fetched by the state, and at admission")
    _person_options(docs)
    docs.add_argument("--representative", action="store_true", help="a legal representative applies")
    docs.add_argument("--json", action="store_true", help="print JSON")
    docs.set_defaults(handler=_checklist)

    iin = sub.add_parser("iin", help="validate an IIN and read birth date and sex from it")
    iin.add_argument("iin", help="the 12-digit IIN")
    iin.add_argument("--json", action="store_true", help="print JSON")
    iin.set_defaults(handler=_iin)

    order = sub.add_parser("queue-order", help="order queue entries read as JSON from stdin")
    order.add_argument("--json", action="store_true", help="print JSON")
    order.set_defaults(handler=_queue_order)


def _person_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--form", help="(required) " + ", ".join(Form))
    parser.add_argument("--category", help="(required) " + ", ".join(Category))
    parser.add_argument("--birth-date", help="(required) YYYY-MM-DD")
    parser.add_argument("--on", help="(required) the date the rules are applied on, YYYY-MM-DD")


def _person(args: argparse.Namespace) -> tuple[Form, Category, date, date]:
    form = parse_enum(Form, _required(args.form, "--form"), "--form")
    category = parse_enum(Category, _required(args.category, "--category"), "--category")
    birth_date = parse_date(_required(args.birth_date, "--birth-date"), "--birth-date")
    on = parse_date(_required(args.on, "--on"), "--on")
    return form, category, birth_date, on


def _required(value: str | None, flag: str) -> str:
    if value is None:
        raise UsageError(f"{flag}: is required")
    return value


def _eligibility(args: argparse.Namespace) -> int:
    form, category, birth_date, on = _person(args)
    group = None
    if args.disability_group is not None:
        group = parse_enum(DisabilityGroup, args.disability_group, "--disability-group")
    decision = assess_eligibility(form, category, birth_date, on, group)
    if args.json:
        print_json(_decision_json(decision))
    else:
        verdict = "eligible" if decision.eligible else "not eligible: " + ", ".join(decision.reasons)
        print(f"{verdict} ({decision.legal_ref})")
    return 0


def _decision_json(decision: EligibilityDecision) -> dict[str, Any]:
    return {
        "eligible": decision.eligible,
        "reasons": list(decision.reasons),
        "legal_ref": str(decision.legal_ref),
        "effective_from": decision.effective_from.isoformat(),
        "conditions": list(decision.conditions),
        "form": decision.form.value,
        "category": decision.category.value,
    }


def _checklist(args: argparse.Namespace) -> int:
    form, category, birth_date, on = _person(args)
    if birth_date > on:
        raise UsageError(f"--birth-date: {birth_date} is after --on {on}")
    items = checklist(form, category, birth_date, on, representative=args.representative)
    if args.json:
        print_json({"items": [_item_json(item) for item in items]})
        return 0
    for item in items:
        extra = f" [{item.condition}]" if item.condition else ""
        print(f"{item.stage}\t{item.provided_by}\t{item.code}{extra}\t{item.legal_ref}")
    return 0


def _item_json(item: ChecklistItem) -> dict[str, Any]:
    return {
        "code": item.code.value,
        "stage": item.stage.value,
        "provided_by": item.provided_by.value,
        "conditional": item.conditional,
        "condition": item.condition,
        "alternatives": [code.value for code in item.alternatives],
        "legal_ref": str(item.legal_ref),
        "effective_from": item.effective_from.isoformat(),
        "note": item.note,
        "reworded_from": item.reworded_from.isoformat() if item.reworded_from else None,
    }


def _iin(args: argparse.Namespace) -> int:
    # An invalid IIN is an answer, not a usage error: exit 0 with valid=false and the reasons.
    info = parse_iin(args.iin)
    if args.json:
        print_json(
            {
                "valid": info.valid,
                "birth_date": info.birth_date.isoformat() if info.birth_date else None,
                "sex": info.sex.value if info.sex else None,
                "reasons": list(info.reasons),
            }
        )
    else:
        print("valid" if info.valid else "invalid: " + ", ".join(info.reasons))
    return 0


def _queue_order(args: argparse.Namespace) -> int:
    entries = _read_queue(sys.stdin.read())
    order = queue_order(entries)
    if args.json:
        print_json({"order": order})
    else:
        for entry_id in order:
            print(entry_id)
    return 0


def _read_queue(text: str) -> list[QueueEntryView]:
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as error:
        raise UsageError(f"stdin: not valid JSON ({error.msg} at line {error.lineno} column {error.colno})") from None
    if not isinstance(payload, list):
        raise UsageError("stdin: expected a JSON list of queue entries")
    entries = [_queue_entry(raw, index) for index, raw in enumerate(payload)]
    ids = [entry.id for entry in entries]
    duplicates = sorted({json.dumps(entry_id, ensure_ascii=False) for entry_id in ids if ids.count(entry_id) > 1})
    if duplicates:
        raise UsageError(f"stdin: duplicate id {', '.join(duplicates)}")
    if len({entry.queued_at.tzinfo is None for entry in entries}) > 1:
        raise UsageError("stdin: queued_at mixes times with and without a timezone")
    return entries


def _queue_entry(raw: object, index: int) -> QueueEntryView:
    where = f"stdin[{index}]"
    if not isinstance(raw, dict):
        raise UsageError(f"{where}: expected an object")
    missing = [name for name in QUEUE_FIELDS if name not in raw]
    if missing:
        raise UsageError(f"{where}: missing field {', '.join(missing)}")
    entry_id = raw["id"]
    if isinstance(entry_id, bool) or not isinstance(entry_id, int | str):
        raise UsageError(f"{where}.id: expected a string or an integer")
    if not isinstance(raw["out_of_turn"], bool):
        raise UsageError(f"{where}.out_of_turn: expected true or false")
    priority = None if raw["priority"] is None else parse_enum(Priority, str(raw["priority"]), f"{where}.priority")
    return QueueEntryView(entry_id, _queued_at(raw["queued_at"], where), priority, raw["out_of_turn"])


def _queued_at(value: object, where: str) -> datetime:
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    raise UsageError(f"{where}.queued_at: {json.dumps(value, ensure_ascii=False)} is not an ISO date-time")
