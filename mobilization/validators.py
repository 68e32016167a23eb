"""Validators for the codes Chinese records carry: resident ID numbers (GB 11643),
Unified Social Credit Codes (GB 32100), mobile numbers, region codes, and the password
rule of MLPS 2.0 level 3."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

__all__ = [
    "YEAR_RANGE",
    "CharacterClassesValidator",
    "credit_code_check_character",
    "id_number_birth_date",
    "id_number_check_digit",
    "id_number_sex",
    "normalize_id_number",
    "validate_credit_code",
    "validate_id_number",
    "validate_mobile_phone",
    "validate_region_code",
]

# A calendar year the office's records can mean: dates a year either side of it must still exist.
YEAR_RANGE = (1900, 2999)

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARACTERS = "10X98765432"
ID_PATTERN = re.compile(r"^\d{17}[\dX]$")

CREDIT_CODE_CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # I, O, S, V, Z are never used
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_CODE_PATTERN = re.compile(rf"^[{CREDIT_CODE_CHARACTERS}]{{18}}$")

MOBILE_PATTERN = re.compile(r"^1[3-9]\d{9}$")
REGION_CODE_PATTERN = re.compile(r"^\d{12}$")


def normalize_id_number(value):
    """Upper-case the check character and drop surrounding spaces (as typed or pasted)."""
    return (value or "").strip().upper()


def id_number_check_digit(first17):
    """The ISO 7064 MOD 11-2 check character for the first 17 digits of an ID number."""
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARACTERS[total % 11]


def id_number_birth_date(value):
    """The birth date an ID number encodes, or None when it is not a real date."""
    try:
        return datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def id_number_sex(value):
    """'M' or 'F' from the 17th digit (odd: male)."""
    return "M" if int(value[16]) % 2 else "F"


def validate_id_number(value):
    value = normalize_id_number(value)
    if not ID_PATTERN.match(value):
        raise ValidationError(_("An ID number has 18 characters: 17 digits and a digit or X."), code="format")
    birth = id_number_birth_date(value)
    if birth is None or birth.year < 1900 or birth > datetime.date.today():
        raise ValidationError(_("The birth date in this ID number is not a real date."), code="birth_date")
    if id_number_check_digit(value[:17]) != value[17]:
        raise ValidationError(
            _("The check digit of this ID number is wrong; please check the number."), code="checksum"
        )


def credit_code_check_character(first17):
    total = sum(CREDIT_CODE_CHARACTERS.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARACTERS[(31 - total % 31) % 31]


def validate_credit_code(value):
    value = (value or "").strip().upper()
    if not CREDIT_CODE_PATTERN.match(value):
        raise ValidationError(
            _("A Unified Social Credit Code has 18 characters: digits and capital letters except I, O, S, V and Z."),
            code="format",
        )
    if credit_code_check_character(value[:17]) != value[17]:
        raise ValidationError(
            _("The check character of this credit code is wrong; please check the code."), code="checksum"
        )


def validate_mobile_phone(value):
    if not MOBILE_PATTERN.match(value or ""):
        raise ValidationError(_("Enter an 11-digit mobile number starting with 1."), code="format")


def validate_region_code(value):
    if not REGION_CODE_PATTERN.match(value or ""):
        raise ValidationError(_("A region code has 12 digits."), code="format")


class CharacterClassesValidator:
    """A password mixes at least `min_classes` of: lower case, upper case, digits, symbols."""

    CLASSES = (r"[a-z]", r"[A-Z]", r"\d", r"[^a-zA-Z\d]")

    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        found = sum(1 for pattern in self.CLASSES if re.search(pattern, password))
        if found < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return ngettext(
            "Your password must mix at least %(n)d kind of character: lower case, upper case, digits, symbols.",
            "Your password must mix at least %(n)d kinds of character: lower case, upper case, digits, symbols.",
            self.min_classes,
        ) % {"n": self.min_classes}
