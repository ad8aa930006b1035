"""Provisions reworded by Order No. 163 of 30.04.2026, in force from 12.07.2026 (rules-digest §8).

The seed (seeds/004) carries 23 notes ("ЗҚАИ-ның ескертпесі! ... жаңа редакцияда көзделген ... № 163") saying a
passage gets new wording, without the new text. Each row below is one note: where it sits (appendix, paragraph,
which part), what the current text covers, and the seed line of the note. Staff screens and rule tables use
`is_flagged(legal_ref)` to mark a rule whose text is changing, so it can be re-checked and replaced by a new
data row with `effective_from=ORDER_163_IN_FORCE` once the new text is obtained.

Appendix 4 (temporary stay) has no flagged paragraph, only its application form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.rules.legal import LegalRef, ref

ORDER_163 = "Order No. 163 of 30.04.2026"
ORDER_163_IN_FORCE = date(2026, 7, 12)  # "12.07.2026 бастап қолданысқа енгізіледі"
WHOLE_PARAGRAPH = "whole paragraph"


@dataclass(frozen=True, slots=True)
class FlaggedProvision:
    appendix: int
    paragraph: str | None  # None when the flag is on a whole annex (a form) rather than a paragraph
    part: str  # which part the note names: "whole paragraph", "part 2, first paragraph", "sub-paragraph 3"
    summary: str  # what the current (seed) text covers, in English
    seed_line: int  # line of the note in seeds/004_d01cc3ed31ded880.txt
    subparagraph: str | None = None  # "3" when only sub-paragraph 3) is reworded
    annex: int | None = None  # 1 = the standard's 1-қосымша (application form)
    effective_from: date = ORDER_163_IN_FORCE
    order: str = ORDER_163

    @property
    def citation(self) -> str:
        """`App.1 p.8.3 (sub-paragraph 3)`, `App.1 p.5 (part 3)`, `App.1 annex 1 (application form)`."""
        if self.paragraph is None:
            return f"App.{self.appendix} annex {self.annex} ({self.part})"
        return f"App.{self.appendix} p.{self._paragraph_ref()} ({self.part})"

    @property
    def legal_ref(self) -> LegalRef | None:
        """The paragraph (or sub-paragraph) as a LegalRef; None for a whole annex."""
        return None if self.paragraph is None else ref(self.appendix, self._paragraph_ref())

    def _paragraph_ref(self) -> str:
        return f"{self.paragraph}.{self.subparagraph}" if self.subparagraph else str(self.paragraph)

    def covers(self, legal_ref: LegalRef) -> bool:
        """Does this flag touch the text `legal_ref` cites?

        A citation of a whole paragraph ("7") is touched by a flag on any part of it. A citation of a
        sub-paragraph ("8.3") is touched by a flag on the whole paragraph or on that sub-paragraph. The rule
        tables cite "p.X.Y" for sub-item Y of the paragraph's first part (p.5.1 = the application) and the later
        parts as the whole paragraph, and every part-level flag here is on a later part (App.1 p.5 part 2), so a
        sub-paragraph citation is not touched by a part-level flag. An annex is cited as "annex N".
        """
        if legal_ref.appendix != self.appendix:
            return False
        if self.paragraph is None:
            return legal_ref.paragraph.strip().lower() == f"annex {self.annex}"
        head, _, sub = legal_ref.paragraph.partition(".")
        if head != self.paragraph:
            return False
        if not sub:
            return True
        whole_paragraph = self.subparagraph is None and self.part == WHOLE_PARAGRAPH
        return whole_paragraph or sub.split(".")[0] == self.subparagraph

    def as_dict(self) -> dict[str, object]:
        return {
            "citation": self.citation,
            "appendix": self.appendix,
            "paragraph": self.paragraph,
            "subparagraph": self.subparagraph,
            "annex": self.annex,
            "part": self.part,
            "summary": self.summary,
            "seed_line": self.seed_line,
            "effective_from": self.effective_from.isoformat(),
            "order": self.order,
        }


_IIN_LOOKUPS = (
    "on accepting the application the department queries state information systems by IIN through the "
    "e-government gateway (lead-in to the list: identity document, disability, IPR measures, court incapacity "
    "decision, pension age, veteran status)"
)
_COURT_COPY = (
    "when the information systems lack the data, a copy of the court decision declaring a person over 18 "
    "legally incapable (if any) is attached to the application"
)
_E_SOBES_ENTRY = "with the documents complete, the department's specialist enters the application in E-Sobes"
_SMS = (
    "an additional SMS from E-Sobes to the phone registered on the e-government portal (mobile citizens "
    "database): sign in to the portal and choose an organisation"
)
_MISSING_DATA_DOCS = "the p.5 part 3 documents when the information systems lack the data"
_FORM = "application form"

FLAGGED_PROVISIONS: tuple[FlaggedProvision, ...] = (
    # App.1 stationary
    FlaggedProvision(1, "5", "part 2, first paragraph", _IIN_LOOKUPS, 80),
    FlaggedProvision(1, "5", "part 3", _COURT_COPY, 100),
    FlaggedProvision(1, "6", WHOLE_PARAGRAPH, _E_SOBES_ENTRY, 112),
    FlaggedProvision(1, "7", "part 2", _SMS, 122),
    FlaggedProvision(1, "8", "sub-paragraph 3", "recipient's card on the portal: " + _MISSING_DATA_DOCS, 156, "3"),
    FlaggedProvision(
        1,
        "20",
        WHOLE_PARAGRAPH,
        "residents recognised as disabled register in E-Sobes on application to the department, then are placed "
        "on the portal without a queue",
        240,
    ),
    FlaggedProvision(
        1,
        "23",
        WHOLE_PARAGRAPH,
        "discharge, expulsion, temporary leave or transfer by the head's order with a mark in E-Sobes; the "
        "discharge or transfer epicrisis and recommendations are handed over",
        266,
    ),
    FlaggedProvision(1, None, _FORM, "the application form (1-қосымша), whole form", 305, annex=1),
    # App.2 semi-stationary (its application form has no note)
    FlaggedProvision(2, "5", "part 2, first paragraph", _IIN_LOOKUPS, 2273),
    FlaggedProvision(2, "5", "part 3", _COURT_COPY, 2293),
    FlaggedProvision(2, "6", WHOLE_PARAGRAPH, _E_SOBES_ENTRY, 2303),
    FlaggedProvision(2, "7", "part 2", _SMS, 2313),
    FlaggedProvision(2, "8", "sub-paragraph 3", "documents sent to the organisation: " + _MISSING_DATA_DOCS, 2339, "3"),
    FlaggedProvision(
        2, "12", WHOLE_PARAGRAPH, "recipients recognised as disabled register in E-Sobes on application", 2373
    ),
    FlaggedProvision(
        2,
        "16",
        WHOLE_PARAGRAPH,
        "termination, suspension or transfer by the head's order with a mark in E-Sobes; the discharge epicrisis "
        "and recommendations are handed to the recipient or the legal representative",
        2405,
    ),
    # App.3 home care (chapter 2 has no p.7; p.5 part 3 is not flagged here)
    FlaggedProvision(3, "5", "part 2, first paragraph", _IIN_LOOKUPS + ", with registration at residence", 3358),
    FlaggedProvision(3, "6", WHOLE_PARAGRAPH, _E_SOBES_ENTRY, 3378),
    FlaggedProvision(3, "8", "part 5", _SMS, 3394),
    FlaggedProvision(
        3, "9", "sub-paragraph 4", "documents sent to the home-care organisation: " + _MISSING_DATA_DOCS, 3418, "4"
    ),
    FlaggedProvision(
        3, "13", WHOLE_PARAGRAPH, "recipients recognised as disabled register in E-Sobes on application", 3434
    ),
    FlaggedProvision(
        3, "18", WHOLE_PARAGRAPH, "termination or suspension by the head's decision with a mark in E-Sobes", 3488
    ),
    FlaggedProvision(3, None, _FORM, "the application form (1-қосымша), whole form", 3537, annex=1),
    # App.4 temporary stay: only the application form
    FlaggedProvision(4, None, _FORM, "the application form (1-қосымша), whole form", 4331, annex=1),
)


def flagged_provisions(on: date | None = None) -> tuple[FlaggedProvision, ...]:
    """Every flagged provision; with `on`, only those whose new wording is in force on that date.

    From `on` onwards the seed text of those provisions is no longer the law: rules citing them are outdated
    until the new text is encoded. Without `on`, staff also see what is about to change.
    """
    return tuple(flag for flag in FLAGGED_PROVISIONS if on is None or flag.effective_from <= on)


def flags_for(legal_ref: LegalRef) -> tuple[FlaggedProvision, ...]:
    """The flags touching the text `legal_ref` cites (which part of the paragraph changes, and from when)."""
    return tuple(flag for flag in FLAGGED_PROVISIONS if flag.covers(legal_ref))


def is_flagged(legal_ref: LegalRef) -> bool:
    """True when Order No. 163 rewords (part of) the text `legal_ref` cites; see `FlaggedProvision.covers`."""
    return any(flag.covers(legal_ref) for flag in FLAGGED_PROVISIONS)
