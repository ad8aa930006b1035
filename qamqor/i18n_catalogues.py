"""Keeping the gettext catalogues whole: extract every marked string and merge it into kk, ru and en.

`bot.i18n.gettext(lang, msgid)` takes the language first, so the extraction keywords say where the msgid is.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from bot.i18n import DOMAIN, LANGUAGES, LOCALES_DIR

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


def read_catalog(lang: str) -> Catalog:
    path = po_path(lang)
    if not path.exists():
        return Catalog(locale=lang, domain=DOMAIN)
    with path.open("rb") as po_file:
        return read_po(po_file, locale=lang)


def update() -> dict[str, int]:
    """Merge the extracted strings into every language; returns how many are untranslated per language."""
    template = extract()
    untranslated: dict[str, int] = {}
    for lang in LANGUAGES:
        catalog = read_catalog(lang)
        catalog.update(template, no_fuzzy_matching=True)
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
