"""Masking of national identity numbers (IIN) in free-form payloads such as the audit log.

rules-digest §7: an IIN is never logged in full. The audit log keeps a masked form so a reader can still tell two
people apart by the last digits without the stored row revealing a birth date, sex or the whole number.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from core.rules.iin import mask_iin as rules_mask_iin

# Twelve digits not touching another digit: an IIN written alone or inside a sentence ("ЖСН 900101300017").
_IIN_PATTERN = re.compile(r"(?<!\d)\d{12}(?!\d)")


def mask_iin(iin: str) -> str:
    """'900101300017' -> '********0017'. Anything that is not twelve digits is returned unchanged."""
    return rules_mask_iin(iin) if len(iin) == 12 and iin.isdigit() else iin


def mask_iins_in_text(text: str) -> str:
    # Law silent: any run of exactly twelve digits is treated as an IIN. A decision number that happens to have
    # twelve digits is masked too; hiding too much in an audit payload is the safe error.
    return _IIN_PATTERN.sub(lambda match: mask_iin(match.group(0)), text)


def mask_iins(payload: Any) -> Any:
    """A copy of a JSON-like payload with every IIN masked: in strings, in 12-digit integers and in dict keys."""
    if isinstance(payload, str):
        return mask_iins_in_text(payload)
    if isinstance(payload, bool):
        return payload
    if isinstance(payload, int):
        return mask_iin(str(payload)) if 10**11 <= payload < 10**12 else payload
    if isinstance(payload, Mapping):
        return {mask_iins_in_text(str(key)): mask_iins(value) for key, value in payload.items()}
    if isinstance(payload, list | tuple):
        return [mask_iins(item) for item in payload]
    return payload
