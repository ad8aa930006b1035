"""Photos, PDFs and contact cards from a person: media downloaded through the Graph API media endpoints (with the
token), sizes checked before and during the download, files handed to the dialogue as attachments."""

from __future__ import annotations

from bot.whatsapp.payloads import Media, parse_webhook
from tests.fakes.graph_api import FakeGraphApi
from tests.telegram.scripted import ScriptedDialogue
from tests.whatsapp.chat import WhatsAppWebhookApp
from tests.whatsapp.conftest import MAX_UPLOAD_BYTES, WA_ID

PDF = b"%PDF-1.4\n% a scanned medical card\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 100


def test_a_pdf_is_downloaded_byte_for_byte_for_the_dialogue(
    webhook: WhatsAppWebhookApp, fake_graph: FakeGraphApi, dialogue: ScriptedDialogue
):
    notification = fake_graph.document_message(WA_ID, "медицинская карта.pdf", PDF)
    media_id = parse_webhook(notification).messages[0].media
    assert isinstance(media_id, Media)

    webhook.deliver(notification)

    attachment = dialogue.received[-1].attachment
    assert attachment is not None
    assert (attachment.file_name, attachment.mime_type, attachment.data) == (
        "медицинская карта.pdf",
        "application/pdf",
        PDF,
    )
    assert fake_graph.downloads == [media_id.media_id]
    assert fake_graph.texts_to(WA_ID) == [f"Got медицинская карта.pdf (application/pdf), {len(PDF)} bytes"]


def test_a_photo_is_downloaded_with_its_caption(
    webhook: WhatsAppWebhookApp, fake_graph: FakeGraphApi, dialogue: ScriptedDialogue
):
    webhook.deliver(fake_graph.image_message(WA_ID, JPEG, caption="справка"))

    received = dialogue.received[-1]
    assert received.attachment is not None and received.attachment.data == JPEG
    assert received.attachment.mime_type == "image/jpeg"
    assert received.attachment.file_name.startswith("photo_") and received.attachment.file_name.endswith(".jpg")
    assert received.text == "справка"


def test_a_file_over_the_limit_is_refused_before_a_byte_is_downloaded(
    webhook: WhatsAppWebhookApp, fake_graph: FakeGraphApi, dialogue: ScriptedDialogue
):
    webhook.deliver(fake_graph.document_message(WA_ID, "big.pdf", b"%PDF" + b"0" * MAX_UPLOAD_BYTES))

    assert dialogue.received == [] and fake_graph.downloads == []
    assert fake_graph.texts_to(WA_ID) == [
        f"[ru] The file is larger than {MAX_UPLOAD_BYTES} bytes; please send a smaller one."
    ]


def test_a_file_whose_size_was_understated_is_refused_while_downloading(
    webhook: WhatsAppWebhookApp, fake_graph: FakeGraphApi, dialogue: ScriptedDialogue
):
    data = b"%PDF" + b"0" * (MAX_UPLOAD_BYTES * 70)  # bigger than one download chunk
    webhook.deliver(fake_graph.document_message(WA_ID, "lying.pdf", data, declared_size=100))

    assert dialogue.received == []
    assert fake_graph.texts_to(WA_ID)[0].startswith("[ru] The file is larger than")


def test_the_person_s_own_contact_card_is_their_phone_and_anyone_else_s_is_typed_text(
    webhook: WhatsAppWebhookApp, fake_graph: FakeGraphApi, dialogue: ScriptedDialogue
):
    webhook.deliver(fake_graph.contact_message(WA_ID, "+7 701 123 45 67", contact_wa_id=WA_ID))
    webhook.deliver(fake_graph.contact_message(WA_ID, "+7 702 000 11 22", contact_wa_id="77020001122"))

    own, other = dialogue.received
    assert (own.contact_phone, own.text) == ("+7 701 123 45 67", None)
    assert (other.contact_phone, other.text) == (None, "+7 702 000 11 22")
