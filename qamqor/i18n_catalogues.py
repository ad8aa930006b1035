"""Keeping the gettext catalogues whole: extract every marked string and merge it into kk, ru and en.

A language's catalogue is `messages.po` plus the area parts beside it (bot.i18n.catalogue_parts). `update()` adds new
strings to `messages.po` unless another part already holds them; parts are edited by hand.

`bot.i18n.gettext(lang, msgid)` takes the language first, so the extraction keywords say where the msgid is.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from bot.i18n import DOMAIN, LANGUAGES, LOCALES_DIR, catalogue_parts

ROOT = LOCALES_DIR.parent
SOURCE_DIRS = ("bot", "admin", "core", "qamqor")
KEYWORDS = {"N_": None, "_": None, "gettext": (2,), "ngettext": (2, 3)}
METHOD_MAP = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
# Templates call `_()` bound to the person's language.
OPTIONS_MAP = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}


def extract() -> Catalog:
    template = Catalog(project="qamqor", domain=DOMAIN)
    for folder in SOURCE_DIRS:
        found = extract_from_dir(ROOT / folder, METHOD_MAP, OPTIONS_MAP, keywords=KEYWORDS, strip_comment_tags=True)
        for filename, lineno, message, comments, context in found:
            template.add(message, locations=[(f"{folder}/{filename}", lineno)], auto_comments=comments, context=context)
    return template


def po_path(lang: str) -> Path:
    return LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def _read(path: Path, lang: str) -> Catalog:
    if not path.exists():
        return Catalog(locale=lang, domain=DOMAIN)
    with path.open("rb") as po_file:
        return read_po(po_file, locale=lang)


def read_parts(lang: str) -> dict[Path, Catalog]:
    return {path: _read(path, lang) for path in catalogue_parts(lang)}


def read_catalog(lang: str) -> Catalog:
    """Every part of one language in one catalogue (messages.po wins a tie, as at run time)."""
    merged = Catalog(locale=lang, domain=DOMAIN)
    for catalog in reversed(list(read_parts(lang).values())):
        for message in catalog:
            if message.id:
                merged[message.id] = message
    return merged


def _held_elsewhere(lang: str) -> set[object]:
    main = po_path(lang)
    return {message.id for path, catalog in read_parts(lang).items() if path != main for message in catalog}


def update() -> dict[str, int]:
    """Merge the extracted strings into every language; returns how many are untranslated per language."""
    template = extract()
    untranslated: dict[str, int] = {}
    for lang in LANGUAGES:
        catalog = _read(po_path(lang), lang)
        own = Catalog(project="qamqor", domain=DOMAIN)
        elsewhere = _held_elsewhere(lang)
        for message in template:
            if message.id and message.id not in elsewhere:
                own.add(message.id, locations=message.locations, auto_comments=message.auto_comments)
        catalog.update(own, no_fuzzy_matching=True)
        path = po_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as po_file:
            write_po(po_file, catalog, width=0, omit_header=False, ignore_obsolete=True, sort_output=True)
        untranslated[lang] = len(missing(lang, template))
    return untranslated


def missing(lang: str, template: Catalog | None = None) -> list[str]:
    """Message ids used in the code that have no translation (or a fuzzy one) in `lang`."""
    template = template or extract()
    catalog = read_catalog(lang)
    gaps = []
    for message in template:
        if not message.id:
            continue
        entry = catalog.get(message.id, context=message.context)
        translated = (
            entry is not None
            and not entry.fuzzy
            and (all(entry.string) if isinstance(entry.string, tuple) else bool(entry.string))
        )
        if not translated:
            gaps.append(message.id if isinstance(message.id, str) else message.id[0])
    return gaps
