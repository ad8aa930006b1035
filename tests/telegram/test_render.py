"""Pure rendering rules: message splitting, button layout, callback-data tokens."""

from __future__ import annotations

import pytest

from bot.messages import Option
from bot.telegram.render import (
    InMemoryOptionTokens,
    TelegramRenderer,
    buttons_per_row,
    needs_token,
    split_text,
    telegram_length,
)

PARAGRAPH_3000 = "а" * 3000
PARAGRAPH_1000 = "б" * 1000


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello", ["Hello"]),
        ("", []),
        ("  \n\n ", []),
        ("x" * 4096, ["x" * 4096]),
        (f"{PARAGRAPH_3000}\n\n{PARAGRAPH_1000}", [f"{PARAGRAPH_3000}\n\n{PARAGRAPH_1000}"]),  # 4002: fits
        (f"{PARAGRAPH_3000}\n\n{PARAGRAPH_3000}", [PARAGRAPH_3000, PARAGRAPH_3000]),
        (
            f"{PARAGRAPH_1000}\n\n{PARAGRAPH_1000}\n\n{PARAGRAPH_3000}",
            [f"{PARAGRAPH_1000}\n\n{PARAGRAPH_1000}", PARAGRAPH_3000],
        ),
        (f"{PARAGRAPH_3000}\n{PARAGRAPH_3000}", [PARAGRAPH_3000, PARAGRAPH_3000]),  # no paragraphs: lines
        ("word " * 1000, [" ".join(["word"] * 819), "word " * 181]),  # no lines: words
        ("y" * 5000, ["y" * 4096, "y" * 904]),  # one endless word: a hard cut
    ],
    ids=[
        "short-unchanged",
        "empty-sends-nothing",
        "blank-sends-nothing",
        "exactly-4096-one-message",
        "two-paragraphs-fit-together",
        "two-paragraphs-apart",
        "paragraphs-packed-greedily",
        "long-lines-split-on-newline",
        "no-newlines-split-on-spaces",
        "no-spaces-hard-cut",
    ],
)
def test_split_text_on_paragraph_boundaries(text: str, expected: list[str]):
    assert split_text(text) == expected


def test_split_text_counts_emoji_as_two_utf16_units_and_never_splits_one():
    text = "😀" * 3000  # 6000 units
    parts = split_text(text)

    assert [telegram_length(part) for part in parts] == [4096, 1904]
    assert "".join(parts) == text


@pytest.mark.parametrize(
    ("labels", "per_row"),
    [(["Yes", "No"], 3), (["Home care", "Day-care centre"], 2), (["Temporary stay in a crisis centre"], 1)],
    ids=["yes-no-share-a-row", "medium-two-a-row", "long-own-row"],
)
def test_buttons_per_row_by_label_length(labels: list[str], per_row: int):
    assert buttons_per_row(labels) == per_row


@pytest.mark.parametrize(
    ("option_id", "tokenised"),
    [("yes", False), ("x" * 64, False), ("x" * 65, True), ("ә" * 33, True), ("", True), ("~looks-like-a-token", True)],
    ids=["short", "exactly-64-bytes", "65-bytes", "66-bytes-in-32-kazakh-letters", "empty", "token-prefix"],
)
def test_needs_token_past_64_bytes(option_id: str, tokenised: bool):
    assert needs_token(option_id) is tokenised


async def test_keyboard_tokens_resolve_back_to_the_option_ids():
    renderer = TelegramRenderer(InMemoryOptionTokens())
    ids = ["a" * 100, "ә" * 40, "~x", "plain"]

    keyboard = await renderer.keyboard([Option(option_id, f"L{n}") for n, option_id in enumerate(ids)])

    datas = [button.callback_data or "" for row in keyboard.inline_keyboard for button in row]
    assert all(1 <= len(data.encode()) <= 64 for data in datas)
    assert [await renderer.resolve_choice(data) for data in datas] == ids


async def test_tokens_are_bounded_and_forget_the_oldest():
    tokens = InMemoryOptionTokens(max_entries=2)
    first, second, third = [await tokens.token_for(str(n) * 70) for n in range(3)]

    assert await tokens.resolve(first) is None
    assert (await tokens.resolve(second), await tokens.resolve(third)) == ("1" * 70, "2" * 70)
