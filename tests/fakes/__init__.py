"""Test doubles for the platforms Qamqor talks to, served on loopback so the real client libraries are exercised."""

from tests.fakes.telegram_api import TOKEN, FakeTelegram, SentMessage

__all__ = ["TOKEN", "FakeTelegram", "SentMessage"]
