"""`qamqor telegram polling` and `qamqor telegram set-webhook`.

Polling needs the dialogue and the ledger: it gets them from a wiring function `f(settings) -> TelegramDeps`,
named MODULE:FUNCTION with --wiring (default below), the same pieces the app factory passes to install_telegram.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
from typing import TYPE_CHECKING

from qamqor.cli.common import UsageError
from qamqor.settings import Settings

if TYPE_CHECKING:
    from bot.telegram import TelegramDeps

DEFAULT_WIRING = "qamqor.wiring:telegram_deps"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = commands.add_parser("telegram", help="the Telegram channel: long polling, webhook registration")
    actions = group.add_subparsers(dest="telegram_command", required=True)

    polling = actions.add_parser("polling", help="answer people by long polling (no public HTTPS needed)")
    polling.add_argument("--wiring", default=DEFAULT_WIRING, help=f"MODULE:FUNCTION (default {DEFAULT_WIRING})")
    polling.add_argument(
        "--replace-webhook", action="store_true", help="remove a registered webhook so polling can start"
    )
    polling.set_defaults(handler=_polling)

    webhook = actions.add_parser("set-webhook", help="register PUBLIC_URL/telegram/webhook with Telegram")
    webhook.add_argument(
        "--drop-pending-updates", action="store_true", help="discard updates Telegram is still holding"
    )
    webhook.set_defaults(handler=_set_webhook)


def _polling(args: argparse.Namespace) -> int:
    from bot.telegram import PollingRunner, WebhookActive

    settings = Settings()
    _require_token(settings)
    runner = PollingRunner(settings, load_wiring(args.wiring, settings), replace_webhook=args.replace_webhook)
    print("Polling Telegram; Ctrl+C stops.")
    try:
        asyncio.run(runner.run())
    except WebhookActive as active:
        raise UsageError(f"{active}; pass --replace-webhook to remove it and poll") from None
    return 0


def _set_webhook(args: argparse.Namespace) -> int:
    from bot.telegram import WEBHOOK_PATH

    settings = Settings()
    _require_token(settings)
    secret = settings.telegram.webhook_secret
    if secret is None or not secret.get_secret_value():
        raise UsageError("QAMQOR_TELEGRAM__WEBHOOK_SECRET is not set; the webhook would refuse every update")
    url = settings.public_url.rstrip("/") + WEBHOOK_PATH
    asyncio.run(_register_webhook(settings, url, secret.get_secret_value(), args.drop_pending_updates))
    print(f"Telegram webhook set: {url}")
    return 0


async def _register_webhook(settings: Settings, url: str, secret: str, drop_pending: bool) -> None:
    from aiogram.exceptions import TelegramAPIError

    from bot.telegram import ALLOWED_UPDATES, make_bot

    bot = make_bot(settings)
    try:
        await bot.set_webhook(
            url, secret_token=secret, allowed_updates=ALLOWED_UPDATES, drop_pending_updates=drop_pending
        )
    except TelegramAPIError as error:
        raise UsageError(f"Telegram refused the webhook: {error.message}") from None
    finally:
        await bot.session.close()


def load_wiring(target: str, settings: Settings) -> TelegramDeps:
    """Import MODULE:FUNCTION and call it with the settings; it returns the channel's TelegramDeps."""
    from bot.telegram import TelegramDeps

    module_name, _, function_name = target.partition(":")
    try:
        factory = getattr(importlib.import_module(module_name), function_name)
    except (ImportError, AttributeError, ValueError):
        raise UsageError(f"--wiring: cannot import '{target}' (expected MODULE:FUNCTION)") from None
    deps = factory(settings)
    if not isinstance(deps, TelegramDeps):
        raise UsageError(f"--wiring: '{target}' returned {type(deps).__name__}, not TelegramDeps")
    return deps


def _require_token(settings: Settings) -> None:
    if settings.telegram.token is None:
        raise UsageError("QAMQOR_TELEGRAM__TOKEN is not set")
