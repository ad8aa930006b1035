"""Whatever the person sends, at any kind of step, they get a helpful answer and the question again: a bad IIN
(each reason of rules-digest §7 explained), text where a button is expected, a file where text is expected, a
sticker, an old button, files the store refuses. Never an error, never silence."""

from __future__ import annotations

from datetime import date

import pytest

from core.rules.iin import check_digit
from tests.dialogue.conftest import PDF, Chat, make_iin, onboard

GIF = b"GIF89a" + b"\x00" * 32


def unassignable_iin() -> str:
    """An IIN-shaped number whose check digit cannot be computed (both weightings leave 10)."""
    for serial in range(10000):
        first = f"9001013{serial:04d}"
        if check_digit(first) is None:
            return first + "0"
    raise AssertionError("none found")


def with_wrong_check_digit(iin: str) -> str:
    return iin[:11] + str((int(iin[11]) + 1) % 10)


def at_iin_step(engine) -> Chat:
    chat = Chat(engine)
    onboard(chat, "English")
    chat.press("New application")
    chat.press("For myself")
    return chat


def at_name_step(engine) -> Chat:
    chat = at_iin_step(engine)
    chat.send(make_iin(date(1950, 1, 1)))
    chat.press("Yes")
    return chat


def at_upload_step(engine, area) -> Chat:
    chat = at_name_step(engine)
    chat.send("Test Person")
    chat.press("older person")
    chat.press("Almaty")
    chat.press("Almaly")
    chat.press("Home care")
    chat.press("Send: medical card")
    return chat


@pytest.mark.parametrize(
    ("typed", "explanation"),
    [
        pytest.param("12345", "An IIN has exactly 12 digits, with no letters.", id="p7-not_12_digits"),
        pytest.param("90010130001A", "An IIN has exactly 12 digits, with no letters.", id="p7-letters"),
        pytest.param("900101000017", "The 7th digit must be from 1 to 6", id="p7-bad_century_digit"),
        pytest.param("901301300012", "The first 6 digits must be a real date of birth", id="p7-bad_date"),
        pytest.param(
            make_iin(date(2027, 3, 1)), "The date of birth in this number is in the future.", id="p7-birth_after_today"
        ),
        pytest.param(
            with_wrong_check_digit(make_iin(date(1950, 1, 1))),
            "The last digit does not match the others: there is probably a typo.",
            id="p7-bad_check_digit",
        ),
        pytest.param(unassignable_iin(), "No IIN like this is ever issued", id="p7-check_digit_unassignable"),
    ],
)
def test_rules_digest_p7_bad_iin_explained_and_asked_again(engine, area, typed, explanation):
    chat = at_iin_step(engine)
    answer = chat.send(typed)
    assert "This IIN does not look right:" in answer and explanation in answer
    assert answer.endswith("Step 2 of 6\nPlease type your IIN (12 digits). I will check it at once.\n[Main menu]")
    assert "From this IIN" in chat.send(make_iin(date(1950, 1, 1)))  # the right number goes on at once


def test_iin_with_spaces_is_accepted(engine, area):
    chat = at_iin_step(engine)
    iin = make_iin(date(1950, 1, 1))
    assert "date of birth 01.01.1950, sex: male" in chat.send(f" {iin[:6]} {iin[6:]} ")


BUTTON_QUESTION = "Step 1 of 6\nWho is the application for?"
TEXT_QUESTION = "Step 3 of 6\nPlease type your full name"
FILE_QUESTION = "Please send a photo or a PDF of: medical card."


@pytest.mark.parametrize(
    ("send", "hint"),
    [
        pytest.param({"text": "hello"}, "Please choose one of the buttons below.", id="text-at-button-step"),
        pytest.param(
            {"file": ("a.pdf", "application/pdf", PDF)},
            "Thank you, but I do not need a file here.",
            id="file-at-button-step",
        ),
        pytest.param({}, "I could not read this message.", id="sticker-at-button-step"),
        pytest.param(
            {"choice": "cat:elderly"}, "That button belongs to an earlier question.", id="old-button-at-button-step"
        ),
    ],
)
def test_wrong_input_at_a_button_step_repeats_the_question(engine, area, send, hint):
    chat = Chat(engine)
    onboard(chat, "English")
    chat.press("New application")
    answer = chat.send(**send)
    assert answer.startswith(hint) and BUTTON_QUESTION in answer


@pytest.mark.parametrize(
    ("send", "hint"),
    [
        pytest.param(
            {"file": ("a.pdf", "application/pdf", PDF)},
            "Thank you, but I do not need a file here.",
            id="file-at-text-step",
        ),
        pytest.param({}, "I could not read this message.", id="sticker-at-text-step"),
        pytest.param({"choice": "self"}, "That button belongs to an earlier question.", id="old-button-at-text-step"),
        pytest.param({"text": "12345"}, "Please type the full name in letters", id="digits-as-name"),
    ],
)
def test_wrong_input_at_a_text_step_repeats_the_question(engine, area, send, hint):
    chat = at_name_step(engine)
    answer = chat.send(**send)
    assert answer.startswith(hint) and TEXT_QUESTION in answer


@pytest.mark.parametrize(
    ("send", "hint"),
    [
        pytest.param({"text": "I will send it tomorrow"}, "Please send a photo or a PDF file.", id="text-at-file-step"),
        pytest.param({}, "I could not read this message.", id="sticker-at-file-step"),
        pytest.param(
            {"file": ("a.gif", "image/gif", GIF)},
            "I can accept only a photo (JPEG or PNG) or a PDF file.",
            id="file_type_not_accepted",
        ),
        pytest.param(
            {"file": ("a.pdf", "application/pdf", b"")}, "The file is empty. Please send it again.", id="empty_file"
        ),
    ],
)
def test_wrong_input_at_a_file_step_repeats_the_request(engine, area, send, hint):
    chat = at_upload_step(engine, area)
    answer = chat.send(**send)
    assert answer.startswith(hint) and FILE_QUESTION in answer and "JPEG, PNG or PDF, up to 10 MB." in answer


def test_file_too_large_names_the_limit(engine, area, runtime):
    chat = at_upload_step(engine, area)
    too_big = PDF + b"0" * runtime.settings.max_upload_bytes
    answer = chat.upload("big.pdf", too_big)
    assert answer.startswith("This file is too large. The limit is 10 MB. Please send a smaller photo or PDF.")
    assert FILE_QUESTION in answer


def test_typed_label_or_number_counts_as_pressing_the_button(engine, area):
    chat = Chat(engine)
    onboard(chat, "English")
    chat.press("New application")
    assert "Please type your IIN" in chat.send("for myself")
    chat.send("/cancel")
    chat.press("New application")
    chat.press("Start over")
    assert "Who are you to this person?" in chat.send("2")


def test_unknown_command_keeps_the_place(engine, area):
    chat = Chat(engine)
    onboard(chat, "English")
    chat.press("New application")
    answer = chat.send("/frobnicate")
    assert answer.startswith("I do not know this command.") and BUTTON_QUESTION in answer
