"""GET and POST /whatsapp/webhook through real HTTP: the app served by uvicorn, pywa answering via the fake Graph API.
Signatures (X-Hub-Signature-256 with the app secret), Meta's verification handshake, redeliveries, ordering."""

from __future__ import annotations

import time

import httpx
import pytest
from pydantic import SecretStr

from bot.ledger import InMemoryUpdateLedger
from bot.whatsapp import SIGNATURE_HEADER, WEBHOOK_PATH, InMemoryChatStore, install_whatsapp, signature_of
from qamqor.app import create_base_app
from qamqor.settings import Settings
from tests.conftest import LiveServer
from tests.fakes.graph_api import APP_SECRET, VERIFY_TOKEN, FakeGraphApi
from tests.telegram.scripted import ScriptedDialogue, apology, too_large
from tests.whatsapp.chat import WhatsAppWebhookApp
from tests.whatsapp.conftest import WA_ID


def settle() -> None:
    """Handling is in the background; give a wrongly accepted notification the time to show."""
    time.sleep(0.3)


def test_a_signed_message_is_answered(webhook: WhatsAppWebhookApp, fake_graph: FakeGraphApi):
    webhook.deliver(fake_graph.text_message(WA_ID, "hello"))

    assert fake_graph.texts_to(WA_ID) == ["You said: hello (language None)"]


@pytest.mark.parametrize(
    "signature",
    [None, "", "sha256=" + "0" * 64, "sha1=abc", "not-a-signature"],
    ids=["unsigned", "empty", "forged", "wrong-algorithm", "garbage"],
)
def test_a_forged_or_unsigned_notification_is_rejected(
    webhook: WhatsAppWebhookApp, fake_graph: FakeGraphApi, dialogue: ScriptedDialogue, signature: str | None
):
    body, _ = fake_graph.signed(fake_graph.text_message(WA_ID, "hello"))
    headers = {"Content-Type": "application/json"} | ({SIGNATURE_HEADER: signature} if signature is not None else {})

    response = httpx.post(webhook.url, content=body, headers=headers)

    assert response.status_code == (401 if not signature else 403)
    settle()
    assert dialogue.received == [] and fake_graph.messages_to(WA_ID) == []


def test_a_notification_signed_with_another_secret_is_rejected(
    webhook: WhatsAppWebhookApp, fake_graph: FakeGraphApi, dialogue: ScriptedDialogue
):
    response = webhook.post(fake_graph.text_message(WA_ID, "hello"), secret="someone-elses-app-secret")

    assert response.status_code == 403
    settle()
    assert dialogue.received == []


def test_a_body_changed_after_signing_is_rejected(webhook: WhatsAppWebhookApp, fake_graph: FakeGraphApi):
    body, headers = fake_graph.signed(fake_graph.text_message(WA_ID, "send 10"))
    tampered = body.replace(b"send 10", b"send 99")

    assert httpx.post(webhook.url, content=tampered, headers=headers).status_code == 403


@pytest.mark.parametrize("configured", [None, SecretStr("")], ids=["no-secret", "empty-secret"])
def test_without_an_app_secret_every_notification_is_refused(
    settings: Settings, fake_graph: FakeGraphApi, dialogue: ScriptedDialogue, configured: SecretStr | None
):
    settings.whatsapp.app_secret = configured
    app = create_base_app(settings)
    install_whatsapp(app, settings=settings, dialogue=dialogue, ledger=InMemoryUpdateLedger())

    with LiveServer(app) as server:
        body, headers = fake_graph.signed(fake_graph.text_message(WA_ID, "hello"), secret="")
        response = httpx.post(server.url + WEBHOOK_PATH, content=body, headers=headers)
        settle()

    assert response.status_code == 403
    assert dialogue.received == []


def test_verification_answers_the_challenge_with_the_right_token(webhook: WhatsAppWebhookApp):
    params = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"}

    response = httpx.get(webhook.url, params=params)

    assert (response.status_code, response.text) == (200, "1158201444")
    assert response.headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize(
    "params",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
        {"hub.mode": "subscribe", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"},
        {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN},
    ],
    ids=["wrong-token", "no-token", "wrong-mode", "no-challenge"],
)
def test_verification_is_refused_otherwise(webhook: WhatsAppWebhookApp, params: dict[str, str]):
    assert httpx.get(webhook.url, params=params).status_code == 403


def test_a_message_delivered_twice_is_handled_once(
    webhook: WhatsAppWebhookApp, fake_graph: FakeGraphApi, dialogue: ScriptedDialogue
):
    notification = fake_graph.text_message(WA_ID, "hello")

    first, second = webhook.post(notification), webhook.post(notification)  # Meta re-sends a late-acknowledged one
    webhook.wait_until_handled()

    assert (first.status_code, second.status_code) == (200, 200)  # Meta must stop re-sending it
    assert fake_graph.texts_to(WA_ID) == ["You said: hello (language None)"]
    assert len(dialogue.received) == 1


@pytest.mark.parametrize("body", [b"not json", b'{"object": "page", "entry": []}'], ids=["not-json", "not-whatsapp"])
def test_a_signed_body_that_is_no_whatsapp_notification_is_a_bad_request(webhook: WhatsAppWebhookApp, body: bytes):
    headers = {SIGNATURE_HEADER: _signature(body)}

    assert httpx.post(webhook.url, content=body, headers=headers).status_code == 400


def test_a_sender_s_messages_are_answered_in_the_order_sent(webhook: WhatsAppWebhookApp, fake_graph: FakeGraphApi):
    # The photo needs two Graph API calls before the dialogue sees it; the text sent after it must wait its turn.
    photo = fake_graph.image_message(WA_ID, b"\xff\xd8\xff" + b"1" * 200)
    text = fake_graph.text_message(WA_ID, "after the photo")

    assert webhook.post(photo).status_code == 200
    assert webhook.post(text).status_code == 200
    webhook.wait_until_handled()

    answers = fake_graph.texts_to(WA_ID)
    assert len(answers) == 2
    assert answers[0].startswith("Got photo_") and answers[1] == "You said: after the photo (language None)"


def test_messages_in_one_notification_are_all_handled_in_order(webhook: WhatsAppWebhookApp, fake_graph: FakeGraphApi):
    notification = fake_graph.text_message(WA_ID, "one")
    second = fake_graph.text_message("77019876543", "two")["entry"][0]["changes"][0]["value"]["messages"][0]
    notification["entry"][0]["changes"][0]["value"]["messages"].append(second)

    webhook.deliver(notification)

    assert fake_graph.texts_to(WA_ID) == ["You said: one (language None)"]
    assert fake_graph.texts_to("77019876543") == ["You said: two (language None)"]


def test_a_message_for_another_business_number_is_ignored(
    webhook: WhatsAppWebhookApp, fake_graph: FakeGraphApi, dialogue: ScriptedDialogue
):
    notification = fake_graph.text_message(WA_ID, "hello")
    notification["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = "999999999"

    webhook.deliver(notification)

    assert dialogue.received == []


def test_a_failing_turn_gets_an_apology_in_the_person_s_language(
    webhook: WhatsAppWebhookApp, fake_graph: FakeGraphApi, caplog: pytest.LogCaptureFixture
):
    webhook.deliver(fake_graph.text_message(WA_ID, "boom"))  # the scripted dialogue raises, quoting an IIN

    assert fake_graph.texts_to(WA_ID) == [apology("ru")]
    assert "900101300123" not in caplog.text and "RuntimeError" in caplog.text


def test_reactions_get_no_answer(webhook: WhatsAppWebhookApp, fake_graph: FakeGraphApi, dialogue: ScriptedDialogue):
    reaction = {"type": "reaction", "reaction": {"message_id": "wamid.X", "emoji": "👍"}}

    webhook.deliver(fake_graph.notification(WA_ID, reaction))

    assert dialogue.received == [] and fake_graph.messages_to(WA_ID) == []


def test_a_sticker_reaches_the_dialogue_as_an_empty_message(
    webhook: WhatsAppWebhookApp, fake_graph: FakeGraphApi, dialogue: ScriptedDialogue
):
    sticker = {"type": "sticker", "sticker": {"id": "123", "mime_type": "image/webp", "animated": False}}

    webhook.deliver(fake_graph.notification(WA_ID, sticker))

    assert fake_graph.texts_to(WA_ID) == ["I could not read that; please type your answer."]
    assert dialogue.received[0].display_name == "Айгуль"


def test_delivery_statuses_reach_the_store(
    webhook: WhatsAppWebhookApp, fake_graph: FakeGraphApi, store: InMemoryChatStore
):
    webhook.deliver(fake_graph.status_update("wamid.A", "delivered", WA_ID))
    webhook.deliver(fake_graph.status_update("wamid.B", "failed", WA_ID, error_code=131026))

    assert [(r.message_id, r.status, r.error_code) for r in store.receipts] == [
        ("wamid.A", "delivered", None),
        ("wamid.B", "failed", 131026),
    ]
    assert fake_graph.messages_to(WA_ID) == []  # a receipt is nothing to answer


def test_without_a_phone_number_id_or_token_nothing_is_mounted(settings: Settings, dialogue: ScriptedDialogue):
    settings.whatsapp.token = None
    app = create_base_app(settings)

    channel = install_whatsapp(app, settings=settings, dialogue=dialogue, ledger=InMemoryUpdateLedger())

    with LiveServer(app) as server:
        response = httpx.post(server.url + WEBHOOK_PATH, content=b"{}", headers={SIGNATURE_HEADER: "sha256=0"})
    assert channel is None and app.state.whatsapp is None
    assert response.status_code == 404


def test_app_shutdown_closes_the_http_session(settings: Settings, dialogue: ScriptedDialogue, fake_graph):
    app = create_base_app(settings)
    channel = install_whatsapp(
        app,
        settings=settings,
        dialogue=dialogue,
        ledger=InMemoryUpdateLedger(),
        error_reply=apology,
        file_too_large_reply=too_large,
    )
    assert channel is not None
    with LiveServer(app) as server:
        body, headers = fake_graph.signed(fake_graph.text_message(WA_ID, "hello"))
        httpx.post(server.url + WEBHOOK_PATH, content=body, headers=headers)
        fake_graph.wait_for_message(WA_ID, contains="You said: hello")
        assert not channel.client.session.is_closed

    assert channel.client.session.is_closed


def _signature(body: bytes) -> str:
    return signature_of(body, APP_SECRET)
