"""Reading one uploaded file safely: a hard byte limit while streaming, and the type from the bytes themselves.

The request body is never read past `max_bytes` plus a small allowance for the multipart framing: an upload that
declares a larger Content-Length is refused before reading, and one that streams more is cut off mid-way. The
file type is decided by its magic bytes (JPEG, PNG or PDF), never by its name or the browser's claim.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import AsyncGenerator, AsyncIterator

from fastapi import Request
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import ClientDisconnect

from bot.i18n import N_, gettext
from bot.messages import Attachment
from bot.web.guards import ChatError
from core.services.files import sniff_type

UPLOAD_FIELD = "file"
# Boundaries, part headers and a long file name fit easily in this; a bigger body cannot hold an allowed file.
MULTIPART_ALLOWANCE_BYTES = 16 * 1024
MAX_FILE_NAME_CHARS = 120
ACCEPTED_TYPES = ("image/jpeg", "image/png", "application/pdf")

FILE_TOO_LARGE = N_("This file is too large. The limit is {limit}.")
WRONG_FILE_TYPE = N_("Please send a photo (JPEG or PNG) or a PDF.")
EMPTY_FILE = N_("The file is empty.")
MEGABYTES = N_("{number} MB")
KILOBYTES = N_("{number} KB")

_UNSAFE_NAME_CHARS = re.compile(r'[\\/:*?"<>|]+')


class BodyTooLarge(Exception):
    """The request body went past the limit while streaming."""


def format_size(lang: str, size_bytes: int) -> str:
    """A size as a person reads it: "10 MB", "1.5 MB", "300 KB"."""
    if size_bytes >= 1024 * 1024:
        number = f"{size_bytes / (1024 * 1024):.1f}".removesuffix(".0")
        return gettext(lang, MEGABYTES, number=number)
    return gettext(lang, KILOBYTES, number=max(1, round(size_bytes / 1024)))


def too_large_error(lang: str, max_bytes: int) -> ChatError:
    return ChatError(413, "file_too_large", gettext(lang, FILE_TOO_LARGE, limit=format_size(lang, max_bytes)))


def sniff_mime_type(data: bytes) -> str | None:
    """JPEG, PNG or PDF by their magic bytes; None for anything else. The file store's own check, so the page
    never accepts a file the store would then refuse."""
    kind = sniff_type(data)
    return kind[0] if kind else None


def safe_file_name(raw: str | None, mime_type: str) -> str:
    """The last path component, without control or path characters, shortened; a plain name when nothing is left."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE_NAME_CHARS.sub("_", name).strip(" .")
    if len(name) > MAX_FILE_NAME_CHARS:
        stem, dot, ext = name.rpartition(".")
        keep = MAX_FILE_NAME_CHARS - len(dot + ext)
        name = stem[:keep] + dot + ext if dot and 0 < len(ext) <= 10 else name[:MAX_FILE_NAME_CHARS]
    return name or "file." + {"image/jpeg": "jpg", "image/png": "png"}.get(mime_type, "pdf")


async def limited_stream(chunks: AsyncIterator[bytes], limit: int) -> AsyncGenerator[bytes, None]:
    """Pass chunks through, stopping with BodyTooLarge as soon as more than `limit` bytes have arrived."""
    received = 0
    async for chunk in chunks:
        received += len(chunk)
        if received > limit:
            raise BodyTooLarge
        yield chunk


def declared_length(request: Request) -> int | None:
    value = request.headers.get("content-length", "").strip()
    return int(value) if value.isdigit() else None


async def read_body_limited(request: Request, limit: int) -> bytes:
    """The whole (small) request body, refusing with 413 once it passes `limit` bytes."""
    length = declared_length(request)
    if length is not None and length > limit:
        raise ChatError(413, "body_too_large", f"The request body is larger than {limit} bytes.")
    parts: list[bytes] = []
    try:
        async for chunk in limited_stream(request.stream(), limit):
            parts.append(chunk)
    except BodyTooLarge:
        raise ChatError(413, "body_too_large", f"The request body is larger than {limit} bytes.") from None
    except ClientDisconnect:
        raise ChatError(400, "client_disconnected", "The request was interrupted.") from None
    return b"".join(parts)


async def read_single_upload(request: Request, *, max_bytes: int, lang: str) -> Attachment:
    """The one file in the multipart field "file", size-checked while streaming and type-checked by content."""
    body_limit = max_bytes + MULTIPART_ALLOWANCE_BYTES
    length = declared_length(request)
    if length is not None and length > body_limit:
        raise too_large_error(lang, max_bytes)
    parser = MultiPartParser(
        request.headers,
        limited_stream(request.stream(), body_limit),
        max_files=1,
        max_fields=0,
        max_part_size=1024,
    )
    try:
        form = await parser.parse()
    except BodyTooLarge:
        raise too_large_error(lang, max_bytes) from None
    except MultiPartException as exc:
        raise ChatError(400, "bad_upload", f"The upload could not be read: {exc.message}") from None
    except ClientDisconnect:
        raise ChatError(400, "client_disconnected", "The upload was interrupted.") from None
    try:
        upload = form.get(UPLOAD_FIELD)
        if not isinstance(upload, UploadFile):
            raise ChatError(422, "file_missing", f"Attach one file in the multipart field '{UPLOAD_FIELD}'.")
        data = await upload.read(max_bytes + 1)
        file_name = upload.filename
    finally:
        await form.close()
    return _checked_attachment(data, file_name, max_bytes=max_bytes, lang=lang)


def _checked_attachment(data: bytes, file_name: str | None, *, max_bytes: int, lang: str) -> Attachment:
    if len(data) > max_bytes:
        raise too_large_error(lang, max_bytes)
    if not data:
        raise ChatError(422, "file_empty", gettext(lang, EMPTY_FILE))
    mime_type = sniff_mime_type(data)
    if mime_type is None:
        raise ChatError(415, "file_type_not_accepted", gettext(lang, WRONG_FILE_TYPE))
    return Attachment(file_name=safe_file_name(file_name, mime_type), mime_type=mime_type, data=data)
