"""The webhook JSON Meta posts, read into small typed records: people's messages and delivery receipts.

    {"object": "whatsapp_business_account",
     "entry": [{"id": "<WABA id>", "changes": [{"field": "messages", "value": {
         "metadata": {"phone_number_id": "..."}, "contacts": [{"profile": {"name": "..."}, "wa_id": "..."}],
         "messages": [{"from": "...", "id": "wamid...", "type": "text", "text": {"body": "..."}}],
         "statuses": [{"id": "wamid...", "status": "delivered", "recipient_id": "...", "errors": [...]}]}}]}]}

Every message and status of every change is read, in the order Meta listed them (pywa's dispatcher looks only at
the first message of a change, which is one reason this adapter reads the JSON itself). Nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

WEBHOOK_OBJECT = "whatsapp_business_account"


@dataclass(frozen=True, slots=True)
class Media:
    """An image or document the person sent; the bytes are fetched later by its media id."""

    media_id: str
    mime_type: str
    file_name: str | None = None


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """One message from a person. Exactly one of the content fields is set (none for stickers, voice notes...)."""

    message_id: str  # the wamid: Meta re-sends it unchanged when our 200 was late
    wa_id: str  # the sender's WhatsApp id (their phone number, digits only)
    kind: str  # Meta's message type: text, interactive, image, document, contacts, button, audio, ...
    phone_number_id: str | None = None  # which of our numbers it was sent to
    display_name: str | None = None
    text: str | None = None
    reply_id: str | None = None  # the id of a pressed reply button or chosen list row
    reply_title: str | None = None  # what the person saw on it (a fallback when the id is no longer known)
    media: Media | None = None
    caption: str | None = None
    contact_phone: str | None = None
    contact_wa_id: str | None = None  # set when the shared contact is on WhatsApp


@dataclass(frozen=True, slots=True)
class Receipt:
    """A delivery status of a message we sent: sent, delivered, read or failed (with Meta's error)."""

    message_id: str
    status: str
    recipient_id: str | None = None
    error_code: int | None = None
    error_title: str | None = None


@dataclass(frozen=True, slots=True)
class WebhookBatch:
    messages: tuple[InboundMessage, ...] = ()
    receipts: tuple[Receipt, ...] = ()


class NotAWebhook(ValueError):
    """The body is JSON but not a WhatsApp Business Account notification."""


def parse_webhook(payload: Any) -> WebhookBatch:
    if not isinstance(payload, dict) or payload.get("object") != WEBHOOK_OBJECT:
        raise NotAWebhook("not a whatsapp_business_account notification")
    messages: list[InboundMessage] = []
    receipts: list[Receipt] = []
    for entry in _list(payload.get("entry")):
        for change in _list(_dict(entry).get("changes")):
            change = _dict(change)
            if change.get("field") != "messages":
                continue  # template reviews, account updates...: nothing a person said
            value = _dict(change.get("value"))
            phone_number_id = _dict(value.get("metadata")).get("phone_number_id")
            names = _contact_names(value)
            for raw in _list(value.get("messages")):
                message = _message(_dict(raw), names, phone_number_id)
                if message is not None:
                    messages.append(message)
            receipts += [receipt for raw in _list(value.get("statuses")) if (receipt := _receipt(_dict(raw)))]
    return WebhookBatch(tuple(messages), tuple(receipts))


def _contact_names(value: dict[str, Any]) -> dict[str, str]:
    names: dict[str, str] = {}
    for contact in _list(value.get("contacts")):
        contact = _dict(contact)
        name = _dict(contact.get("profile")).get("name")
        if contact.get("wa_id") and name:
            names[str(contact["wa_id"])] = str(name)
    return names


def _message(raw: dict[str, Any], names: dict[str, str], phone_number_id: Any) -> InboundMessage | None:
    message_id, sender, kind = raw.get("id"), raw.get("from"), raw.get("type")
    if not message_id or not sender or not kind:
        return None
    base: dict[str, Any] = {
        "message_id": str(message_id),
        "wa_id": str(sender),
        "kind": str(kind),
        "phone_number_id": str(phone_number_id) if phone_number_id else None,
        "display_name": names.get(str(sender)),
    }
    return InboundMessage(**base, **_content(str(kind), raw))


def _content(kind: str, raw: dict[str, Any]) -> dict[str, Any]:
    body = _dict(raw.get(kind))
    if kind == "text":
        return {"text": _str(body.get("body"))}
    if kind == "interactive":
        reply = _dict(body.get(str(body.get("type"))))  # button_reply or list_reply
        title = _str(reply.get("title"))
        # A list row's title may be shortened to 24 characters; its description then holds the whole label.
        return {"reply_id": _str(reply.get("id")), "reply_title": _str(reply.get("description")) or title}
    if kind == "button":  # a quick-reply button under a template message
        return {"text": _str(body.get("text")) or _str(body.get("payload"))}
    if kind in ("image", "document") and body.get("id"):
        media = Media(str(body["id"]), _str(body.get("mime_type")) or "application/octet-stream", body.get("filename"))
        return {"media": media, "caption": _str(body.get("caption"))}
    if kind == "contacts":
        return _shared_contact(raw)
    return {}  # audio, video, sticker, location, reaction, unsupported...


def _shared_contact(raw: dict[str, Any]) -> dict[str, Any]:
    for contact in _list(raw.get("contacts")):
        for phone in _list(_dict(contact).get("phones")):
            phone = _dict(phone)
            if phone.get("phone") or phone.get("wa_id"):
                number = _str(phone.get("phone")) or _str(phone.get("wa_id"))
                return {"contact_phone": number, "contact_wa_id": _str(phone.get("wa_id"))}
    return {}


def _receipt(raw: dict[str, Any]) -> Receipt | None:
    message_id, status = raw.get("id"), raw.get("status")
    if not message_id or not status:
        return None
    error = _dict(next(iter(_list(raw.get("errors"))), None))
    code = error.get("code")
    return Receipt(
        message_id=str(message_id),
        status=str(status),
        recipient_id=_str(raw.get("recipient_id")),
        error_code=int(code) if isinstance(code, int | str) and str(code).isdigit() else None,
        error_title=_str(error.get("title")) or _str(error.get("message")),
    )


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _str(value: Any) -> str | None:
    return str(value) if isinstance(value, str | int) and str(value) != "" else None
