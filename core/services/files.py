"""Where uploaded documents live: content-addressed files under the data directory, checked for type and size.

The type is decided by the file's first bytes, never by its name or the client's claim.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from core.services.errors import InvalidInput

# Magic numbers of the formats families send: phone photos and scanned PDFs. Readers accept "%PDF-" anywhere in
# the first KiB (some scanners prepend bytes), so the PDF signature is searched there, the images at byte 0.
PDF_HEADER_WINDOW = 1024
_SIGNATURES: tuple[tuple[bytes, str, str, int], ...] = (
    (b"\xff\xd8\xff", "image/jpeg", ".jpg", 0),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png", 0),
    (b"%PDF-", "application/pdf", ".pdf", PDF_HEADER_WINDOW),
)
ACCEPTED_TYPES = tuple(mime for _, mime, _, _ in _SIGNATURES)


@dataclass(frozen=True, slots=True)
class StoredFile:
    relative_path: str
    mime_type: str
    size: int
    sha256: str


def sniff_type(data: bytes) -> tuple[str, str] | None:
    """(MIME type, extension) from the leading bytes, or None for anything we do not accept."""
    for signature, mime, extension, window in _SIGNATURES:
        if data.startswith(signature) or (window and signature in data[:window]):
            return mime, extension
    return None


class FileStore:
    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max_bytes

    def check(self, data: bytes) -> tuple[str, str]:
        if not data:
            raise InvalidInput("the file is empty", reason="empty_file")
        if len(data) > self.max_bytes:
            raise InvalidInput(
                "the file is too large", reason="file_too_large", size=len(data), max_bytes=self.max_bytes
            )
        kind = sniff_type(data)
        if kind is None:
            raise InvalidInput("only JPEG, PNG or PDF files are accepted", reason="file_type_not_accepted")
        return kind

    def store(self, data: bytes) -> StoredFile:
        mime, extension = self.check(data)
        digest = hashlib.sha256(data).hexdigest()
        relative = Path(digest[:2]) / f"{digest}{extension}"
        target = self.root / relative
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(target.suffix + ".part")
            partial.write_bytes(data)
            partial.replace(target)  # atomic: a crash never leaves half a document under its final name
        return StoredFile(str(relative), mime, len(data), digest)

    def read(self, relative_path: str) -> bytes:
        path = (self.root / relative_path).resolve()
        if self.root.resolve() not in path.parents:
            raise InvalidInput("bad document path", reason="bad_path")
        return path.read_bytes()
