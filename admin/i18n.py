"""The panel's language: the staff member's own (Russian or Kazakh), English where a string has no translation.

Strings live in the shared catalogue (locales/*/LC_MESSAGES/admin.po, merged with the other parts by bot.i18n).
The language of the current request is a context variable set by the admin middleware from the session, so
labels defined at import time (`lazy(N_("Cases"))`) render in the reader's language when the page is drawn.
Python strings use `{name}` placeholders; template strings use jinja's `%(name)s`.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from markupsafe import Markup, escape

from bot.i18n import N_, translations

STAFF_LANGUAGES = ("ru", "kk")
DEFAULT_STAFF_LANGUAGE = "ru"
# The switcher shows each language in itself.
LANGUAGE_LABELS = {"ru": "Русский", "kk": "Қазақша"}

_language: ContextVar[str] = ContextVar("qamqor_admin_language", default=DEFAULT_STAFF_LANGUAGE)


def staff_language(lang: str | None) -> str:
    """One of the panel's languages; anything else (including English) opens in Russian."""
    return lang if lang in STAFF_LANGUAGES else DEFAULT_STAFF_LANGUAGE


def set_language(lang: str | None) -> None:
    _language.set(staff_language(lang))


def current_language() -> str:
    return _language.get()


def _(message: str, **values: object) -> str:
    """Translate into the current staff language; `{name}` placeholders are filled from `values`."""
    text = translations(current_language()).gettext(message)
    return text.format(**values) if values else text


class LazyText:
    """A label translated each time it is shown (view names, column labels, menu entries). Hashable, unlike
    Babel's LazyProxy, because sqladmin keys dictionaries by labels."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message

    def __str__(self) -> str:
        return _(self.message)

    def __html__(self) -> Markup:
        return escape(str(self))

    def __hash__(self) -> int:
        return hash(self.message)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyText):
            return self.message == other.message
        return str(self) == other

    def __add__(self, other: object) -> str:
        return str(self) + str(other)

    def __radd__(self, other: object) -> str:
        return str(other) + str(self)

    def __len__(self) -> int:
        return len(str(self))

    def __repr__(self) -> str:
        return f"LazyText({self.message!r})"


def lazy(message: str) -> Any:
    return LazyText(message)


# Jinja's newstyle gettext formats `%(name)s` itself, so these two take no values.
def template_gettext(message: str) -> str:
    return translations(current_language()).gettext(message)


def template_ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_language()).ngettext(singular, plural, n)


__all__ = [
    "DEFAULT_STAFF_LANGUAGE",
    "LANGUAGE_LABELS",
    "N_",
    "STAFF_LANGUAGES",
    "LazyText",
    "_",
    "current_language",
    "lazy",
    "set_language",
    "staff_language",
    "template_gettext",
    "template_ngettext",
]
