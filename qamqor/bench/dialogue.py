"""`qamqor bench dialogue`: Telegram webhook updates per second and latency, the real dialogue vs a bare echo bot.

Both apps are served by uvicorn in a thread on 127.0.0.1 and talk to one loopback Bot API stub (bot_api_stub.py).
Simulated people (one coroutine per chat) post Telegram Update JSON to the webhook with the secret header, each
waiting for its update to be handled before sending the next (as a person waits for the reply), with at most
`concurrency` updates in flight. The journey is what a real applicant does: /start, language, consent, a new
application (IIN typed, name typed, buttons pressed) until the draft is opened, then menu, status, documents and
a question for staff, over and over.

Latency runs from just before the POST until the handler of that update has finished, i.e. every Bot API call
it made (editMessageText, each sendMessage) has been answered by the stub. The webhook itself answers 200 before
handling (a button press is answered in that 200, which Telegram would perform: the harness counts it as an
answerCallbackQuery call), so the HTTP response alone would say nothing. A small outer middleware on the
dispatcher reports "handled" back to the harness; it is the only thing added to the real app.

The echo bot is the floor: the same webhook route (secret check, parsing, handling in the background, the press
answered in the 200) in front of a dispatcher whose handlers only echo, without a database. It is sent exactly
the updates the real dialogue was sent (recorded, then replayed per chat in the same order, with the same
concurrency), so both parse the same JSON, button presses with their keyboards included.

The harness, the stub and the app share one process and its GIL, so the harness is kept light: aiohttp's client
(httpx cost about 1 ms more CPU per request here, more than the whole echo bot's handling).

The real app runs on a throwaway database of the configured kind (migrated, demo data loaded), as in
`bench queue`. Everything is bounded: a fixed number of updates, a timeout per update and per run.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import socket
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import aiohttp
import sqlalchemy as sa
import uvicorn
from aiogram import BaseMiddleware, Bot, Dispatcher, F, Router
from aiogram.types import CallbackQuery, Message, TelegramObject, Update
from fastapi import FastAPI
from pydantic import SecretStr

from bot.telegram import SECRET_HEADER, WEBHOOK_PATH, TelegramChannel, TelegramRenderer, make_bot
from bot.telegram.webhook import webhook_router
from core.db.engine import make_engine
from core.db.migrate import upgrade
from core.db.models import Case
from core.rules.iin import check_digit
from qamqor.app import create_app
from qamqor.bench.bot_api_stub import BotApiStub, bot_message
from qamqor.bench.queue import scratch_database
from qamqor.demo import load_demo
from qamqor.runtime import Runtime
from qamqor.settings import Settings, TelegramSettings

FAKE_TOKEN = "123456789:BenchTokenNotARealBot_0123456789abc"
WEBHOOK_SECRET = "bench-webhook-secret"
UPDATE_TIMEOUT_SECONDS = 30.0
RUN_TIMEOUT_SECONDS = 900.0
FIRST_CHAT_ID = 880_000_000
WARM_UP_STEPS = 3  # one extra chat's first updates, unmeasured: lazy imports, first connections


# --- the simulated people -------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Typed:
    text: str


@dataclass(frozen=True, slots=True)
class Press:
    """Press the newest button whose callback data starts with `prefix`."""

    prefix: str


Action = Typed | Press


def applicant_iin(index: int) -> str:
    """A valid IIN per chat: a woman born in the 1930s (no demo person is), distinct for the first 420 chats."""
    birth = date(1930 + index % 10, 1 + index % 12, 1 + index % 28)
    for bump in range(100):
        first = f"{birth:%y%m%d}4{(index + bump) % 10_000:04d}"
        digit = check_digit(first)
        if digit is not None:
            return first + str(digit)
    raise ValueError(f"no valid IIN for chat {index}")  # pragma: no cover - a check digit exists within 100


def journey(index: int, length: int) -> list[Action]:
    """Onboarding and a new application up to the opened draft, then the everyday questions, repeated."""
    application: list[Action] = [
        Typed("/start"),
        Press("lang:ru"),
        Press("consent:yes"),
        Press("menu:apply"),
        Press("self"),
        Typed(applicant_iin(index)),
        Press("yes"),
        Typed("Абенова Айгуль Сериковна"),
        Press("cat:elderly"),
        Press("region:"),
        Press("district:"),
        Press("form:"),
    ]
    everyday: list[Action] = [
        Typed("/menu"),
        Press("menu:status"),
        Typed("/menu"),
        Press("menu:documents"),
        Typed("/menu"),
        Press("menu:ask"),
        Typed("Когда будет решение по заявлению?"),
    ]
    return list(itertools.islice(itertools.chain(application, itertools.cycle(everyday)), length))


def scripts(chats: int, updates: int) -> list[list[Action]]:
    """`updates` actions shared out over `chats` chats (the first chats take the remainder)."""
    share, extra = divmod(updates, chats)
    return [journey(index, share + (1 if index < extra else 0)) for index in range(chats)]


# --- knowing when an update has been handled --------------------------------------------------------------------
class HandledSignal(BaseMiddleware):
    """An outer middleware that tells the harness (in another thread's event loop) when an update is handled."""

    def __init__(self, harness_loop: asyncio.AbstractEventLoop) -> None:
        self._loop = harness_loop
        self._waiting: dict[int, asyncio.Future[float]] = {}  # touched only in the harness loop

    def expect(self, update_id: int) -> asyncio.Future[float]:
        future: asyncio.Future[float] = self._loop.create_future()
        self._waiting[update_id] = future
        return future

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        try:
            return await handler(event, data)
        finally:
            if isinstance(event, Update):
                self._loop.call_soon_threadsafe(self._handled, event.update_id, time.perf_counter())

    def _handled(self, update_id: int, at: float) -> None:
        future = self._waiting.pop(update_id, None)
        if future is not None and not future.done():
            future.set_result(at)


# --- the two apps -----------------------------------------------------------------------------------------------
def qamqor_app(settings: Settings, signal: HandledSignal) -> FastAPI:
    """The real web process (create_app), with the signal added to its Telegram dispatcher."""
    app = create_app(settings)
    app.state.telegram.dispatcher.update.outer_middleware(signal)
    return app


def echo_app(settings: Settings, signal: HandledSignal) -> FastAPI:
    """The floor: the same webhook route as the real app (bot.telegram.webhook), handlers that only echo."""
    dispatcher = Dispatcher(disable_fsm=True)
    dispatcher.update.outer_middleware(signal)
    dispatcher.include_router(echo_router())
    channel = TelegramChannel(make_bot(settings), dispatcher, TelegramRenderer())
    app = FastAPI()
    app.include_router(webhook_router(channel, settings.telegram.webhook_secret))
    return app


def echo_router() -> Router:
    router = Router(name="echo")

    @router.message(F.text)
    async def echo_text(message: Message) -> None:
        await message.answer(message.text or "")

    @router.callback_query()
    async def echo_button(callback: CallbackQuery, bot: Bot, callback_answered: bool = False) -> None:
        if not callback_answered:  # as the real bot does: the webhook's 200 answered it already
            await callback.answer()
        await bot.send_message(callback.from_user.id, callback.data or "?")

    return router


@asynccontextmanager
async def served(app: FastAPI) -> AsyncIterator[str]:
    """The app under uvicorn in a thread of its own (own event loop) on a free loopback port."""
    # IPPROTO_TCP, as the sockets uvicorn binds itself in production: asyncio then sets TCP_NODELAY on each
    # connection. Without it a response written in two parts (headers, then a body) waited ~40 ms for a delayed
    # ACK (Nagle), which the webhook's answer to a button press did in every run.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="bench-app", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    try:
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the benchmarked app did not start")
            await asyncio.sleep(0.02)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.to_thread(thread.join, 30)
        sock.close()


# --- the harness --------------------------------------------------------------------------------------------------
@dataclass(slots=True)
class Figures:
    updates: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    presses_missed: int = 0  # a Press whose button was nowhere in the chat: the journey went off its path

    @property
    def per_second(self) -> float:
        return self.updates / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        """Nearest-rank percentile of the latencies, in ms."""
        ordered = sorted(self.latencies_ms)
        return ordered[max(0, math.ceil(share * len(ordered)) - 1)] if ordered else 0.0


Recording = dict[int, list[dict[str, Any]]]
"""The updates posted to each chat, in order: what the echo bot is sent again."""


class Harness:
    """Posts each chat's updates in turn; builds them from the actions, or replays a recording of another run."""

    def __init__(
        self,
        client: aiohttp.ClientSession,
        webhook_url: str,
        stub: BotApiStub,
        signal: HandledSignal,
        replay: Recording | None = None,
    ) -> None:
        self.client, self.webhook_url, self.stub, self.signal = client, webhook_url, stub, signal
        self.replay = replay
        self.posted: Recording = defaultdict(list)
        self.update_ids = itertools.count(1)
        self.message_ids = itertools.count(1)

    async def warm_up(self, index: int) -> None:
        await self.play(FIRST_CHAT_ID + index, journey(index, WARM_UP_STEPS), Figures(), asyncio.Semaphore(1))

    async def drive(self, plan: Sequence[list[Action]], concurrency: int) -> Figures:
        figures = Figures()
        gate = asyncio.Semaphore(concurrency)
        started = time.perf_counter()
        chats = [self.play(FIRST_CHAT_ID + index, actions, figures, gate) for index, actions in enumerate(plan)]
        await asyncio.gather(*chats)
        figures.seconds = time.perf_counter() - started
        return figures

    async def play(self, chat_id: int, actions: list[Action], figures: Figures, gate: asyncio.Semaphore) -> None:
        for action in actions:
            async with gate:
                update = self.next_update(chat_id, action, figures)
                handled = self.signal.expect(update["update_id"])
                sent_at = time.perf_counter()
                await self.post(update)
                try:
                    done_at = await asyncio.wait_for(handled, UPDATE_TIMEOUT_SECONDS)
                except TimeoutError:
                    raise RuntimeError(f"update {update['update_id']} was not handled within the timeout") from None
            figures.latencies_ms.append((done_at - sent_at) * 1000)
            figures.updates += 1

    def next_update(self, chat_id: int, action: Action, figures: Figures) -> dict[str, Any]:
        posted = self.posted[chat_id]
        if self.replay is not None:
            update = self.replay[chat_id][len(posted)]
        else:
            update = self.update_for(chat_id, action, figures)
        posted.append(update)
        return update

    async def post(self, update: dict[str, Any]) -> None:
        headers = {SECRET_HEADER: WEBHOOK_SECRET}
        async with self.client.post(self.webhook_url, json=update, headers=headers) as response:
            body = await response.read()
            if response.status != 200:
                raise RuntimeError(f"the webhook answered {response.status} to update {update['update_id']}")
        if body:  # a method call in the webhook's answer: Telegram would perform it
            self.stub.performed_for_webhook(json.loads(body)["method"])

    def update_for(self, chat_id: int, action: Action, figures: Figures) -> dict[str, Any]:
        update_id = next(self.update_ids)
        if isinstance(action, Typed):
            return {"update_id": update_id, "message": self.text_message(chat_id, action.text)}
        found = self.stub.find_button(chat_id, action.prefix)
        if found is None:
            figures.presses_missed += 1
            found = (bot_message(0, chat_id, "?"), action.prefix)
        message, data = found
        query = {"id": str(update_id), "from": person(chat_id), "chat_instance": str(chat_id), "data": data}
        return {"update_id": update_id, "callback_query": {**query, "message": message}}

    def text_message(self, chat_id: int, text: str) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": next(self.message_ids),
            "from": person(chat_id),
            "chat": {"id": chat_id, "type": "private", "first_name": "Айгуль"},
            "date": int(time.time()),
            "text": text,
        }
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return message


def person(chat_id: int) -> dict[str, Any]:
    return {"id": chat_id, "is_bot": False, "first_name": "Айгуль", "language_code": "ru"}


async def measure(
    build: Callable[[Settings, HandledSignal], FastAPI],
    settings: Settings,
    stub: BotApiStub,
    plan: Sequence[list[Action]],
    concurrency: int,
    replay: Recording | None = None,
) -> tuple[Figures, Recording]:
    """The figures of one app, and the updates it was sent (to replay to the other)."""
    stub.reset()
    signal = HandledSignal(asyncio.get_running_loop())
    timeout = aiohttp.ClientTimeout(total=UPDATE_TIMEOUT_SECONDS)
    async with served(build(settings, signal)) as url, aiohttp.ClientSession(timeout=timeout) as client:
        harness = Harness(client, url + WEBHOOK_PATH, stub, signal, replay)
        await harness.warm_up(len(plan))
        try:
            figures = await asyncio.wait_for(harness.drive(plan, concurrency), RUN_TIMEOUT_SECONDS)
        except TimeoutError:
            raise RuntimeError(f"the benchmark did not finish within {RUN_TIMEOUT_SECONDS:.0f} s") from None
        return figures, harness.posted


# --- the whole benchmark ------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Comparison:
    dialogue: Figures
    echo: Figures
    applications_opened: int

    @property
    def ratio(self) -> float:
        return self.dialogue.per_second / self.echo.per_second if self.echo.per_second else 0.0


def run(settings: Settings, *, chats: int, updates: int, concurrency: int) -> Comparison:
    """Measure the real dialogue, then the echo bot with the same updates, the same concurrency and the same stub."""
    plan = scripts(chats, updates)
    with tempfile.TemporaryDirectory() as data_dir, scratch_database(settings.effective_database_url) as url:
        prepare_database(settings, url)
        return asyncio.run(_compare(bench_settings(settings, url, Path(data_dir)), plan, concurrency))


def bench_settings(settings: Settings, url: str, data_dir: Path) -> Settings:
    telegram = TelegramSettings(token=SecretStr(FAKE_TOKEN), webhook_secret=SecretStr(WEBHOOK_SECRET))
    return settings.model_copy(update={"database_url": url, "data_dir": data_dir, "telegram": telegram})


def prepare_database(settings: Settings, url: str) -> None:
    upgrade(url)
    runtime = Runtime(settings.model_copy(update={"database_url": url}))
    try:
        with runtime.context() as ctx:
            load_demo(ctx)
    finally:
        runtime.dispose()


async def _compare(settings: Settings, plan: Sequence[list[Action]], concurrency: int) -> Comparison:
    async with BotApiStub(FAKE_TOKEN) as stub:
        telegram = settings.telegram.model_copy(update={"api_base_url": stub.url})
        settings = settings.model_copy(update={"telegram": telegram})
        before = count_cases(settings)
        dialogue, sent = await measure(qamqor_app, settings, stub, plan, concurrency)
        opened = count_cases(settings) - before
        echo, _ = await measure(echo_app, settings, stub, plan, concurrency, replay=sent)
    return Comparison(dialogue, echo, opened)


def count_cases(settings: Settings) -> int:
    engine = make_engine(settings.effective_database_url)
    try:
        with engine.connect() as connection:
            return int(connection.scalar(sa.select(sa.func.count()).select_from(Case)) or 0)
    finally:
        engine.dispose()
