from .audit import AuditEvent
from .base import BaseModel, ScopedModel
from .notifications import Notification
from .organisations import ContactPoint, MemberUnit, MemberUnitContact, Office, Workstation
from .regions import Region
from .sms import SMSMessage
from .users import UserProfile

__all__ = [
    "AuditEvent",
    "BaseModel",
    "ContactPoint",
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
