"""Table-driven tests of the codes Chinese records carry."""

import pytest
from django.core.exceptions import ValidationError

from mobilization.validators import (
    CharacterClassesValidator,
    credit_code_check_character,
    id_number_birth_date,
    id_number_check_digit,
    id_number_sex,
    validate_credit_code,
    validate_id_number,
    validate_mobile_phone,
)

# Published examples and their one-character corruptions.
VALID_ID_NUMBERS = ["11010519491231002X", "440524198001010013", "370303199001010017", "11010519491231002x"]
INVALID_ID_NUMBERS = [
    ("110105194912310021", "checksum"),  # last character wrong
    ("11010519491231002", "format"),  # 17 characters
    ("1101051949123100200", "format"),  # 19 characters
    ("11010519491331002X", "birth_date"),  # month 13
    ("110105194902300020", "birth_date"),  # 30 February
    ("A1010519491231002X", "format"),
    ("", "format"),
]
VALID_CREDIT_CODES = ["91350100M000100Y43", "91110000100000589A", "113703000043300105"]
INVALID_CREDIT_CODES = [
    ("91350100M000100Y44", "checksum"),
    ("91350100M000100Y4", "format"),
    ("91350100M0001O0Y43", "format"),  # letter O is never used
    ("91350100M000100YI3", "format"),  # letter I is never used
]


@pytest.mark.parametrize("value", VALID_ID_NUMBERS)
def test_valid_id_numbers_pass(value):
    assert validate_id_number(value) is None  # no ValidationError
    assert id_number_check_digit(value[:17]) == value[17].upper()


@pytest.mark.parametrize(("value", "code"), INVALID_ID_NUMBERS)
def test_invalid_id_numbers_are_refused_with_reason(value, code):
    with pytest.raises(ValidationError) as info:
        validate_id_number(value)
    assert info.value.code == code


@pytest.mark.parametrize(
    ("value", "birth", "sex"),
    [("11010519491231002X", "1949-12-31", "F"), ("440524198001010013", "1980-01-01", "M")],
)
def test_birth_date_and_sex_come_from_the_number(value, birth, sex):
    assert id_number_birth_date(value).isoformat() == birth
    assert id_number_sex(value) == sex


@pytest.mark.parametrize("value", VALID_CREDIT_CODES)
def test_valid_credit_codes_pass(value):
    assert validate_credit_code(value) is None  # no ValidationError
    assert credit_code_check_character(value[:17]) == value[17]


@pytest.mark.parametrize(("value", "code"), INVALID_CREDIT_CODES)
def test_invalid_credit_codes_are_refused_with_reason(value, code):
    with pytest.raises(ValidationError) as info:
        validate_credit_code(value)
    assert info.value.code == code


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("13800138000", True),
        ("19912345678", True),
        ("12800138000", False),
        ("1380013800", False),
        ("138001380001", False),
    ],
)
def test_mobile_phone(value, ok):
    if ok:
        validate_mobile_phone(value)
    else:
        with pytest.raises(ValidationError):
            validate_mobile_phone(value)


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("abcdefgh", False),  # one class
        ("abcd1234", False),  # two classes
        ("abcd123!", True),  # lower, digit, symbol
        ("Abcd1234", True),  # lower, upper, digit
        ("ABCD!@#$", False),  # two classes
    ],
)
def test_password_mixes_three_character_classes(password, ok):
    validator = CharacterClassesValidator(min_classes=3)
    if ok:
        validator.validate(password)
    else:
        with pytest.raises(ValidationError):
            validator.validate(password)
