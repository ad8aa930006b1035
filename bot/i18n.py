"""gettext for everything a person reads, in Kazakh, Russian and English.

Catalogues are the `.po` files under `locales/<lang>/LC_MESSAGES/`: `messages.po` for the dialogue, and one part per
area beside it (`reminders.po`, `whatsapp.po`, `admin.po`), merged into one catalogue. They are compiled in memory on
first use (Babel), so an edited `.po` never goes stale behind a forgotten `.mo`. Mark strings with `N_()` where they are
defined and translate them with `gettext(lang, msgid)` where the person's language is known.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LANGUAGES = ("kk", "ru", "en")
DEFAULT_LANGUAGE = "kk"
LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet (translated later in the person's language)."""
    return message


def catalogue_parts(lang: str) -> list[Path]:
    """The `.po` files of one language, `messages.po` first (a msgid in two parts takes the first translation)."""
    folder = LOCALES_DIR / lang / "LC_MESSAGES"
    main = folder / f"{DOMAIN}.po"
    others = sorted(path for path in folder.glob("*.po") if path != main)
    return ([main] if main.exists() else []) + others


def _compile(po_path: Path, lang: str) -> Translations:
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


@cache
def translations(lang: str) -> NullTranslations:
    parts = catalogue_parts(lang) if lang in LANGUAGES else []
    if not parts:
        return NullTranslations()
    # merge() lets the merged-in catalogue win; a test keeps every msgid in one part, so the order is only a tiebreak.
    merged = _compile(parts[-1], lang)
    for part in reversed(parts[:-1]):
        merged.merge(_compile(part, lang))
    return merged


def normalise_language(lang: str | None) -> str:
    """Map a platform language code ("ru-RU", "kk", "en_US") to one we speak, Kazakh by default."""
    code = (lang or "").replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def gettext(lang: str, message: str, **values: object) -> str:
    text = translations(lang).gettext(message)
    return text.format(**values) if values else text


def ngettext(lang: str, singular: str, plural: str, n: int, **values: object) -> str:
    text = translations(lang).ngettext(singular, plural, n)
    return text.format(n=n, **values)
