"""The fake Bot API itself behaves like Telegram where tests rely on it: token, offsets, 429 shape, limits."""

from __future__ import annotations

import httpx

from tests.fakes import TOKEN, FakeTelegram


def call(fake: FakeTelegram, method: str, token: str = TOKEN, **params: object) -> httpx.Response:
    return httpx.post(f"{fake.url}/bot{token}/{method}", json=params)


def test_fake_wrong_token_is_unauthorized(fake_telegram: FakeTelegram):
    response = call(fake_telegram, "getMe", token="999:wrong")

    assert response.status_code == 401
    assert response.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}


def test_fake_get_updates_offset_confirms_earlier_updates(fake_telegram: FakeTelegram):
    first = fake_telegram.push_text(1, "one")
    second = fake_telegram.push_text(1, "two")

    everything = call(fake_telegram, "getUpdates").json()["result"]
    after_first = call(fake_telegram, "getUpdates", offset=first + 1).json()["result"]
    again = call(fake_telegram, "getUpdates").json()["result"]

    assert [u["update_id"] for u in everything] == [first, second]
    assert [u["update_id"] for u in after_first] == [second]
    assert [u["update_id"] for u in again] == [second]  # confirmed updates are gone for good


def test_fake_429_has_telegrams_shape_then_recovers(fake_telegram: FakeTelegram):
    fake_telegram.fail_next("sendMessage", retry_after=1)

    limited = call(fake_telegram, "sendMessage", chat_id=1, text="hi")
    normal = call(fake_telegram, "sendMessage", chat_id=1, text="hi")

    assert limited.status_code == 429
    assert limited.json() == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }
    assert normal.json()["ok"] is True


def test_fake_refuses_what_telegram_refuses(fake_telegram: FakeTelegram):
    too_long = call(fake_telegram, "sendMessage", chat_id=1, text="x" * 4097)
    keyboard = {"inline_keyboard": [[{"text": "A", "callback_data": "d" * 65}]]}
    fat_button = call(fake_telegram, "sendMessage", chat_id=1, text="hi", reply_markup=keyboard)

    assert too_long.json()["description"] == "Bad Request: message is too long"
    assert fat_button.json()["description"] == "Bad Request: BUTTON_DATA_INVALID"
    assert fake_telegram.messages_to(1) == []
