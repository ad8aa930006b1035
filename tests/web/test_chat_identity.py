"""The web chat knows a person by an opaque HttpOnly cookie (no login, no token) and speaks their language."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from bot.web import page
from bot.web.session import LANGUAGE_COOKIE, SESSION_COOKIE
from tests.conftest import LiveServer
from tests.web.scripted import ScriptedDialogue


@pytest.fixture
def client(chat_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=chat_server.url, timeout=10) as http:
        yield http


@pytest.fixture
def tagged_gettext(monkeypatch: pytest.MonkeyPatch) -> None:
    """Translate page labels as "[lang] msgid", so a test sees which language the page asked for."""

    def fake_gettext(lang: str, message: str, **values: object) -> str:
        return f"[{lang}] " + (message.format(**values) if values else message)

    monkeypatch.setattr(page, "gettext", fake_gettext)


def set_cookie_headers(response: httpx.Response, name: str) -> list[str]:
    return [value for value in response.headers.get_list("set-cookie") if value.startswith(f"{name}=")]


def test_first_visit_sets_an_httponly_samesite_lax_cookie_with_a_random_id(client: httpx.Client) -> None:
    response = client.get("/chat")
    assert response.status_code == 200
    [cookie] = set_cookie_headers(response, SESSION_COOKIE)
    attributes = [part.strip().lower() for part in cookie.split(";")]
    assert "httponly" in attributes
    assert "samesite=lax" in attributes
    assert "path=/chat" in attributes
    assert "secure" not in attributes  # public_url is plain http in tests
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", client.cookies[SESSION_COOKIE])


def test_two_newcomers_get_different_ids(chat_server: LiveServer) -> None:
    first = httpx.get(f"{chat_server.url}/chat").cookies[SESSION_COOKIE]
    second = httpx.get(f"{chat_server.url}/chat").cookies[SESSION_COOKIE]
    assert first != second


def test_the_cookie_is_reused_so_two_messages_reach_the_dialogue_as_one_person(
    client: httpx.Client, dialogue: ScriptedDialogue
) -> None:
    client.get("/chat")
    chat_id = client.cookies[SESSION_COOKIE]
    first = client.post("/chat/api/messages", json={"text": "hello"})
    second = client.post("/chat/api/messages", json={"text": "again"})
    assert first.status_code == second.status_code == 200
    assert set_cookie_headers(second, SESSION_COOKIE) == []  # not re-issued
    assert [(m.channel, m.external_id, m.text) for m in dialogue.received] == [
        ("web", chat_id, "hello"),
        ("web", chat_id, "again"),
    ]


def test_an_api_call_without_a_cookie_gets_one_and_the_dialogue_sees_that_id(
    client: httpx.Client, dialogue: ScriptedDialogue
) -> None:
    response = client.post("/chat/api/messages", json={"text": "hi"})
    assert response.status_code == 200
    assert dialogue.received[0].external_id == client.cookies[SESSION_COOKIE]


@pytest.mark.parametrize(
    "forged",
    ["1", "admin", "a" * 42, "a" * 44, "a" * 40 + "../"],
    ids=["short_number", "word", "one_char_short", "one_char_long", "path_characters"],
)
def test_a_cookie_not_in_the_shape_we_issue_is_replaced_by_a_fresh_id(
    chat_server: LiveServer, dialogue: ScriptedDialogue, forged: str
) -> None:
    response = httpx.post(f"{chat_server.url}/chat/api/messages", json={"text": "hi"}, cookies={SESSION_COOKIE: forged})
    assert response.status_code == 200
    issued = response.cookies[SESSION_COOKIE]
    assert dialogue.received[0].external_id == issued != forged


@pytest.mark.parametrize(
    ("query", "cookie", "expected_lang"),
    [
        ("", None, "kk"),
        ("?lang=ru", None, "ru"),
        ("?lang=en", "ru", "en"),
        ("", "en", "en"),
        ("?lang=xx", None, "kk"),
        ("?lang=xx", "ru", "ru"),
    ],
    ids=[
        "default_kazakh",
        "query_russian",
        "query_beats_cookie",
        "cookie_english",
        "unknown_query",
        "unknown_query_keeps_cookie",
    ],
)
def test_page_labels_are_rendered_server_side_in_the_chosen_language(
    chat_server: LiveServer, tagged_gettext: None, query: str, cookie: str | None, expected_lang: str
) -> None:
    cookies = {LANGUAGE_COOKIE: cookie} if cookie else {}
    response = httpx.get(f"{chat_server.url}/chat{query}", cookies=cookies)
    html = response.text
    assert f'<html lang="{expected_lang}">' in html
    assert f"<title>[{expected_lang}] Qamqor</title>" in html
    assert f">[{expected_lang}] Send</button>" in html
    assert f'placeholder="[{expected_lang}] Type a message"' in html
    assert f">[{expected_lang}] Attach a file</span>" in html


def test_a_language_in_the_query_is_remembered_in_a_cookie(chat_server: LiveServer) -> None:
    with httpx.Client(base_url=chat_server.url) as http:
        http.get("/chat?lang=ru")
        assert http.cookies[LANGUAGE_COOKIE] == "ru"
        assert '<html lang="ru">' in http.get("/chat").text


def test_picking_a_language_button_switches_the_page_labels(
    client: httpx.Client, tagged_gettext: None, dialogue: ScriptedDialogue
) -> None:
    client.get("/chat")
    body = client.post("/chat/api/messages", json={"choice": "lang:ru"}).json()
    assert body["lang"] == "ru"
    assert body["labels"]["send"] == "[ru] Send"
    assert body["labels"]["placeholder"] == "[ru] Type a message"
    assert client.cookies[LANGUAGE_COOKIE] == "ru"
    assert '<html lang="ru">' in client.get("/chat").text
    client.post("/chat/api/messages", json={"text": "привет"})
    assert dialogue.received[-1].language_hint == "ru"


def test_an_ordinary_button_does_not_touch_the_language(client: httpx.Client) -> None:
    body = client.post("/chat/api/messages", json={"choice": "echo"}).json()
    assert "labels" not in body
    assert LANGUAGE_COOKIE not in client.cookies


def test_the_browser_language_is_passed_as_a_hint_until_a_language_is_picked(
    client: httpx.Client, dialogue: ScriptedDialogue
) -> None:
    client.post("/chat/api/messages", json={"text": "hi"}, headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"})
    assert dialogue.received[0].language_hint == "ru-RU"


def test_the_page_loads_nothing_from_other_sites(client: httpx.Client) -> None:
    response = client.get("/chat")
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp
    assert "script-src 'self'" in csp
    assert "connect-src 'self'" in csp
    assert "http" not in response.text  # no absolute URL at all: no CDN, no font, no analytics
    assets = re.findall(r'(?:src|href)="(/chat/static/[^"]+)"', response.text)
    assert sorted(a.split("?")[0] for a in assets) == ["/chat/static/chat.css", "/chat/static/chat.js"]
    for asset in assets:
        served = client.get(asset)
        assert served.status_code == 200
        # The only absolute URL in the assets is the SVG namespace name, which is never fetched.
        assert set(re.findall(r"https?://[^\s\"')]+", served.text)) <= {"http://www.w3.org/2000/svg"}
