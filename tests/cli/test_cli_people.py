"""`qamqor rules eligibility | checklist | iin | queue-order`: the CLI contract and its exit-2 errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from qamqor.cli import main

QAMQOR = Path(sys.executable).with_name("qamqor")
PERSON = ["--birth-date", "2015-01-01", "--on", "2025-06-01"]


@pytest.fixture
def feed(monkeypatch: pytest.MonkeyPatch) -> Callable[[str | None], None]:
    """Replace stdin for one `main(...)` call (queue-order reads its entries there)."""

    def set_stdin(text: str | None) -> None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(text or ""))

    return set_stdin


def run_json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> Any:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def run_error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    return lines[0]


def test_eligibility_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["rules", "eligibility", "--form", "stationary", "--category", "child_psychoneuro", *PERSON, "--json"]
    payload = run_json(capsys, argv)
    assert {key: payload[key] for key in ("eligible", "reasons", "legal_ref")} == {
        "eligible": True,
        "reasons": [],
        "legal_ref": "App.1 p.2.1",
    }


@pytest.mark.parametrize(
    ("extra", "reasons"),
    [
        pytest.param(["--disability-group", "3"], ["disability_group_required"], id="app1_p2_4_group_3"),
        pytest.param([], ["disability_group_required"], id="app1_p2_4_no_group"),
        pytest.param(["--disability-group", "2"], [], id="app1_p2_4_group_2"),
    ],
)
def test_eligibility_disability_group(capsys: pytest.CaptureFixture[str], extra: list[str], reasons: list[str]) -> None:
    argv = ["rules", "eligibility", "--form", "home", "--category", "disabled_adult", *PERSON, *extra, "--json"]
    payload = run_json(capsys, argv)
    assert (payload["eligible"], payload["reasons"], payload["legal_ref"]) == (not reasons, reasons, "App.3 p.2.4")


def test_eligibility_plain_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "eligibility", "--form", "temporary_stay", "--category", "elderly", *PERSON]) == 0
    assert capsys.readouterr().out == "not eligible: category_not_served (App.4 p.2)\n"


CONTRACT_ITEM_KEYS = {"code", "stage", "provided_by", "conditional", "legal_ref"}


def test_checklist_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["rules", "checklist", "--form", "home", "--category", "child_psychoneuro", *PERSON, "--representative"]
    items = run_json(capsys, [*argv, "--json"])["items"]
    assert all(set(item) >= CONTRACT_ITEM_KEYS for item in items)
    bring = [i["code"] for i in items if i["provided_by"] == "applicant"]
    assert bring == [
        "application",
        "medical_petition",
        "representative_proof",
        "identity_document",
        "medical_card",
        "pmpc_conclusion",
    ]
    petition = next(i for i in items if i["code"] == "medical_petition")
    assert petition == {
        "code": "medical_petition",
        "stage": "application",
        "provided_by": "applicant",
        "conditional": True,
        "condition": "instead_of_application",
        "alternatives": ["application"],
        "legal_ref": "App.3 p.5.1",
        "effective_from": "2023-07-01",
        "note": "from_medical_organisation",
        "reworded_from": None,
    }


@pytest.mark.parametrize(
    ("iin", "expected"),
    [
        pytest.param("900101300126", {"valid": True, "birth_date": "1990-01-01", "sex": "male"}, id="valid"),
        pytest.param("900101300127", {"valid": False, "birth_date": "1990-01-01", "sex": "male"}, id="bad_check"),
        pytest.param("12345", {"valid": False, "birth_date": None, "sex": None}, id="too_short"),
    ],
)
def test_iin_json_contract(capsys: pytest.CaptureFixture[str], iin: str, expected: dict[str, Any]) -> None:
    payload = run_json(capsys, ["rules", "iin", iin, "--json"])
    assert {key: payload[key] for key in expected} == expected


QUEUE = [
    {"id": 1, "queued_at": "2025-01-10T09:00:00+05:00", "priority": None, "out_of_turn": False},
    {"id": 2, "queued_at": "2025-02-01T09:00:00+05:00", "priority": "veteran", "out_of_turn": False},
    {"id": 3, "queued_at": "2025-03-01T09:00:00+05:00", "priority": None, "out_of_turn": True},
    {"id": 4, "queued_at": "2025-01-10T09:00:00+05:00", "priority": None, "out_of_turn": False, "note": "extra key"},
]


def test_queue_order_json_contract(capsys: pytest.CaptureFixture[str], feed: Callable[[str | None], None]) -> None:
    feed(json.dumps(QUEUE))
    assert run_json(capsys, ["rules", "queue-order", "--json"]) == {"order": [3, 2, 1, 4]}


def _queue_with(**changes: Any) -> str:
    first = {**QUEUE[0], **changes}
    return json.dumps([first, *QUEUE[1:]])


@pytest.mark.parametrize(
    ("argv", "stdin", "names"),
    [
        pytest.param(["eligibility", "--form", "hospital", "--category", "elderly", *PERSON], None, "--form",
                     id="unknown_form"),
        pytest.param(["eligibility", "--form", "home", "--category", "pensioner", *PERSON], None, "--category",
                     id="unknown_category"),
        pytest.param(["eligibility", "--form", "home", "--category", "elderly", "--birth-date", "01.01.1950",
                      "--on", "2025-06-01"], None, "--birth-date", id="malformed_birth_date"),
        pytest.param(["eligibility", "--form", "home", "--category", "elderly", "--birth-date", "1950-01-01",
                      "--on", "2025-02-30"], None, "--on", id="impossible_on_date"),
        pytest.param(["eligibility", "--category", "elderly", *PERSON], None, "--form", id="missing_form"),
        pytest.param(["eligibility", "--form", "home", "--category", "disabled_adult", *PERSON,
                      "--disability-group", "4"], None, "--disability-group", id="bad_disability_group"),
        pytest.param(["checklist", "--form", "home", "--category", "elderly", "--birth-date", "2025-06-02",
                      "--on", "2025-06-01"], None, "--birth-date", id="checklist_birth_after_on"),
        pytest.param(["checklist", "--form", "home", "--category", "elderly", "--birth-date", "1950-01-01"], None,
                     "--on", id="checklist_missing_on"),
        pytest.param(["queue-order", "--json"], "[{", "stdin", id="bad_json"),
        pytest.param(["queue-order", "--json"], '{"id": 1}', "list", id="not_a_list"),
        pytest.param(["queue-order", "--json"], '[{"id": 1, "queued_at": "2025-01-01T00:00:00"}]', "priority",
                     id="missing_fields"),
        pytest.param(["queue-order", "--json"], _queue_with(priority="orphan"), "priority", id="unknown_priority"),
        pytest.param(["queue-order", "--json"], _queue_with(queued_at="yesterday"), "queued_at", id="bad_time"),
        pytest.param(["queue-order", "--json"], _queue_with(queued_at="2025-01-10T09:00:00"), "timezone",
                     id="mixed_timezones"),
        pytest.param(["queue-order", "--json"], _queue_with(out_of_turn="no"), "out_of_turn", id="out_of_turn_text"),
        pytest.param(["queue-order", "--json"], _queue_with(id=True), "id", id="boolean_id"),
        pytest.param(["queue-order", "--json"], _queue_with(id=2), "duplicate", id="duplicate_id"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str],
    feed: Callable[[str | None], None],
    argv: list[str],
    stdin: str | None,
    names: str,
) -> None:
    feed(stdin)
    message = run_error(capsys, ["rules", *argv])
    assert message.startswith("qamqor: error: ")
    assert names in message


@pytest.mark.skipif(not QAMQOR.exists(), reason="the qamqor script is not installed next to this Python")
def test_installed_script_reads_the_queue_from_stdin() -> None:
    result = subprocess.run(
        [str(QAMQOR), "rules", "queue-order", "--json"],
        input=json.dumps(QUEUE),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (result.returncode, json.loads(result.stdout), result.stderr) == (0, {"order": [3, 2, 1, 4]}, "")


@pytest.mark.skipif(not QAMQOR.exists(), reason="the qamqor script is not installed next to this Python")
def test_installed_script_bad_stdin_exits_2_with_one_line() -> None:
    result = subprocess.run(
        [str(QAMQOR), "rules", "queue-order", "--json"],
        input="not json",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("qamqor: error: stdin: not valid JSON")
