"""`qamqor rules add-working-days | deadline | postpone`: what a user sees on stdout, stderr and the exit code."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from qamqor.cli import main

QAMQOR = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "qamqor"


@pytest.mark.parametrize(
    ("argv", "stdout"),
    [
        pytest.param(["add-working-days", "2026-03-20", "1"], "2026-03-26", id="nauryz_2026_plus_1"),
        pytest.param(["add-working-days", "2026-03-26", "-2"], "2026-03-19", id="two_working_days_before"),
        pytest.param(["add-working-days", "2025-12-31", "1"], "2026-01-05", id="year_boundary"),
        # 2026: 261 weekdays minus 14 weekday holidays = 247 working days, the last on Thursday 31 December.
        pytest.param(["add-working-days", "2025-12-31", "247"], "2026-12-31", id="whole_year_2026"),
        pytest.param(
            ["deadline", "--form", "stationary", "--step", "arrive", "--from", "2026-03-20"],
            "2026-04-15",
            id="app1_p7_arrival_15_working_days",
        ),
        pytest.param(
            ["deadline", "--form", "home", "--step", "send_documents", "--from", "2026-12-31"],
            "2027-01-05",
            id="app3_p9_send_documents_across_new_year",
        ),
        pytest.param(
            ["postpone", "--form", "home", "--arrival-due", "2026-04-15", "--until", "2026-04-20", "--previous", "0"],
            "refused: form_has_no_postponement; latest 2026-04-15",
            id="postpone_text_output",
        ),
    ],
)
def test_prints_the_answer(argv: list[str], stdout: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", *argv]) == 0
    captured = capsys.readouterr()
    assert captured.out == stdout + "\n"
    assert captured.err == ""


def test_deadline_json_has_the_contract_keys(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["rules", "deadline", "--form", "semi_stationary", "--step", "arrive", "--from", "2025-05-06", "--json"]
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out) == {
        "form": "semi_stationary",
        "step": "arrive",
        "from": "2025-05-06",
        "due": "2025-05-13",
        "amount": 3,
        "unit": "working_days",
        "legal_ref": "App.2 p.7",
        "from_event": "vacancy_offered",
    }


@pytest.mark.parametrize(
    ("form", "until", "previous", "allowed", "latest", "reasons"),
    [
        pytest.param("stationary", "2026-05-15", "0", True, "2026-05-15", [], id="app1_p7_first_within_30"),
        pytest.param("stationary", "2026-04-20", "1", False, "2026-04-15", ["already_postponed"], id="app1_p7_once"),
        pytest.param("semi_stationary", "2026-04-30", "0", False, "2026-04-29", ["beyond_limit"], id="app2_p7_14"),
        pytest.param("temporary_stay", "2026-04-20", "0", False, "2026-04-15", ["form_has_no_postponement"],
                     id="app4_no_postponement"),
    ],
)  # fmt: skip
def test_postpone_json(
    form: str,
    until: str,
    previous: str,
    allowed: bool,
    latest: str,
    reasons: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["rules", "postpone", "--form", form, "--arrival-due", "2026-04-15", "--until", until]
    assert main([*argv, "--previous", previous, "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert (payload["allowed"], payload["latest"], payload["reasons"]) == (allowed, latest, reasons)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(["add-working-days", "2026-02-30", "1"], "DATE: '2026-02-30' is not a date", id="bad_date"),
        pytest.param(["add-working-days", "2026-03-20", "two"], "N: 'two' is not a whole number", id="bad_n"),
        pytest.param(["add-working-days", "2026-03-20", "0"], "N: must not be 0", id="zero_n"),
        pytest.param(["add-working-days", "1985-01-01", "1"], "DATE: 1985-01-01 is outside the working", id="too_old"),
        pytest.param(
            ["deadline", "--form", "hostel", "--step", "arrive", "--from", "2026-03-20"],
            "--form: unknown value 'hostel'",
            id="unknown_form",
        ),
        pytest.param(
            ["deadline", "--form", "home", "--step", "arrive", "--from", "2026-03-20"],
            "--step: unknown step 'arrive' for form 'home' (expected one of: home_visit,",
            id="step_not_of_this_form",
        ),
        pytest.param(
            ["deadline", "--form", "stationary", "--step", "fly", "--from", "2026-03-20"],
            "--step: unknown step 'fly' for form 'stationary'",
            id="unknown_step",
        ),
        pytest.param(
            ["deadline", "--form", "stationary", "--step", "arrive", "--from", "20.03.2026"],
            "--from: '20.03.2026' is not a date",
            id="deadline_bad_date",
        ),
        pytest.param(
            ["deadline", "--form", "temporary_stay", "--step", "contract", "--from", "2024-06-03"],
            "--from: App.4 p.8 applies from 2025-03-17",
            id="app4_p8_before_order_72",
        ),
        pytest.param(
            ["postpone", "--form", "stationary", "--arrival-due", "2026-04-15", "--until", "soon", "--previous", "0"],
            "--until: 'soon' is not a date",
            id="postpone_bad_date",
        ),
        pytest.param(
            ["postpone", "--form", "stationary", "--arrival-due", "2026-04-15", "--until", "2026-04-20",
             "--previous", "once"],
            "--previous: 'once' is not a whole number",
            id="postpone_bad_previous",
        ),
    ],
)  # fmt: skip
def test_bad_input_exits_2_with_one_line(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith(f"qamqor: error: {message}")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(["add-working-days", "2026-03-20", "1.5"], "N: '1.5' is not a whole number", id="bad_n"),
        pytest.param(
            ["deadline", "--form", "home", "--step", "arrive", "--from", "2026-03-20", "--json"],
            "--step: unknown step 'arrive' for form 'home'",
            id="step_not_of_this_form",
        ),
    ],
)
def test_installed_console_script_exits_2_with_one_line(argv: list[str], message: str) -> None:
    result = subprocess.run([str(QAMQOR), "rules", *argv], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"qamqor: error: {message}")


def test_installed_console_script_prints_the_date() -> None:
    result = subprocess.run(
        [str(QAMQOR), "rules", "add-working-days", "2026-03-20", "1"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "2026-03-26\n", "")
