"""A minimal loopback Telegram Bot API stub: a BENCHMARK TOOL for `qamqor bench dialogue`, not a test double.

It answers the methods a bot calls while it talks (getMe, sendMessage, answerCallbackQuery, editMessageText,
editMessageReplyMarkup, sendChatAction, ...) with the smallest JSON aiogram accepts, does as little work as it
can (so the figures measure the bot, not the stub), and remembers only what the benchmark's simulated people
need: the newest messages with buttons in each chat (to press them) and how many messages each chat received.
Any other method gets `{"ok": true, "result": true}`. It listens on 127.0.0.1 only.

    async with BotApiStub(token) as stub:      # serves stub.url; aiogram calls <url>/bot<token>/<method>
        ...
        found = stub.find_button(chat_id, "lang:")  # (the message as Telegram would send it, callback data)
"""

from __future__ import annotations

import itertools
import json
import time
from collections import Counter, defaultdict, deque
from typing import Any, Self

from aiohttp import web

BOT_USER: dict[str, Any] = {"id": 7000000001, "is_bot": True, "first_name": "Qamqor", "username": "qamqor_bench_bot"}
KEYBOARDS_KEPT = 8  # per chat: enough for "menu buttons work from an older message too"
_JSON_FIELDS = frozenset({"chat_id", "message_id", "reply_markup"})  # form fields aiogram sends JSON-encoded


class BotApiStub:
    """The stub server. Start and stop it inside one event loop (`async with`)."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.url = ""
        self._runner: web.AppRunner | None = None
        self._ids = itertools.count(1)
        self.reset()

    def reset(self) -> None:
        """Forget every call, count and keyboard (one stub serves several benchmark runs)."""
        self.calls: Counter[str] = Counter()
        self.sent: Counter[int] = Counter()  # sendMessage calls per chat
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._keyboards: defaultdict[int, deque[int]] = defaultdict(lambda: deque(maxlen=KEYBOARDS_KEPT))

    async def __aenter__(self) -> Self:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # --- what the simulated person sees -------------------------------------------------------------------------
    def find_button(self, chat_id: int, prefix: str) -> tuple[dict[str, Any], str] | None:
        """The newest message in the chat with a button whose callback data starts with `prefix`, and that data."""
        for message_id in reversed(self._keyboards[chat_id]):
            message = self._messages.get((chat_id, message_id))
            for row in (message or {}).get("reply_markup", {}).get("inline_keyboard", []):
                for button in row:
                    data = str(button.get("callback_data", ""))
                    if message is not None and data.startswith(prefix):
                        return message, data
        return None

    def performed_for_webhook(self, method: str) -> None:
        """Count a method the bot returned in its webhook response, which Telegram performs for it (the bench's
        bots answer button presses that way; answering one changes no message, so nothing else is kept)."""
        self.calls[method.lower()] += 1

    # --- the HTTP side --------------------------------------------------------------------------------------------
    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _json({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"].lower()
        self.calls[method] += 1
        params = await _params(request)
        if method == "getme":
            return _ok(BOT_USER)
        if method in ("sendmessage", "senddocument"):
            return _ok(self._send(params))
        if method in ("editmessagetext", "editmessagereplymarkup"):
            return _ok(self._edit(params))
        return _ok(True)  # answerCallbackQuery, sendChatAction, setWebhook, deleteWebhook...

    def _send(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        self.sent[chat_id] += 1
        message = bot_message(next(self._ids), chat_id, str(params.get("text") or params.get("caption") or ""))
        self._remember(message, params.get("reply_markup"))
        return message

    def _edit(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        old = self._messages.get((chat_id, message_id)) or bot_message(message_id, chat_id, "")
        message = bot_message(message_id, chat_id, str(params.get("text") or old.get("text", "")))
        self._remember(message, params.get("reply_markup"))  # no markup: Telegram removes the keyboard
        return message

    def _remember(self, message: dict[str, Any], markup: Any) -> None:
        chat_id, message_id = message["chat"]["id"], message["message_id"]
        if isinstance(markup, dict) and markup.get("inline_keyboard"):
            message["reply_markup"] = markup
            self._messages[(chat_id, message_id)] = message
            if message_id not in self._keyboards[chat_id]:
                if len(self._keyboards[chat_id]) == KEYBOARDS_KEPT:
                    self._messages.pop((chat_id, self._keyboards[chat_id][0]), None)
                self._keyboards[chat_id].append(message_id)
        elif (chat_id, message_id) in self._messages:
            self._messages[(chat_id, message_id)] = message  # keyboard gone; still kept until it ages out


def bot_message(message_id: int, chat_id: int, text: str) -> dict[str, Any]:
    """A message from the bot in a private chat, as the Bot API returns it."""
    message: dict[str, Any] = {
        "message_id": message_id,
        "from": BOT_USER,
        "chat": {"id": chat_id, "type": "private", "first_name": "Bench"},
        "date": int(time.time()),
    }
    if text:
        message["text"] = text
    return message


async def _params(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        return dict(await request.json())
    form = await request.post()  # url-encoded or multipart (aiogram sends files as multipart)
    return {key: _decode(key, value) for key, value in form.items() if isinstance(value, str)}


def _decode(key: str, value: str) -> Any:
    if key not in _JSON_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _ok(result: Any) -> web.Response:
    return _json({"ok": True, "result": result})


def _json(body: dict[str, Any], status: int = 200) -> web.Response:
    return web.Response(text=json.dumps(body), status=status, content_type="application/json")
