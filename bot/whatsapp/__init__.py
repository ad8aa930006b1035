"""The WhatsApp channel (Cloud API through pywa): signed webhook in, the same dialogue as Telegram, Graph API out.

Wiring, in short:
    channel = install_whatsapp(app, settings=..., dialogue=..., ledger=..., store=...)
    # GET/POST /whatsapp/webhook; app.state.whatsapp.sender is the delivery worker's ChannelSender/TemplateSender
Nothing is installed without a phone number id and a token. Importing this package connects to nothing.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI

from bot.dialogue.engine import error_text, file_too_large_text
from bot.ledger import UpdateLedger
from bot.messages import Dialogue
from bot.telegram.render import OptionTokens
from bot.whatsapp.adapter import (
    ChatStore,
    ErrorReply,
    FileTooLargeReply,
    InMemoryChatStore,
    WhatsAppAdapter,
    WhatsAppDeps,
)
from bot.whatsapp.client import CHANNEL, GRAPH_API_VERSION, WhatsAppClient, is_configured, make_client
from bot.whatsapp.payloads import InboundMessage, Receipt, WebhookBatch, parse_webhook
from bot.whatsapp.render import WhatsAppRenderer
from bot.whatsapp.sender import Clock, WhatsAppSender, utc_now
from bot.whatsapp.templates import ANSWER, REMINDER, TEMPLATES, UPDATE, ApprovedTemplate, template_for
from bot.whatsapp.webhook import SIGNATURE_HEADER, WEBHOOK_PATH, WhatsAppChannel, mount, signature_of
from qamqor.settings import Settings

log = logging.getLogger(__name__)


def install_whatsapp(
    app: FastAPI,
    *,
    settings: Settings,
    dialogue: Dialogue,
    ledger: UpdateLedger,
    store: ChatStore | None = None,
    error_reply: ErrorReply = error_text,
    file_too_large_reply: FileTooLargeReply = file_too_large_text,
    tokens: OptionTokens | None = None,
    clock: Clock = utc_now,
) -> WhatsAppChannel | None:
    """Mount the webhook and keep the channel on `app.state.whatsapp` (its `.sender` is for the delivery worker).

    Without a phone number id and a token there is no WhatsApp channel: nothing is mounted and None is returned.
    `store` gives the person's language and keeps delivery receipts (bot.whatsapp.store.DatabaseChatStore);
    without one, texts of the channel's own are in Kazakh and receipts are only kept in memory. `clock` is the
    services' clock: the sender measures the 24-hour window against the `last_inbound_at` the dialogue records.
    """
    app.state.whatsapp = None
    if not is_configured(settings):
        log.info("whatsapp: no phone number id or token configured; channel not installed")
        return None
    deps = WhatsAppDeps(dialogue, ledger, store or InMemoryChatStore(), error_reply, file_too_large_reply)
    renderer = WhatsAppRenderer(tokens)
    client = make_client(settings)
    adapter = WhatsAppAdapter(client.wa, deps, renderer, max_upload_bytes=settings.max_upload_bytes)
    channel = WhatsAppChannel(client, adapter, WhatsAppSender(client.wa, renderer=renderer, clock=clock))
    mount(app, channel, app_secret=settings.whatsapp.app_secret, verify_token=settings.whatsapp.verify_token)
    app.state.whatsapp = channel
    return channel


__all__ = [
    "ANSWER",
    "CHANNEL",
    "GRAPH_API_VERSION",
    "REMINDER",
    "SIGNATURE_HEADER",
    "TEMPLATES",
    "UPDATE",
    "WEBHOOK_PATH",
    "ApprovedTemplate",
    "ChatStore",
    "InMemoryChatStore",
    "InboundMessage",
    "Receipt",
    "WebhookBatch",
    "WhatsAppAdapter",
    "WhatsAppChannel",
    "WhatsAppClient",
    "WhatsAppDeps",
    "WhatsAppRenderer",
    "WhatsAppSender",
    "install_whatsapp",
    "parse_webhook",
    "signature_of",
    "template_for",
]
