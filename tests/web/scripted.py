"""A small scripted dialogue for the web chat tests, and a live /chat server around it.

It speaks the `Dialogue` protocol only: echo text, offer buttons, ask for a file and report its name and size,
send a document back. Every IncomingMessage it gets is kept in `received` for assertions.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from bot.messages import Choice, DocumentOut, IncomingMessage, Option, Reply, RequestFile, Text
from bot.web import install_web_chat
from qamqor.app import create_base_app
from qamqor.settings import Settings
from tests.conftest import LiveServer

GREETING = "Сәлеметсіз бе! Тілді таңдаңыз / Choose a language"
LANGUAGE_OPTIONS = (Option("lang:kk", "Қазақша"), Option("lang:ru", "Русский"), Option("lang:en", "English"))
MENU_TEXT = "What would you like to do?\nPick one:"
MENU_OPTIONS = (Option("file", "Send a file"), Option("document", "Get my form"), Option("echo", "Just talk"))
FILE_REQUEST = "Please attach a photo or a PDF of your ID card."
DOCUMENT = DocumentOut(
    file_name="заявление form.pdf",
    mime_type="application/pdf",
    data=b"%PDF-1.4\n% scripted test form\n%%EOF\n",
    caption="Your filled application form",
)


class ScriptedDialogue:
    """Answers like a tiny dialogue engine; "boom" makes it fail, to test the adapter's error path."""

    def __init__(self) -> None:
        self.received: list[IncomingMessage] = []

    async def handle(self, message: IncomingMessage) -> list[Reply]:
        self.received.append(message)
        if message.attachment is not None:
            attachment = message.attachment
            size = len(attachment.data)
            return [Text(f"Received {attachment.file_name}: {size} bytes, {attachment.mime_type}.")]
        if message.choice is not None:
            return self._on_choice(message.choice)
        text = message.text or ""
        if text == "/start":
            return [Choice(GREETING, LANGUAGE_OPTIONS)]
        if text == "boom":
            raise RuntimeError("scripted failure")
        return [Text(f"You said: {text}")]

    def _on_choice(self, choice: str) -> list[Reply]:
        if choice.startswith("lang:"):
            return [Text(f"Language: {choice.removeprefix('lang:')}"), Choice(MENU_TEXT, MENU_OPTIONS)]
        if choice == "file":
            return [RequestFile(FILE_REQUEST)]
        if choice == "document":
            return [DOCUMENT]
        return [Text(f"Pressed: {choice}")]


def tiny_png(width: int = 4, height: int = 4) -> bytes:
    """A valid RGB PNG image of the given size (grey pixels), built with the standard library."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@contextmanager
def serve_chat(settings: Settings, dialogue: ScriptedDialogue) -> Iterator[LiveServer]:
    """The real app factory plus the web chat, served over HTTP on loopback."""
    app = create_base_app(settings)
    install_web_chat(app, dialogue=dialogue, settings=settings)
    with LiveServer(app) as server:
        yield server
