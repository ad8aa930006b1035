"""POST /chat/api/files over real HTTP: one photo or PDF, sniffed by content, size-limited while streaming."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from bot.i18n import gettext
from bot.web.uploads import MULTIPART_ALLOWANCE_BYTES
from tests.conftest import LiveServer
from tests.web.conftest import UPLOAD_LIMIT_BYTES
from tests.web.scripted import ScriptedDialogue, tiny_png

FILES = "/chat/api/files"
CHAT_HEADER = {"X-Qamqor-Chat": "1"}
PNG = tiny_png()
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200 + b"\xff\xd9"
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
# The page speaks Kazakh until the person picks a language: the refusals arrive in Kazakh.
TOO_LARGE_MESSAGE = gettext(
    "kk", "This file is too large. The limit is {limit}.", limit=gettext("kk", "{number} KB", number=64)
)


@pytest.fixture
def client(chat_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=chat_server.url, timeout=10) as http:
        http.get("/chat")
        yield http


def upload(client: httpx.Client, name: str, data: bytes, mime: str, **headers: str) -> httpx.Response:
    return client.post(FILES, files={"file": (name, data, mime)}, headers={**CHAT_HEADER, **headers})


def test_a_photo_reaches_the_dialogue_which_names_its_size(client: httpx.Client, dialogue: ScriptedDialogue) -> None:
    response = upload(client, "photo.png", PNG, "image/png")
    assert response.status_code == 200
    assert response.json() == {
        "replies": [{"type": "text", "text": f"Received photo.png: {len(PNG)} bytes, image/png."}]
    }
    attachment = dialogue.received[0].attachment
    assert attachment is not None
    assert (attachment.file_name, attachment.mime_type, attachment.data) == ("photo.png", "image/png", PNG)
    assert dialogue.received[0].external_id == client.cookies["qamqor_chat"]


@pytest.mark.parametrize(
    ("name", "claimed", "data", "sniffed"),
    [
        ("scan.pdf", "application/pdf", PNG, "image/png"),
        ("photo", "application/octet-stream", JPEG, "image/jpeg"),
        ("form.bin", "text/plain", PDF, "application/pdf"),
        ("scanner.pdf", "application/pdf", b"\x00" * 40 + PDF, "application/pdf"),
    ],
    ids=["png_named_pdf", "jpeg_without_extension", "pdf_claimed_text", "pdf_after_scanner_junk"],
)
def test_the_type_comes_from_the_bytes_not_the_name_or_the_browser(
    client: httpx.Client, dialogue: ScriptedDialogue, name: str, claimed: str, data: bytes, sniffed: str
) -> None:
    assert upload(client, name, data, claimed).status_code == 200
    attachment = dialogue.received[0].attachment
    assert attachment is not None
    assert attachment.mime_type == sniffed


@pytest.mark.parametrize(
    ("name", "claimed", "data"),
    [
        ("page.png", "image/png", b"<html><script>alert(1)</script></html>"),
        ("setup.pdf", "application/pdf", b"MZ\x90\x00\x03" + b"\x00" * 100),
        ("cat.gif", "image/gif", b"GIF89a\x01\x00\x01\x00"),
        ("doc.docx", "application/zip", b"PK\x03\x04" + b"\x00" * 100),
    ],
    ids=["html_named_png", "exe_named_pdf", "gif", "word_document"],
)
def test_anything_but_jpeg_png_or_pdf_is_refused_with_a_clear_message(
    client: httpx.Client, dialogue: ScriptedDialogue, name: str, claimed: str, data: bytes
) -> None:
    response = upload(client, name, data, claimed)
    assert response.status_code == 415
    assert response.json()["error"] == {
        "code": "file_type_not_accepted",
        "message": gettext("kk", "Please send a photo (JPEG or PNG) or a PDF."),
    }
    assert dialogue.received == []


@pytest.mark.parametrize(
    ("size", "status"),
    [(UPLOAD_LIMIT_BYTES, 200), (UPLOAD_LIMIT_BYTES + 1, 413)],
    ids=["exactly_the_limit", "one_byte_over"],
)
def test_the_size_limit_is_exact(client: httpx.Client, dialogue: ScriptedDialogue, size: int, status: int) -> None:
    data = PDF + b"\x00" * (size - len(PDF))
    response = upload(client, "big.pdf", data, "application/pdf")
    assert response.status_code == status
    if status == 413:
        assert response.json()["error"] == {"code": "file_too_large", "message": TOO_LARGE_MESSAGE}
        assert dialogue.received == []


def test_a_much_larger_upload_is_refused_with_413(client: httpx.Client, dialogue: ScriptedDialogue) -> None:
    response = upload(client, "huge.pdf", PDF + b"\x00" * (2 * 1024 * 1024), "application/pdf")
    assert response.status_code == 413
    assert response.json()["error"]["message"] == TOO_LARGE_MESSAGE
    assert dialogue.received == []
    assert upload(client, "photo.png", PNG, "image/png").status_code == 200  # the next upload is unaffected


def raw_post_status(server: LiveServer, head: str, body_parts: list[bytes]) -> int:
    """Send headers and part of a body, never finishing it, and return the status the server answers with."""
    host, port = urlsplit(server.url).hostname, urlsplit(server.url).port
    assert host is not None and port is not None
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(head.encode("latin-1"))
        for part in body_parts:
            sock.sendall(part)
        started = time.monotonic()
        status_line = sock.makefile("rb").readline().decode("latin-1")
        assert time.monotonic() - started < 10
    return int(status_line.split()[1])


def multipart_head(extra_header: str) -> tuple[str, bytes]:
    head = (
        f"POST {FILES} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Qamqor-Chat: 1\r\n"
        f"Content-Type: multipart/form-data; boundary=XyZ\r\n{extra_header}\r\n"
    )
    part_head = b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.7\n'
    return head, part_head


def test_a_declared_oversize_is_refused_before_the_body_is_read(chat_server: LiveServer) -> None:
    head, part_head = multipart_head("Content-Length: 50000000\r\n")
    # Only the first KiB of the promised 50 MB is ever sent: the answer cannot wait for the rest.
    assert raw_post_status(chat_server, head, [part_head + b"\x00" * 1024]) == 413


def test_an_undeclared_oversize_is_cut_off_while_streaming(chat_server: LiveServer) -> None:
    head, part_head = multipart_head("Transfer-Encoding: chunked\r\n")
    chunk = b"\x00" * 8192
    sent = UPLOAD_LIMIT_BYTES + MULTIPART_ALLOWANCE_BYTES + 4 * len(chunk)
    chunks = [b"%x\r\n%s\r\n" % (len(part_head), part_head)]
    chunks += [b"%x\r\n%s\r\n" % (len(chunk), chunk)] * (sent // len(chunk))
    # The body is never terminated (no zero-size chunk): only a server that stops reading can answer.
    assert raw_post_status(chat_server, head, chunks) == 413


@pytest.mark.parametrize(
    ("headers", "status", "code"),
    [
        ({}, 403, "chat_header_required"),
        ({"X-Qamqor-Chat": "yes"}, 403, "chat_header_required"),
        ({**CHAT_HEADER, "Origin": "http://evil.example"}, 403, "cross_origin"),
    ],
    ids=["no_chat_header", "wrong_chat_header", "foreign_origin"],
)
def test_uploads_need_the_chat_header_and_this_origin(
    client: httpx.Client, dialogue: ScriptedDialogue, headers: dict[str, str], status: int, code: str
) -> None:
    response = client.post(FILES, files={"file": ("photo.png", PNG, "image/png")}, headers=headers)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert dialogue.received == []


@pytest.mark.parametrize(
    ("request_kwargs", "status", "code"),
    [
        ({"files": {"photo": ("photo.png", PNG, "image/png")}}, 422, "file_missing"),
        ({"files": {"file": ("empty.png", b"", "image/png")}}, 422, "file_empty"),
        ({"files": [("file", ("a.png", PNG, "image/png")), ("file", ("b.png", PNG, "image/png"))]}, 400, "bad_upload"),
        ({"files": {"file": ("a.png", PNG, "image/png")}, "data": {"note": "hi"}}, 400, "bad_upload"),
        ({"content": b"not multipart", "headers": {"Content-Type": "multipart/form-data"}}, 400, "bad_upload"),
        ({"json": {"file": "aGVsbG8="}}, 415, "multipart_required"),
    ],
    ids=["wrong_field_name", "empty_file", "two_files", "extra_text_field", "no_boundary", "json_instead"],
)
def test_a_malformed_upload_gets_a_clear_json_error(
    client: httpx.Client, dialogue: ScriptedDialogue, request_kwargs: dict[str, Any], status: int, code: str
) -> None:
    headers = {**CHAT_HEADER, **request_kwargs.pop("headers", {})}
    response = client.post(FILES, headers=headers, **request_kwargs)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert dialogue.received == []


@pytest.mark.parametrize(
    ("sent_name", "received_name"),
    [
        ("../../etc/passwd.png", "passwd.png"),
        ("C:\\Users\\me\\scan.png", "scan.png"),
        ("  ..  ", "file.png"),
    ],
    ids=["unix_path", "windows_path", "nothing_left"],
)
def test_the_file_name_given_to_the_dialogue_is_a_plain_name(
    client: httpx.Client, dialogue: ScriptedDialogue, sent_name: str, received_name: str
) -> None:
    assert upload(client, sent_name, PNG, "image/png").status_code == 200
    attachment = dialogue.received[0].attachment
    assert attachment is not None
    assert attachment.file_name == received_name
