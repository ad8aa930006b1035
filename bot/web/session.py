"""Who is chatting, without tokens or logins: an opaque random id in an HttpOnly cookie, and the page language.

The id is the person's `external_id` on the "web" channel. It is a bearer secret (whoever holds the cookie is that
chat), so it is random (`secrets.token_urlsafe`), never readable by scripts (HttpOnly), not sent on cross-site
POSTs (SameSite=Lax) and only accepted back in the exact shape we issue.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from fastapi import Request, Response

from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES
from qamqor.settings import Settings

SESSION_COOKIE = "qamqor_chat"
LANGUAGE_COOKIE = "qamqor_lang"
COOKIE_PATH = "/chat"
COOKIE_MAX_AGE_SECONDS = 180 * 24 * 3600  # a returning person keeps their conversation for half a year
SESSION_ID_BYTES = 32
# token_urlsafe(32) gives 43 characters of the URL-safe base64 alphabet; anything else is not ours.
_SESSION_ID_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")
# Option ids that mean "the person picked this language" (for example "lang:ru"); see language_from_choice.
_LANGUAGE_CHOICE = re.compile(r"(?:lang(?:uage)?[:_=-])?([a-z]{2})", re.IGNORECASE)


@dataclass(slots=True)
class ChatSession:
    """The person behind one request: their chat id, their page language, and which cookies need (re)setting."""

    id: str
    lang: str
    is_new: bool = False
    lang_changed: bool = False

    def switch_language(self, lang: str) -> None:
        if lang in LANGUAGES and lang != self.lang:
            self.lang = lang
            self.lang_changed = True


def new_session_id() -> str:
    return secrets.token_urlsafe(SESSION_ID_BYTES)


def session_from_request(request: Request) -> ChatSession:
    """The chat session named by the cookie, or a fresh one when the cookie is missing or not in our shape."""
    cookie = request.cookies.get(SESSION_COOKIE, "")
    lang_cookie = request.cookies.get(LANGUAGE_COOKIE, "")
    lang = lang_cookie if lang_cookie in LANGUAGES else DEFAULT_LANGUAGE
    if _SESSION_ID_SHAPE.fullmatch(cookie):
        return ChatSession(id=cookie, lang=lang)
    return ChatSession(id=new_session_id(), lang=lang, is_new=True)


def language_hint(request: Request, session: ChatSession) -> str | None:
    """What the browser says about the person's language: the picked language, else Accept-Language's first tag."""
    if LANGUAGE_COOKIE in request.cookies and session.lang in LANGUAGES:
        return session.lang
    first = request.headers.get("accept-language", "").split(",")[0].split(";")[0].strip()
    return first or None


def language_from_choice(choice_id: str) -> str | None:
    """The language a pressed option stands for: "lang:kk", "language:ru", "lang_en" or a bare "kk"/"ru"/"en"."""
    match = _LANGUAGE_CHOICE.fullmatch(choice_id.strip())
    if match is None:
        return None
    code = match.group(1).lower()
    return code if code in LANGUAGES else None


def store_session_cookies(response: Response, session: ChatSession, settings: Settings) -> None:
    """Issue the id on first contact and remember a newly picked language; both HttpOnly and SameSite=Lax."""
    secure = settings.public_url.startswith("https://")
    if session.is_new:
        _set_cookie(response, SESSION_COOKIE, session.id, secure=secure)
    if session.lang_changed:
        _set_cookie(response, LANGUAGE_COOKIE, session.lang, secure=secure)


def _set_cookie(response: Response, name: str, value: str, *, secure: bool) -> None:
    response.set_cookie(
        name,
        value,
        max_age=COOKIE_MAX_AGE_SECONDS,
        path=COOKIE_PATH,
        httponly=True,
        samesite="lax",
        secure=secure,
    )
