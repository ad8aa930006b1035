"""Every string a person can read has a translation in Kazakh, Russian and English, with the same placeholders."""

from __future__ import annotations

import string

import pytest

from bot.i18n import LANGUAGES
from qamqor import i18n_catalogues


@pytest.fixture(scope="module")
def template():
    return i18n_catalogues.extract()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_is_translated(lang, template):
    gaps = i18n_catalogues.missing(lang, template)
    assert gaps == [], f"{len(gaps)} messages have no {lang} translation, e.g. {gaps[:5]}"


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_the_placeholders(lang, template):
    catalog = i18n_catalogues.read_catalog(lang)
    wrong = []
    for message in template:
        if not message.id:
            continue
        entry = catalog.get(message.id, context=message.context)
        if entry is None:
            continue
        source = message.id if isinstance(message.id, tuple) else (message.id,)
        expected = set().union(*(placeholders(text) for text in source))
        forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        wrong += [(source[0], form) for form in forms if form and placeholders(form) != expected]
    assert wrong == [], f"placeholders differ in {lang}: {wrong[:3]}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_message_lives_in_one_catalogue_part(lang):
    seen: dict[object, str] = {}
    twice = []
    for path, catalog in i18n_catalogues.read_parts(lang).items():
        for message in catalog:
            if message.id in seen:
                twice.append((message.id, seen[message.id], path.name))
            elif message.id:
                seen[message.id] = path.name
    assert twice == [], f"messages in two {lang} parts: {twice[:3]}"
