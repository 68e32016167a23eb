"""How personal data is shown: the rules live in mobilization.masking (every app shows phones)."""

from mobilization.masking import PHONE_ROLES, mask_id_number, mask_phone, phone_for, sees_phone

__all__ = ["PHONE_ROLES", "mask_id_number", "mask_phone", "phone_for", "sees_phone"]
