from .accounts import ApiToken, PasswordRecord
from .audit import AuditArchive, AuditChainHead, AuditEvent
from .base import BaseModel, ScopedModel
from .idempotency import IdempotencyKey
from .notifications import Notification
from .organisations import ContactPoint, MemberUnit, MemberUnitContact, Office, Workstation
from .regions import Region
from .sms import SMSMessage
from .users import UserProfile

__all__ = [
    "ApiToken",
    "PasswordRecord",
    "AuditArchive",
    "AuditChainHead",
    "AuditEvent",
    "BaseModel",
    "ContactPoint",
    "IdempotencyKey",
    "MemberUnit",
    "MemberUnitContact",
    "Notification",
    "Office",
    "Region",
    "SMSMessage",
    "ScopedModel",
    "UserProfile",
    "Workstation",
]
