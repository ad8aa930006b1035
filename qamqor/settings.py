"""Typed settings from the environment (prefix QAMQOR_, nested groups with `__`), with safe local defaults.

Secrets are SecretStr and never have a value in code. The session-signing key, when not configured, is generated
once and kept in the data directory, so a local run works with no setup and a production run can pin its own.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class TelegramSettings(BaseModel):
    token: SecretStr | None = None
    webhook_secret: SecretStr | None = None
    # A local Bot API server or a test double; aiogram appends /bot<token>/<method>.
    api_base_url: str = "https://api.telegram.org"
    staff_chat_id: int | None = None


class WhatsAppSettings(BaseModel):
    phone_number_id: str | None = None
    token: SecretStr | None = None
    app_secret: SecretStr | None = None
    verify_token: SecretStr | None = None
    api_base_url: str = "https://graph.facebook.com"


class AdminSettings(BaseModel):
    """The staff panel at /admin: how long a signed-in session lasts."""

    session_max_age_seconds: int = 8 * 60 * 60  # one working day, then sign in again
    session_idle_seconds: int = 30 * 60  # signed out after half an hour without a request


class DeliverySettings(BaseModel):
    """The delivery worker (reminders, notices, staff answers): pace, retries and Telegram's rate limits."""

    interval_seconds: float = 5.0  # how often the scheduler looks for due rows
    batch_size: int = 100  # rows claimed at once
    max_attempts: int = 8  # failed sends before a row is FAILED and shown to staff
    backoff_seconds: float = 30.0  # the first retry; doubles each time
    backoff_cap_seconds: float = 3600.0
    telegram_per_second: float = 30.0  # Telegram: about 30 messages per second per bot
    telegram_per_chat_per_second: float = 1.0  # and one per second per chat


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="QAMQOR_", env_nested_delimiter="__", env_file=".env", extra="ignore")

    environment: Literal["dev", "test", "prod"] = "dev"
    data_dir: Path = Path("data")
    database_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str = "http://127.0.0.1:8000"
    secret_key: SecretStr | None = None
    timezone: str = "Asia/Almaty"
    max_upload_bytes: int = 10 * 1024 * 1024
    telegram: TelegramSettings = TelegramSettings()
    whatsapp: WhatsAppSettings = WhatsAppSettings()
    admin: AdminSettings = AdminSettings()
    delivery: DeliverySettings = DeliverySettings()
    # The in-app scheduler (reminders and delivery). Off by default when environment is "test".
    scheduler_enabled: bool = True

    @model_validator(mode="after")
    def _production_needs_real_secrets(self) -> Settings:
        if self.environment == "prod" and (self.secret_key is None or self.database_url is None):
            raise ValueError("QAMQOR_SECRET_KEY and QAMQOR_DATABASE_URL must be set when QAMQOR_ENVIRONMENT=prod")
        return self

    @model_validator(mode="after")
    def _no_scheduler_in_tests_unless_asked(self) -> Settings:
        # Apps built by tests must not start background jobs behind the test's back (timing, flakes).
        if self.environment == "test" and "scheduler_enabled" not in self.model_fields_set:
            self.scheduler_enabled = False
        return self

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'qamqor.db').resolve()}"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"

    def session_secret(self) -> str:
        """The configured key, or one generated on first use and kept under the data directory (dev only)."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        key_file = self.data_dir / "secret_key"
        if not key_file.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_urlsafe(48))
            key_file.chmod(0o600)
        return key_file.read_text().strip()
