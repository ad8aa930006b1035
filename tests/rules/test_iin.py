"""IIN (ЖСН) rules, rules-digest §7: length, century/sex digit, birth date, check digit; masking for logs."""

from __future__ import annotations

from datetime import date

import pytest

from core.rules.iin import Sex, mask_iin, parse_iin

# The century/sex digit, written out here independently of the module under test.
_CENTURY_DIGIT = {(1800, Sex.MALE): 1, (1800, Sex.FEMALE): 2, (1900, Sex.MALE): 3, (1900, Sex.FEMALE): 4}
_CENTURY_DIGIT |= {(2000, Sex.MALE): 5, (2000, Sex.FEMALE): 6}


def control_digit(first_eleven: str) -> int | None:
    """The §7 algorithm, spelled out for the tests: weights 1..11; on 10, weights 3..11,1,2; on 10 again, none."""
    digits = [int(c) for c in first_eleven]
    first = sum(d * w for d, w in zip(digits, range(1, 12), strict=True)) % 11
    if first != 10:
        return first
    second = sum(d * w for d, w in zip(digits, [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2], strict=True)) % 11
    return None if second == 10 else second


def make_iin(birth: date, sex: Sex, serial: str = "0012") -> str:
    """A valid IIN for this birth date and sex (the serial is chosen so the check digit exists)."""
    century = birth.year // 100 * 100
    first_eleven = f"{birth:%y%m%d}{_CENTURY_DIGIT[(century, sex)]}{serial}"
    check = control_digit(first_eleven)
    assert check is not None, "pick another serial: no check digit exists for this one"
    return f"{first_eleven}{check}"


def with_last_digit(iin: str, digit: int) -> str:
    return iin[:11] + str(digit)


# Hand-checked (so the helper above is not the only witness):
#   900101300126: 9*1 + 1*4 + 1*6 + 3*7 + 1*10 + 2*11 = 72; 72 mod 11 = 6.
#   900101300811: first weights give 9 + 4 + 6 + 21 + 80 + 11 = 131, mod 11 = 10; second weights
#                 9*3 + 1*6 + 1*8 + 3*9 + 8*1 + 1*2 = 78, mod 11 = 1.
#   90010130080x: first 9 + 4 + 6 + 21 + 80 = 120, mod 11 = 10; second 27 + 6 + 8 + 27 + 8 = 76, mod 11 = 10:
#                 no check digit exists, so no such IIN is issued.
@pytest.mark.parametrize(
    ("iin", "birth_date", "sex"),
    [
        pytest.param("900101300126", date(1990, 1, 1), Sex.MALE, id="hand_checked_1900s_male"),
        pytest.param("900101300811", date(1990, 1, 1), Sex.MALE, id="hand_checked_second_weights"),
        pytest.param(" 900101 300126 ", date(1990, 1, 1), Sex.MALE, id="spaces_typed_in_chat_are_ignored"),
        pytest.param(make_iin(date(1890, 5, 17), Sex.MALE), date(1890, 5, 17), Sex.MALE, id="digit1_1800s_male"),
        pytest.param(
            make_iin(date(1899, 12, 31), Sex.FEMALE), date(1899, 12, 31), Sex.FEMALE, id="digit2_1800s_female"
        ),
        pytest.param(make_iin(date(1955, 7, 3), Sex.MALE), date(1955, 7, 3), Sex.MALE, id="digit3_1900s_male"),
        pytest.param(make_iin(date(1961, 2, 28), Sex.FEMALE), date(1961, 2, 28), Sex.FEMALE, id="digit4_1900s_female"),
        pytest.param(make_iin(date(2000, 1, 1), Sex.MALE), date(2000, 1, 1), Sex.MALE, id="digit5_2000s_male"),
        pytest.param(make_iin(date(2004, 2, 29), Sex.FEMALE), date(2004, 2, 29), Sex.FEMALE, id="digit6_leap_day"),
    ],
)
def test_s7_valid_iin_gives_birth_date_and_sex(iin: str, birth_date: date, sex: Sex) -> None:
    info = parse_iin(iin)
    assert (info.valid, info.birth_date, info.sex, info.reasons) == (True, birth_date, sex, ())


VALID = "900101300126"


@pytest.mark.parametrize(
    ("text", "reasons"),
    [
        pytest.param("90010130012", ("not_12_digits",), id="eleven_digits"),
        pytest.param("9001013001266", ("not_12_digits",), id="thirteen_digits"),
        pytest.param("", ("not_12_digits",), id="empty"),
        pytest.param("90010130012A", ("not_12_digits",), id="letter"),
        pytest.param("٩٠٠١٠١٣٠٠١٢٦", ("not_12_digits",), id="non_ascii_digits"),
        pytest.param("900101-300126", ("not_12_digits",), id="hyphen"),
        pytest.param(with_last_digit(VALID, 7), ("bad_check_digit",), id="wrong_check_digit"),
        pytest.param(with_last_digit("900101300811", 0), ("bad_check_digit",), id="wrong_second_weights_digit"),
        pytest.param("900101300800", ("check_digit_unassignable",), id="both_weightings_give_10"),
    ],
)
def test_s7_invalid_iin_length_and_check_digit(text: str, reasons: tuple[str, ...]) -> None:
    info = parse_iin(text)
    assert (info.valid, info.reasons) == (False, reasons)


def _with_check(first_eleven: str) -> str:
    """Give a deliberately broken number a correct check digit, so only the rule under test fails."""
    check = control_digit(first_eleven)
    assert check is not None
    return f"{first_eleven}{check}"


@pytest.mark.parametrize(
    ("first_eleven", "reason"),
    [
        pytest.param("90010100012", "bad_century_digit", id="digit7_is_0"),
        pytest.param("90010170012", "bad_century_digit", id="digit7_is_7"),
        pytest.param("90010180012", "bad_century_digit", id="digit7_is_8"),
        pytest.param("90010190012", "bad_century_digit", id="digit7_is_9"),
        pytest.param("90130130012", "bad_date", id="month_13"),
        pytest.param("90000130012", "bad_date", id="month_00"),
        pytest.param("90010030012", "bad_date", id="day_00"),
        pytest.param("90043130012", "bad_date", id="31_april"),
        pytest.param("01022950012", "bad_date", id="29_feb_2001_not_leap"),
        pytest.param("00022930012", "bad_date", id="29_feb_1900_not_leap"),
    ],
)
def test_s7_invalid_century_or_date(first_eleven: str, reason: str) -> None:
    info = parse_iin(_with_check(first_eleven))
    assert (info.valid, info.birth_date, info.reasons) == (False, None, (reason,))


def test_s7_29_feb_2000_is_a_leap_day() -> None:
    assert parse_iin(_with_check("00022950012")).birth_date == date(2000, 2, 29)


def test_s7_bad_date_still_reports_sex_and_bad_check_digit() -> None:
    first_eleven = "90133140012"  # 31 December would be fine; month 13 is not
    wrong_check = ((control_digit(first_eleven) or 0) + 1) % 10
    broken = f"{first_eleven}{wrong_check}"
    info = parse_iin(broken)
    assert info.sex is Sex.FEMALE
    assert info.reasons == ("bad_date", "bad_check_digit")


@pytest.mark.parametrize(
    ("on", "reasons"),
    [
        pytest.param(date(2010, 5, 4), ("birth_date_after_on_date",), id="day_before_birth"),
        pytest.param(date(2010, 5, 5), (), id="on_birth_day"),
    ],
)
def test_s7_birth_after_the_date_asked_about(on: date, reasons: tuple[str, ...]) -> None:
    assert parse_iin(make_iin(date(2010, 5, 5), Sex.MALE), on=on).reasons == reasons


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        pytest.param("900101300126", "********0126", id="valid"),
        pytest.param("900101 300126", "********0126", id="typed_with_space"),
        pytest.param("900101300127", "********0127", id="invalid_but_12_digits"),
        pytest.param("87011234567", "***********", id="eleven_characters_fully_hidden"),
        pytest.param("", "", id="empty"),
    ],
)
def test_s7_mask_never_shows_the_iin_in_full(text: str, masked: str) -> None:
    assert mask_iin(text) == masked
