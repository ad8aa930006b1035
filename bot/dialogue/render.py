"""Small pieces of what the person reads: progress lines, dates, citations of the law, names from the database."""

from __future__ import annotations

from datetime import date

from bot.i18n import N_, gettext
from core.rules.legal import LegalRef

PROGRESS = N_("Step {n} of {total}")
CITATION = N_("App.{appendix} p.{paragraph}")
MEGABYTES = N_("{number} MB")


def progress_line(lang: str, n: int, total: int) -> str:
    return gettext(lang, PROGRESS, n=n, total=total)


def with_progress(lang: str, n: int, total: int, body: str) -> str:
    return f"{progress_line(lang, n, total)}\n{body}"


def day(value: date | str | None) -> str:
    """Dates as people in Kazakhstan write them: 07.12.2026."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return f"{value:%d.%m.%Y}"


def cite(lang: str, legal_ref: LegalRef | str) -> str:
    """`App.1 p.7` in the person's language (the standard's appendix and paragraph)."""
    if isinstance(legal_ref, str):  # "App.1 p.7" as the services report it in error details
        head, _, paragraph = legal_ref.partition(" p.")
        appendix = head.removeprefix("App.")
        return gettext(lang, CITATION, appendix=appendix, paragraph=paragraph) if paragraph else legal_ref
    return gettext(lang, CITATION, appendix=legal_ref.appendix, paragraph=legal_ref.paragraph)


def megabytes(lang: str, size: int) -> str:
    number = size / (1024 * 1024)
    shown = f"{number:.0f}" if number >= 1 and number == int(number) else f"{number:.1f}"
    return gettext(lang, MEGABYTES, number=shown)


def name_in(lang: str, row: object) -> str:
    """The name of a region, district, department or organisation in the person's language."""
    for suffix in (lang, "en", "ru", "kk"):
        value = getattr(row, f"name_{suffix}", None)
        if value:
            return str(value)
    return ""


def bullets(lines: list[str]) -> str:
    return "\n".join(f"• {line}" for line in lines)


def capitalised(text: str) -> str:
    """Button labels start with a capital letter; the rest is kept as written (names, abbreviations)."""
    return text[:1].upper() + text[1:]
