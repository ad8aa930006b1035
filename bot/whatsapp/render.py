"""The dialogue's replies as WhatsApp messages, within WhatsApp's limits.

A question with options becomes, in this order of preference:
- reply buttons: at most 3 options whose labels fit a button (20 characters, all different);
- a list: at most 10 options; a label longer than a row title (24 characters) is shortened there and shown whole
  as the row's description (72 characters);
- numbered text ("1. ...") with a line asking for the number. The dialogue maps a typed number or label back to
  the option (bot.dialogue.turn.typed_choice), so nothing here needs remembering.
Texts are split at 4096 characters; the body of a message with buttons or a list holds 1024, so a longer question
goes first as plain text and its last part carries the buttons. Option ids longer than a row id (200 characters)
travel as short tokens, resolved when pressed, like the Telegram renderer's callback data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pywa_async.client import WhatsApp
from pywa_async.types.callback import Button, Section, SectionList, SectionRow

from bot.i18n import gettext
from bot.messages import Choice, DocumentOut, Option, Reply, RequestFile, Text
from bot.telegram.render import TOKEN_PREFIX, InMemoryOptionTokens, OptionTokens, split_text
from bot.whatsapp import texts

TEXT_LIMIT = 4096  # a text message's body
INTERACTIVE_BODY_LIMIT = 1024  # the body of a message with buttons or a list
CAPTION_LIMIT = 1024  # a document's caption
MAX_BUTTONS = 3
BUTTON_TITLE_LIMIT = 20
MAX_ROWS = 10
ROW_TITLE_LIMIT = 24
ROW_DESCRIPTION_LIMIT = 72
OPTION_ID_LIMIT = 200  # a list row's id (a reply button's may be 256: the smaller limit serves both)
ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class TextMessage:
    body: str


@dataclass(frozen=True, slots=True)
class ButtonsMessage:
    body: str
    buttons: tuple[tuple[str, str], ...]  # (id, title)


@dataclass(frozen=True, slots=True)
class ListMessage:
    body: str
    button: str
    section: str
    rows: tuple[tuple[str, str, str | None], ...]  # (id, title, description)


@dataclass(frozen=True, slots=True)
class DocumentMessage:
    document: DocumentOut
    caption: str | None


Planned = TextMessage | ButtonsMessage | ListMessage | DocumentMessage


def layout(options: Sequence[Option]) -> str:
    """ "buttons", "list" or "numbered": the richest form WhatsApp can show these options in."""
    labels = [option.label for option in options]
    fit = all(len(label) <= BUTTON_TITLE_LIMIT for label in labels)
    if len(labels) <= MAX_BUTTONS and fit and len(set(labels)) == len(labels):  # no two buttons with one title
        return "buttons"
    if len(labels) <= MAX_ROWS and all(len(label) <= ROW_DESCRIPTION_LIMIT for label in labels):
        return "list"
    return "numbered"


def shortened(text: str, limit: int) -> str:
    """At most `limit` characters, cut after a whole word where one ends in the second half, with an ellipsis."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    space = head.rfind(" ")
    if space > limit // 2:
        head = head[:space]
    return head.rstrip(" ,;:(-–") + ELLIPSIS


def row_of(option_id: str, label: str) -> tuple[str, str, str | None]:
    if len(label) <= ROW_TITLE_LIMIT:
        return option_id, label, None
    return option_id, shortened(label, ROW_TITLE_LIMIT), label


def numbered(lang: str, choice: Choice) -> str:
    lines = [f"{number}. {option.label}" for number, option in enumerate(choice.options, start=1)]
    parts = [choice.text.strip(), "\n".join(lines), gettext(lang, texts.REPLY_WITH_NUMBER)]
    return "\n\n".join(part for part in parts if part)


def interactive_parts(text: str) -> tuple[list[str], str]:
    """Plain-text messages to send first, and the body (at most 1024 characters) that carries the options."""
    leading = split_text(text, TEXT_LIMIT)
    if not leading:
        return [], ""
    last = leading.pop()
    if len(last) > INTERACTIVE_BODY_LIMIT:
        *more, last = split_text(last, INTERACTIVE_BODY_LIMIT)
        leading += more
    return leading, last


def needs_token(option_id: str) -> bool:
    # Ids starting with the prefix are tokenised too, so a real id can never be mistaken for a token.
    return not option_id or len(option_id) > OPTION_ID_LIMIT or option_id.startswith(TOKEN_PREFIX)


class WhatsAppRenderer:
    """Plans replies as WhatsApp messages and sends them with pywa; resolves pressed options back to ids."""

    def __init__(self, tokens: OptionTokens | None = None) -> None:
        self.tokens: OptionTokens = tokens if tokens is not None else InMemoryOptionTokens()

    async def send(self, wa: WhatsApp, to: str, replies: Sequence[Reply], lang: str) -> list[str]:
        """Send every reply in order; the WhatsApp message ids (wamids) of what went out."""
        sent: list[str] = []
        for reply in replies:
            sent += await self.send_one(wa, to, reply, lang)
        return sent

    async def send_one(self, wa: WhatsApp, to: str, reply: Reply, lang: str) -> list[str]:
        return [await send_planned(wa, to, message) for message in await self.plan(reply, lang)]

    async def resolve_choice(self, reply_id: str) -> str | None:
        """The option id behind a pressed button or row, or None for a token this process no longer knows."""
        if reply_id.startswith(TOKEN_PREFIX):
            return await self.tokens.resolve(reply_id)
        return reply_id

    async def plan(self, reply: Reply, lang: str) -> list[Planned]:
        if isinstance(reply, Choice):
            return await self._plan_choice(reply, lang)
        if isinstance(reply, Text | RequestFile):
            return [TextMessage(chunk) for chunk in split_text(reply.text, TEXT_LIMIT)]
        if isinstance(reply, DocumentOut):
            if len(reply.caption) <= CAPTION_LIMIT:
                return [DocumentMessage(reply, reply.caption or None)]
            return [DocumentMessage(reply, None), *(TextMessage(chunk) for chunk in split_text(reply.caption))]
        raise TypeError(f"cannot render {type(reply).__name__} on WhatsApp")  # pragma: no cover

    async def _plan_choice(self, choice: Choice, lang: str) -> list[Planned]:
        form = layout(choice.options) if choice.options else "numbered"
        if form == "numbered":
            return [TextMessage(chunk) for chunk in split_text(numbered(lang, choice), TEXT_LIMIT)]
        leading, body = interactive_parts(choice.text)
        body = body or gettext(lang, texts.LIST_SECTION)  # WhatsApp needs a body under buttons and lists
        plan: list[Planned] = [TextMessage(chunk) for chunk in leading]
        ids = [await self._reply_id(option.id) for option in choice.options]
        if form == "buttons":
            plan.append(ButtonsMessage(body, tuple(zip(ids, (o.label for o in choice.options), strict=True))))
        else:
            rows = tuple(row_of(id_, option.label) for id_, option in zip(ids, choice.options, strict=True))
            button = shortened(gettext(lang, texts.LIST_BUTTON), BUTTON_TITLE_LIMIT)
            section = shortened(gettext(lang, texts.LIST_SECTION), ROW_TITLE_LIMIT)
            plan.append(ListMessage(body, button, section, rows))
        return plan

    async def _reply_id(self, option_id: str) -> str:
        return await self.tokens.token_for(option_id) if needs_token(option_id) else option_id


async def send_planned(wa: WhatsApp, to: str, message: Planned) -> str:
    """One Graph API call; the wamid of the message sent."""
    if isinstance(message, TextMessage):
        return (await wa.send_message(to=to, text=message.body)).id
    if isinstance(message, ButtonsMessage):
        buttons = [Button(title=title, callback_data=id_) for id_, title in message.buttons]
        return (await wa.send_message(to=to, text=message.body, buttons=buttons)).id
    if isinstance(message, ListMessage):
        rows = [SectionRow(title=title, callback_data=id_, description=desc) for id_, title, desc in message.rows]
        listing = SectionList(button_title=message.button, sections=[Section(title=message.section, rows=rows)])
        return (await wa.send_message(to=to, text=message.body, buttons=listing)).id
    document = message.document
    sent = await wa.send_document(
        to=to,
        document=document.data,
        filename=document.file_name,
        caption=message.caption,
        mime_type=document.mime_type,
    )
    return sent.id
