"""The /chat page: server-rendered labels in the person's language, static assets, and strict page headers.

Every label a person reads on the page itself is a gettext msgid translated here, so the HTML arrives in the right
language and chat.js never builds text from markup.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from bot.i18n import N_, gettext
from bot.web.uploads import ACCEPTED_TYPES, FILE_TOO_LARGE, WRONG_FILE_TYPE, format_size

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_URL = "/chat/static"
MAX_TEXT_CHARS = 4000

SOMETHING_WENT_WRONG = N_("Something went wrong. Please try again.")

# key in the page -> msgid; chat.js reads the same keys.
PAGE_LABELS = {
    "title": N_("Qamqor"),
    "send": N_("Send"),
    "attach": N_("Attach a file"),
    "placeholder": N_("Type a message"),
    "conversation": N_("Conversation"),
    "sending": N_("Sending…"),
    "you": N_("You"),
    "download": N_("Download"),
    "wrong_type": WRONG_FILE_TYPE,
    "error": SOMETHING_WENT_WRONG,
    "offline": N_("No connection. Please check the internet and try again."),
    "noscript": N_("This chat needs JavaScript. Please turn it on and reload the page."),
}

# No inline script or style and no other origin: the page works offline from this server alone.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def page_labels(lang: str, max_upload_bytes: int) -> dict[str, str]:
    labels = {key: gettext(lang, msgid) for key, msgid in PAGE_LABELS.items()}
    labels["file_too_large"] = gettext(lang, FILE_TOO_LARGE, limit=format_size(lang, max_upload_bytes))
    return labels


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def static_url(name: str) -> str:
    """The asset URL with a content hash, so a deploy never serves a stale chat.js from a phone's cache."""
    digest = hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest()[:12]
    return f"{STATIC_URL}/{name}?v={digest}"


def render_chat_page(lang: str, max_upload_bytes: int) -> str:
    return (
        _environment()
        .get_template("chat.html")
        .render(
            lang=lang,
            labels=page_labels(lang, max_upload_bytes),
            css_url=static_url("chat.css"),
            js_url=static_url("chat.js"),
            max_upload_bytes=max_upload_bytes,
            max_text_chars=MAX_TEXT_CHARS,
            accept=",".join(ACCEPTED_TYPES),
        )
    )
