"""The national identity number (IIN, ЖСН): validation, birth date and sex, and masking for logs.

rules-digest §7: 12 digits; YYMMDD of birth; the 7th digit gives century and sex (1/2: 1800s male/female,
3/4: 1900s, 5/6: 2000s); digits 8-11 a serial; the 12th a check digit (weights 1..11 mod 11; if that is 10,
weights 3..11,1,2 mod 11; if 10 again the number is invalid). The IIN is personal data: never log it in full,
log `mask_iin(iin)` instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

IIN_LENGTH = 12
FIRST_WEIGHTS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
_UNASSIGNABLE = 10  # a remainder of 10 is not a digit: retry with the second weights, then give up

# Reason codes (stable strings, shown by the chat and the CLI).
NOT_12_DIGITS = "not_12_digits"
BAD_CENTURY_DIGIT = "bad_century_digit"
BAD_DATE = "bad_date"
BIRTH_DATE_AFTER_ON_DATE = "birth_date_after_on_date"
BAD_CHECK_DIGIT = "bad_check_digit"
CHECK_DIGIT_UNASSIGNABLE = "check_digit_unassignable"  # both weightings give 10: no such IIN is ever issued

_ASCII_DIGITS = frozenset("0123456789")


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


# 7th digit -> (first year of the century, sex). 0 and 7-9 are not assigned (rules-digest §7).
_CENTURY_AND_SEX: dict[str, tuple[int, Sex]] = {
    "1": (1800, Sex.MALE),
    "2": (1800, Sex.FEMALE),
    "3": (1900, Sex.MALE),
    "4": (1900, Sex.FEMALE),
    "5": (2000, Sex.MALE),
    "6": (2000, Sex.FEMALE),
}


@dataclass(frozen=True, slots=True)
class IinInfo:
    """What an IIN tells: `valid` only when `reasons` is empty; birth date and sex when they can be read."""

    valid: bool
    birth_date: date | None
    sex: Sex | None
    reasons: tuple[str, ...]


def normalise_iin(text: str) -> str:
    """Drop surrounding whitespace and the spaces people type between digit groups in a chat."""
    return "".join(text.split())


def check_digit(first_eleven: str) -> int | None:
    """The control digit for the first 11 digits, or None when both weightings leave 10."""
    digits = [int(char) for char in first_eleven]
    for weights in (FIRST_WEIGHTS, SECOND_WEIGHTS):
        remainder = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if remainder != _UNASSIGNABLE:
            return remainder
    return None


def parse_iin(text: str, on: date | None = None) -> IinInfo:
    """Validate an IIN and read birth date and sex from it; `on` (optional) rejects births after that date.

    Every failed rule adds its reason, so the chat can say exactly what is wrong.
    """
    iin = normalise_iin(text)
    if len(iin) != IIN_LENGTH or not set(iin) <= _ASCII_DIGITS:
        return IinInfo(valid=False, birth_date=None, sex=None, reasons=(NOT_12_DIGITS,))
    reasons: list[str] = []
    birth_date, sex = _birth_date_and_sex(iin, reasons)
    if birth_date is not None and on is not None and birth_date > on:
        reasons.append(BIRTH_DATE_AFTER_ON_DATE)
    expected = check_digit(iin[:11])
    if expected is None:
        reasons.append(CHECK_DIGIT_UNASSIGNABLE)
    elif expected != int(iin[11]):
        reasons.append(BAD_CHECK_DIGIT)
    return IinInfo(valid=not reasons, birth_date=birth_date, sex=sex, reasons=tuple(reasons))


def _birth_date_and_sex(iin: str, reasons: list[str]) -> tuple[date | None, Sex | None]:
    century_and_sex = _CENTURY_AND_SEX.get(iin[6])
    if century_and_sex is None:
        reasons.append(BAD_CENTURY_DIGIT)
        return None, None
    century, sex = century_and_sex
    try:
        birth_date = date(century + int(iin[0:2]), int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        reasons.append(BAD_DATE)
        return None, sex
    return birth_date, sex


def mask_iin(text: str) -> str:
    """The IIN as it may appear in logs and the audit log: only the last 4 digits, e.g. "********0126".

    The first six digits are the birth date and the seventh the sex, so none of them is shown. Anything that is
    not 12 characters long is masked completely: it may be a phone number or a typo.
    """
    iin = normalise_iin(text)
    if len(iin) != IIN_LENGTH:
        return "*" * len(iin)
    return "*" * (IIN_LENGTH - 4) + iin[-4:]
