"""Legal provenance carried by every rule: where it is written and since when it applies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# Order No. 263 of 29.06.2023 "comes into force from 01.07.2023" (its p.5).
ORDER_263_IN_FORCE = date(2023, 7, 1)
# Order No. 72 of 06.03.2025 rewrote App.1 p.12 and added p.12-1, 24-1, 24-2 among others; it entered into force
# ten calendar days after publication. The seed does not give the publication date, so we use the registration
# date plus ten days as a careful approximation and say so here.
ORDER_72_IN_FORCE = date(2025, 3, 17)


@dataclass(frozen=True, slots=True)
class LegalRef:
    """A citation `App.N p.X` (appendix N of Order No. 263 = standard N, paragraph X)."""

    appendix: int
    paragraph: str
    effective_from: date = ORDER_263_IN_FORCE

    def __str__(self) -> str:
        return f"App.{self.appendix} p.{self.paragraph}"


def ref(appendix: int, paragraph: str, effective_from: date = ORDER_263_IN_FORCE) -> LegalRef:
    """Short constructor used by the rule tables."""
    return LegalRef(appendix, paragraph, effective_from)
