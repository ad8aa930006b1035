"""`qamqor deliver`: the delivery worker outside the web process, for operators.

    qamqor deliver --once    one pass: every notice and staff answer due now, then a line of counts
    qamqor deliver           the scheduler on its own (lease-guarded like the one in `qamqor serve`), until Ctrl-C

Senders come from settings: Telegram with a bot token, WhatsApp with a phone number id and token; the web chat
always (its page fetches what is queued for it).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from qamqor.settings import Settings

if TYPE_CHECKING:  # imported when the command runs: `qamqor rules ...` need not load the channels
    from qamqor.delivery import Channels, Report
    from qamqor.runtime import Runtime


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("deliver", help="send due notices and staff answers (once, or as a scheduler)")
    parser.add_argument("--once", action="store_true", help="one pass over everything due now, then exit")
    parser.set_defaults(handler=_deliver)


def _deliver(args: argparse.Namespace) -> int:
    from qamqor.runtime import Runtime

    settings = Settings()
    runtime = Runtime(settings)
    try:
        return asyncio.run(_once(runtime) if args.once else _forever(runtime))
    finally:
        runtime.dispose()


@contextlib.asynccontextmanager
async def channels_from_settings(runtime: Runtime) -> AsyncIterator[Channels]:
    """The senders the settings configure, closed afterwards."""
    from qamqor.delivery import build_channels

    settings = runtime.settings
    async with contextlib.AsyncExitStack() as stack:
        telegram = whatsapp = None
        if settings.telegram.token is not None:
            from bot.telegram import TelegramSender, make_bot

            bot = make_bot(settings)
            stack.push_async_callback(bot.session.close)
            telegram = TelegramSender(bot)
        from bot.whatsapp.client import is_configured

        if is_configured(settings):
            from bot.whatsapp.client import make_client
            from bot.whatsapp.sender import WhatsAppSender

            client = make_client(settings)
            stack.push_async_callback(client.close)
            whatsapp = WhatsAppSender(client.wa, clock=runtime.clock)
        yield build_channels(settings, telegram=telegram, whatsapp=whatsapp)


async def _once(runtime: Runtime) -> int:
    from qamqor.delivery import DeliveryWorker

    async with channels_from_settings(runtime) as channels:
        worker = DeliveryWorker(runtime, channels)
        notices = await worker.deliver_outbox()
        answers = await worker.deliver_replies()
    print(f"notices: {summary(notices)}")
    print(f"staff answers: {summary(answers)}")
    return 0


def summary(report: Report) -> str:
    if not report.total:
        return "nothing due"
    return ", ".join(f"{count} {status}" for status, count in sorted(report.outcomes.items()))


async def _forever(runtime: Runtime) -> int:
    from qamqor.delivery import DeliveryWorker
    from qamqor.scheduler import Scheduler

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with channels_from_settings(runtime) as channels:
        scheduler = Scheduler(runtime, DeliveryWorker(runtime, channels))
        scheduler.start()
        print(f"delivering (lease holder {scheduler.lease.holder}); Ctrl-C stops")
        await stop.wait()
        await scheduler.stop()
    return 0
