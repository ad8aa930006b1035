"""The web chat's small pure helpers: type sniffing, file names, sizes, language buttons, the document store."""

from __future__ import annotations

import pytest

from bot.messages import DocumentOut
from bot.web.replies import DocumentStore
from bot.web.session import language_from_choice
from bot.web.uploads import format_size, safe_file_name, sniff_mime_type


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\xff\xd8\xff\xe0rest", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\nrest", "image/png"),
        (b"%PDF-1.4", "application/pdf"),
        (b"\r\n" * 100 + b"%PDF-1.4", "application/pdf"),
        (b"\x00" * 1024 + b"%PDF-1.4", None),
        (b"\x89PNG\r\n", None),
        (b"GIF89a", None),
        (b"", None),
    ],
    ids=["jpeg", "png", "pdf", "pdf_within_first_kib", "pdf_marker_too_late", "truncated_png", "gif", "empty"],
)
def test_sniff_mime_type_by_magic_bytes(data: bytes, expected: str | None) -> None:
    assert sniff_mime_type(data) == expected


@pytest.mark.parametrize(
    ("raw", "mime", "expected"),
    [
        ("Жеке куәлік.jpg", "image/jpeg", "Жеке куәлік.jpg"),
        ("a/b/c.pdf", "application/pdf", "c.pdf"),
        ('what?*"<>|.png', "image/png", "what_.png"),
        ("bad\x00na\x1bme\u202e.png", "image/png", "badname.png"),
        ("...", "application/pdf", "file.pdf"),
        (None, "image/jpeg", "file.jpg"),
        ("x" * 300 + ".pdf", "application/pdf", "x" * 116 + ".pdf"),
    ],
    ids=[
        "kazakh_name_kept",
        "path_dropped",
        "reserved_characters",
        "control_and_bidi_characters",
        "only_dots",
        "missing",
        "long_name_keeps_extension",
    ],
)
def test_safe_file_name(raw: str | None, mime: str, expected: str) -> None:
    assert safe_file_name(raw, mime) == expected


@pytest.mark.parametrize(
    ("size", "expected"),
    [(10 * 1024 * 1024, "10 MB"), (1536 * 1024, "1.5 MB"), (64 * 1024, "64 KB"), (100, "1 KB")],
    ids=["ten_megabytes", "one_and_a_half_megabytes", "kilobytes", "tiny_rounds_up_to_one_kb"],
)
def test_format_size_for_people(size: int, expected: str) -> None:
    assert format_size("en", size) == expected


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ("lang:kk", "kk"),
        ("language:ru", "ru"),
        ("lang_en", "en"),
        ("RU", "ru"),
        ("lang:de", None),
        ("file", None),
        ("no", None),
    ],
    ids=[
        "lang_prefix",
        "language_prefix",
        "underscore",
        "bare_code",
        "unsupported_language",
        "other_button",
        "two_letters",
    ],
)
def test_language_from_choice(choice: str, expected: str | None) -> None:
    assert language_from_choice(choice) == expected


def test_the_document_store_keeps_documents_per_session_and_drops_the_oldest_over_its_cap() -> None:
    store = DocumentStore(max_documents=2)
    first = store.add("alice", DocumentOut("a.pdf", "application/pdf", b"%PDF-a"))
    second = store.add("alice", DocumentOut("b.pdf", "application/pdf", b"%PDF-b"))
    assert store.get("bob", first) is None
    third = store.add("bob", DocumentOut("c.pdf", "application/pdf", b"%PDF-c"))
    assert store.get("alice", first) is None  # the oldest went first
    assert store.get("alice", second) is not None
    assert store.get("bob", third) is not None


def test_the_document_store_respects_its_byte_cap() -> None:
    store = DocumentStore(max_bytes=10)
    first = store.add("alice", DocumentOut("a.pdf", "application/pdf", b"12345678"))
    second = store.add("alice", DocumentOut("b.pdf", "application/pdf", b"12345678"))
    assert store.get("alice", first) is None
    assert store.get("alice", second) is not None
