"""`qamqor deliver --once` for operators, and `qamqor bench reminders` with a small --due (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.db.enums import OutboxStatus
from core.services import cases, notices
from qamqor.cli import main
from qamqor.runtime import Runtime
from tests.db.fixtures import postgres_server_url
from tests.delivery.conftest import applicant, row_of
from tests.fakes import TOKEN, FakeTelegram


async def test_deliver_once_sends_what_is_due_and_says_what_it_did(
    runtime: Runtime, places, migrated_url: str, fake_telegram: FakeTelegram, monkeypatch, capsys, tmp_path: Path
):
    person = applicant(runtime, places, chat=9501)
    with runtime.context() as ctx:
        row = notices.notify(ctx, cases.get_case(ctx, person.case_id), "submitted")
        row.next_attempt_at = datetime(2000, 1, 3, 12, 0, tzinfo=UTC)  # long due, whatever today's date
        row.urgent = True  # and not held back by quiet hours, whatever the hour the suite runs at
        ctx.session.flush()
        row_id = int(row.id)
    for name, value in {
        "QAMQOR_ENVIRONMENT": "test",
        "QAMQOR_DATA_DIR": str(tmp_path / "data"),
        "QAMQOR_DATABASE_URL": migrated_url,
        "QAMQOR_TELEGRAM__TOKEN": TOKEN,
        "QAMQOR_TELEGRAM__API_BASE_URL": fake_telegram.url,
    }.items():
        monkeypatch.setenv(name, value)

    assert await _run(["deliver", "--once"]) == 0

    out = capsys.readouterr().out
    assert "notices: 1 sent" in out and "staff answers: nothing due" in out
    assert row_of(runtime, row_id).status == OutboxStatus.SENT
    assert len(fake_telegram.messages_to(9501)) == 1


async def _run(argv: list[str]) -> int:
    """The command runs its own event loop: run it in a thread, away from the test's."""
    return await asyncio.to_thread(main, argv)


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_bench_reminders_prints_the_sweep_and_the_delivery_rates(backend: str, monkeypatch, capsys, tmp_path: Path):
    monkeypatch.setenv("QAMQOR_DATA_DIR", str(tmp_path / "data"))
    if backend == "postgresql":
        monkeypatch.setenv("QAMQOR_DATABASE_URL", postgres_server_url().render_as_string(hide_password=False))

    assert main(["bench", "reminders", "--due", "60", "--sample", "30", "--limited-sample", "10"]) == 0

    out = capsys.readouterr().out
    assert f"reminders benchmark: 60 due notices on {backend}" in out
    assert re.search(r"planning sweep over 60 open cases: first [\d.]+ s \(\d+ reminders planned\), then daily", out)
    assert "delivery sweep: claimed 60 due rows in" in out
    limited = re.search(r"rate limits on : 10 rows in ([\d.]+) s", out)
    assert re.search(r"rate limits off: 30 rows in [\d.]+ s = \d+ rows/s", out) and limited
    assert float(limited.group(1)) >= 9 / 30  # ten messages, evenly spaced at 30 a second
    assert "the fake Bot API received 40 messages" in out


def test_bench_reminders_refuses_a_zero(capsys):
    assert main(["bench", "reminders", "--due", "0"]) == 2
    assert "--due" in capsys.readouterr().err
