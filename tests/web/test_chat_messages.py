"""POST /chat/api/messages and document downloads over real HTTP: replies as JSON, clear refusals, CSRF checks."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from bot.i18n import gettext
from tests.conftest import LiveServer
from tests.web.conftest import UPLOAD_LIMIT_BYTES
from tests.web.scripted import DOCUMENT, FILE_REQUEST, GREETING, ScriptedDialogue

MESSAGES = "/chat/api/messages"


@pytest.fixture
def client(chat_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=chat_server.url, timeout=10) as http:
        http.get("/chat")
        yield http


def test_typed_text_reaches_the_dialogue_and_its_text_reply_comes_back(
    client: httpx.Client, dialogue: ScriptedDialogue
) -> None:
    response = client.post(MESSAGES, json={"text": "  Сәлем  "})
    assert response.status_code == 200
    assert response.json() == {"replies": [{"type": "text", "text": "You said: Сәлем"}]}
    assert dialogue.received[0].text == "Сәлем"
    assert dialogue.received[0].choice is None


def test_start_answers_with_the_language_buttons(client: httpx.Client) -> None:
    assert client.post(MESSAGES, json={"text": "/start"}).json() == {
        "replies": [
            {
                "type": "choice",
                "text": GREETING,
                "options": [
                    {"id": "lang:kk", "label": "Қазақша"},
                    {"id": "lang:ru", "label": "Русский"},
                    {"id": "lang:en", "label": "English"},
                ],
            }
        ]
    }


def test_a_pressed_button_reaches_the_dialogue_as_a_choice(client: httpx.Client, dialogue: ScriptedDialogue) -> None:
    response = client.post(MESSAGES, json={"choice": "echo"})
    assert response.json() == {"replies": [{"type": "text", "text": "Pressed: echo"}]}
    assert (dialogue.received[0].choice, dialogue.received[0].text) == ("echo", None)


def test_a_file_request_promises_no_more_than_the_server_accepts(client: httpx.Client) -> None:
    assert client.post(MESSAGES, json={"choice": "file"}).json() == {
        "replies": [
            {
                "type": "request_file",
                "text": FILE_REQUEST,
                "accept": ["image/jpeg", "image/png", "application/pdf"],
                "max_bytes": UPLOAD_LIMIT_BYTES,  # the dialogue said 10 MB; this server takes 64 KiB
            }
        ]
    }


def test_line_breaks_are_kept_and_control_characters_dropped(client: httpx.Client, dialogue: ScriptedDialogue) -> None:
    client.post(MESSAGES, json={"text": "first line\r\nsecond\x00 line\tend"})
    assert dialogue.received[0].text == "first line\nsecond line\tend"


def test_a_document_is_offered_as_a_link_only_its_session_can_download(
    client: httpx.Client, chat_server: LiveServer
) -> None:
    [reply] = client.post(MESSAGES, json={"choice": "document"}).json()["replies"]
    assert reply["type"] == "document"
    assert (reply["file_name"], reply["caption"]) == (DOCUMENT.file_name, DOCUMENT.caption)
    assert re.fullmatch(r"/chat/api/documents/[A-Za-z0-9_-]{22}", reply["url"])

    download = client.get(reply["url"])
    assert download.status_code == 200
    assert download.content == DOCUMENT.data
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"].startswith("attachment; filename*=UTF-8''")
    assert "%D0%B7%D0%B0%D1%8F%D0%B2" in download.headers["content-disposition"]  # "заяв", percent-encoded

    with httpx.Client(base_url=chat_server.url) as stranger:
        stranger.get("/chat")
        assert stranger.get(reply["url"]).status_code == 404
    assert httpx.get(f"{chat_server.url}{reply['url']}").status_code == 404  # no cookie at all
    assert client.get("/chat/api/documents/unknown").status_code == 404


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b'{"text": ', 400, "bad_json"),
        (b"\xff\xfe\x00", 400, "bad_json"),
        (b"", 400, "bad_json"),
        (b'["hello"]', 422, "invalid_message"),
        (b"{}", 422, "invalid_message"),
        (b'{"text": "hi", "extra": 1}', 422, "invalid_message"),
        (b'{"text": "hi", "choice": "echo"}', 422, "invalid_message"),
        (b'{"text": "   \\n "}', 422, "invalid_message"),
        (b'{"text": 5}', 422, "invalid_message"),
        (b'{"text": null}', 422, "invalid_message"),
        (b'{"choice": ""}', 422, "invalid_message"),
        (b'{"text": "\\ud800"}', 422, "invalid_message"),
        (b'{"text": "' + b"a" * 4001 + b'"}', 422, "invalid_message"),
        (b'{"text": "' + b"a" * 70_000 + b'"}', 413, "body_too_large"),
    ],
    ids=[
        "truncated_json",
        "not_utf8",
        "empty_body",
        "array_not_object",
        "no_field",
        "unknown_field",
        "both_text_and_choice",
        "blank_text",
        "text_not_a_string",
        "text_null",
        "empty_choice",
        "lone_surrogate",
        "text_over_4000_characters",
        "body_over_64_kib",
    ],
)
def test_a_bad_message_body_gets_a_clear_json_error_and_never_reaches_the_dialogue(
    client: httpx.Client, dialogue: ScriptedDialogue, body: bytes, status: int, code: str
) -> None:
    response = client.post(MESSAGES, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code
    assert len(error["message"]) > 10
    assert dialogue.received == []


def test_an_unknown_field_is_named_in_the_error(client: httpx.Client) -> None:
    response = client.post(MESSAGES, json={"text": "hi", "langauge": "ru"})
    assert "langauge" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", None],
    ids=["text_plain", "html_form", "multipart", "missing"],
)
def test_messages_accept_only_json_so_a_plain_html_form_cannot_post_them(
    client: httpx.Client, dialogue: ScriptedDialogue, content_type: str | None
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post(MESSAGES, content=b'{"text": "hi"}', headers=headers)
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "json_required"
    assert dialogue.received == []


@pytest.mark.parametrize(
    ("origin", "status"),
    [
        ("http://evil.example", 403),
        ("https://evil.example", 403),
        ("null", 403),
        ("http://127.0.0.1:1", 403),
        ("SAME", 200),
        ("http://127.0.0.1:8000", 200),
    ],
    ids=["foreign_http", "foreign_https", "opaque_null", "same_host_other_port", "same_origin", "public_url"],
)
def test_messages_from_another_origin_are_refused(
    client: httpx.Client, chat_server: LiveServer, dialogue: ScriptedDialogue, origin: str, status: int
) -> None:
    origin = chat_server.url if origin == "SAME" else origin
    response = client.post(MESSAGES, json={"text": "hi"}, headers={"Origin": origin})
    assert response.status_code == status
    if status == 403:
        assert response.json()["error"]["code"] == "cross_origin"
        assert dialogue.received == []


def test_a_failing_dialogue_answers_500_with_a_message_and_the_chat_keeps_working(client: httpx.Client) -> None:
    failed = client.post(MESSAGES, json={"text": "boom"})
    assert failed.status_code == 500
    apology = gettext("kk", "Something went wrong. Please try again.")
    assert apology != "Something went wrong. Please try again."  # Kazakh until a language is picked
    assert failed.json() == {"error": {"code": "dialogue_failed", "message": apology}}
    assert client.post(MESSAGES, json={"text": "still there?"}).json()["replies"][0]["text"] == "You said: still there?"


def test_wrong_method_is_a_json_405_not_a_crash(client: httpx.Client) -> None:
    response = client.get(MESSAGES)
    assert response.status_code == 405
    assert response.headers["content-type"].startswith("application/json")
