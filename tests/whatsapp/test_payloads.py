"""Reading Meta's webhook JSON: every message and status of every change, in order; what is not a person's message
(template reviews, account updates) is skipped; malformed entries never crash the webhook."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.whatsapp.payloads import NotAWebhook, parse_webhook
from bot.whatsapp.templates import TEMPLATES
from tests.fakes.graph_api import FakeGraphApi

README = Path(__file__).resolve().parents[2] / "README.md"


def test_messages_and_statuses_of_every_entry_and_change_are_read_in_order(fake_graph: FakeGraphApi):
    first = fake_graph.text_message("77010000001", "бір", name="Әлия")
    second = fake_graph.list_reply("77010000002", "menu:status", "Мой статус", None)
    statuses = fake_graph.status_update("wamid.X", "read", "77010000001")
    first["entry"].append(second["entry"][0])
    first["entry"][0]["changes"].append(statuses["entry"][0]["changes"][0])
    first["entry"][0]["changes"].append({"field": "message_template_status_update", "value": {"event": "APPROVED"}})

    batch = parse_webhook(first)

    assert [(m.wa_id, m.kind, m.text, m.reply_id) for m in batch.messages] == [
        ("77010000001", "text", "бір", None),
        ("77010000002", "interactive", None, "menu:status"),
    ]
    assert batch.messages[0].display_name == "Әлия" and batch.messages[1].reply_title == "Мой статус"
    assert [(r.message_id, r.status) for r in batch.receipts] == [("wamid.X", "read")]


def test_a_failed_status_carries_meta_s_error(fake_graph: FakeGraphApi):
    [receipt] = parse_webhook(fake_graph.status_update("wamid.Y", "failed", "7701", error_code=131047)).receipts

    assert (receipt.error_code, receipt.error_title) == (131047, "Re-engagement message")


def test_a_quick_reply_under_a_template_reads_as_its_text(fake_graph: FakeGraphApi):
    button = {"type": "button", "button": {"payload": "Show", "text": "Показать"}}

    [message] = parse_webhook(fake_graph.notification("7701", button)).messages

    assert message.text == "Показать"


@pytest.mark.parametrize("payload", [[], {"object": "page"}, "text", None], ids=["list", "page", "str", "none"])
def test_anything_but_a_whatsapp_business_notification_is_refused(payload: object):
    with pytest.raises(NotAWebhook):
        parse_webhook(payload)


def test_malformed_entries_are_skipped_not_fatal():
    payload = {
        "object": "whatsapp_business_account",
        "entry": [
            None,
            {"changes": "x"},
            {"changes": [{"field": "messages", "value": {"messages": [{"id": "w"}, 5]}}]},
        ],
    }

    batch = parse_webhook(payload)

    assert batch.messages == () and batch.receipts == ()


def test_the_readme_lists_the_approved_templates_word_for_word():
    rows = set(re.findall(r"^\| `(qamqor_\w+)` \| (\w\w) \| (.+) \|$", README.read_text(), re.MULTILINE))

    assert rows == {(t.name, lang, body) for t in TEMPLATES for lang, body in t.bodies.items()}
