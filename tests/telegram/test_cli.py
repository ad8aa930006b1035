"""`qamqor telegram set-webhook` and `qamqor telegram polling`, settings from the environment as in production."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from qamqor.cli import telegram as telegram_cli
from qamqor.cli.common import UsageError
from tests.fakes import TOKEN, FakeTelegram
from tests.telegram.conftest import WEBHOOK_SECRET


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="qamqor")
    telegram_cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["telegram", *argv])
    return int(args.handler(args))


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fake_telegram: FakeTelegram) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("QAMQOR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("QAMQOR_PUBLIC_URL", "https://qamqor.example.kz/")
    monkeypatch.setenv("QAMQOR_TELEGRAM__TOKEN", TOKEN)
    monkeypatch.setenv("QAMQOR_TELEGRAM__WEBHOOK_SECRET", WEBHOOK_SECRET)
    monkeypatch.setenv("QAMQOR_TELEGRAM__API_BASE_URL", fake_telegram.url)


def test_set_webhook_registers_public_url_with_the_secret(
    fake_telegram: FakeTelegram, capsys: pytest.CaptureFixture[str]
):
    assert run("set-webhook") == 0

    assert fake_telegram.webhook == {
        "url": "https://qamqor.example.kz/telegram/webhook",
        "secret_token": WEBHOOK_SECRET,
        "allowed_updates": ["message", "callback_query"],
    }
    assert "https://qamqor.example.kz/telegram/webhook" in capsys.readouterr().out


def test_set_webhook_without_a_secret_is_refused(monkeypatch: pytest.MonkeyPatch, fake_telegram: FakeTelegram):
    monkeypatch.delenv("QAMQOR_TELEGRAM__WEBHOOK_SECRET")

    with pytest.raises(UsageError, match="WEBHOOK_SECRET"):
        run("set-webhook")
    assert fake_telegram.calls("setWebhook") == []


def test_set_webhook_telegram_refusal_is_one_line(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("QAMQOR_PUBLIC_URL", "http://127.0.0.1:8000")

    with pytest.raises(UsageError, match="HTTPS URL must be provided"):
        run("set-webhook")


@pytest.mark.parametrize("command", ["set-webhook", "polling"])
def test_commands_need_a_token(monkeypatch: pytest.MonkeyPatch, command: str):
    monkeypatch.delenv("QAMQOR_TELEGRAM__TOKEN")

    with pytest.raises(UsageError, match="QAMQOR_TELEGRAM__TOKEN"):
        run(command)


@pytest.mark.parametrize("wiring", ["no.such.module:deps", "tests.telegram.scripted:no_such_function", "no-colon"])
def test_polling_with_unknown_wiring_is_a_usage_error(wiring: str):
    with pytest.raises(UsageError, match="--wiring"):
        run("polling", "--wiring", wiring)


def test_polling_wiring_must_return_telegram_deps():
    with pytest.raises(UsageError, match="not TelegramDeps"):
        run("polling", "--wiring", "builtins:repr")  # returns a str
