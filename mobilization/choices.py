from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleChoices(models.TextChoices):
    """The roles of DESIGN.md; each is also a Django group of the same name."""

    OFFICE_STAFF = "office_staff", _("Office staff")
    UNIT_LIAISON = "unit_liaison", _("Member unit liaison")
    INSPECTOR = "inspector", _("Grid inspector")
    STATION_DIRECTOR = "station_director", _("Workstation director")
    MILITARY_LIAISON = "military_liaison", _("Military liaison")
    AUDITOR = "auditor", _("Auditor")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")


class RegionLevelChoices(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("District/county")
    TOWNSHIP = "township", _("Township/street")
    VILLAGE = "village", _("Village/community")


class UnitKindChoices(models.TextChoices):
    GOVERNMENT = "government", _("Government department")
    ENTERPRISE = "enterprise", _("Enterprise")
    INSTITUTION = "institution", _("Public institution")
    SOCIAL = "social", _("Social organisation")


class SectorChoices(models.TextChoices):
    PUBLIC_SECURITY = "public_security", _("Public security")
    HEALTH = "health", _("Health")
    HOUSING = "housing", _("Housing and urban-rural construction")
    TRANSPORTATION = "transportation", _("Transportation")
    CYBERSPACE = "cyberspace", _("Cyberspace security")
    EMERGENCY = "emergency", _("Emergency management")
    METEOROLOGY = "meteorology", _("Meteorology")
    COMMUNICATIONS = "communications", _("Communications")
    ENERGY = "energy", _("Energy and utilities")
    ECOLOGY = "ecology", _("Ecology and environment")
    INDUSTRY = "industry", _("Industry and information technology")
    OTHER = "other", _("Other")


class OfficeLevelChoices(models.TextChoices):
    CITY = "city", _("City office")
    COUNTY = "county", _("District/county office")


class AuditActionChoices(models.TextChoices):
    LOGIN = "login", _("Login succeeded")
    LOGIN_FAILED = "login_failed", _("Login failed")
    LOGOUT = "logout", _("Logout")
    REVEAL = "reveal", _("Personal data revealed")
    EXPORT = "export", _("Data exported")
    BULK_CHANGE = "bulk_change", _("Bulk change")
    AVAILABILITY = "availability", _("Availability changed")
    CALLOUT = "callout", _("People called out")
    CALLOUT_ANSWER = "callout_answer", _("Call-out answered")
    SUPERUSER_CREATED = "superuser_created", _("Superuser created")
    SUPERUSER_LOGIN = "superuser_login", _("Superuser login")
    OTP_ENROLLED = "otp_enrolled", _("Two-factor authentication enrolled")
    OTP_RECOVERY_USED = "otp_recovery_used", _("Recovery code used")
    OTP_RESET = "otp_reset", _("Two-factor authentication reset")
    TOKEN_ISSUED = "token_issued", _("API token issued")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    LOCKOUT = "lockout", _("Login locked out")
    UNLOCK = "unlock", _("Lockout released")
    # Record changes, written by the audit capture for every model with history and for
    # accounts, groups and beat schedules (mobilization/audit/capture.py).
    CREATE = "create", _("Record created")
    UPDATE = "update", _("Record changed")
    DELETE = "delete", _("Record deleted")
    ROLE_CHANGE = "role_change", _("Role or permissions changed")
    # Workflow steps that are more than a plain save, written by the services.
    APPROVE = "approve", _("Approved")
    REJECT = "reject", _("Rejected or returned")
    VERIFY = "verify", _("Verified")
    ORDER = "order", _("Order issued")
    CALL_OUT = "call_out", _("Team call-out")
    IMPORT = "import", _("Data imported")
    ARCHIVE = "archive", _("Audit events archived")
    BACKUP = "backup", _("Backup made")
    RESTORE = "restore", _("Backup restored")


class AuditOutcomeChoices(models.TextChoices):
    SUCCESS = "success", _("Succeeded")
    FAILURE = "failure", _("Failed")
    REFUSED = "refused", _("Refused")


# The role an audit event names for a superuser, who holds no role of RoleChoices.
SUPERUSER_ROLE = "superuser"


class NotificationChannelChoices(models.TextChoices):
    IN_APP = "in_app", _("In-app")
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


class NotificationKindChoices(models.TextChoices):
    """What a notification is about: shown to its reader, and a filter in the admin."""

    ACTIVATION = "activation", _("Team call-out")
    CALLOUT = "callout", _("Personal call-out")
    CALLOUT_ESCALATION = "callout_escalation", _("Call-out not answered")
    ALARM_TEST_DRILL = "alarm_test_drill", _("Air-raid alarm test")
    INSPECTION_REPORT = "inspection_report", _("Inspection report")
    INSPECTION_DUE = "inspection_due", _("Inspection due")
    INSPECTION_OVERDUE = "inspection_overdue", _("Inspection overdue")
    FOLLOW_UP_DUE = "follow_up_due", _("Evaluation follow-up due")
    FOLLOW_UP_OVERDUE = "follow_up_overdue", _("Evaluation follow-up overdue")
    QUALIFICATION_EXPIRY = "qualification_expiry", _("Qualification expiring")
    RECTIFICATION = "rectification", _("Rectification order")
    RECTIFICATION_OVERDUE = "rectification_overdue", _("Rectification overdue")
    ROSTER_CHANGE = "roster_change", _("Roster change request")
    STATISTICS_REPORT_SUBMITTED = "statistics_report_submitted", _("Statistics report submitted")
    STATISTICS_REPORT_APPROVED = "statistics_report_approved", _("Statistics report approved")
    STATISTICS_REPORT_RETURNED = "statistics_report_returned", _("Statistics report returned")
    STATISTICS_REPORT_REMINDER = "statistics_report_reminder", _("Statistics report waiting")
    STATISTICS_SNAPSHOT = "statistics_snapshot", _("Statistics snapshot")
    MILITARY_REQUEST = "military_request", _("Military request")
    MILITARY_REQUEST_OVERDUE = "military_request_overdue", _("Military request stage overdue")
    JOINT_TASK = "joint_task", _("Joint-office task")


class SMSStatusChoices(models.TextChoices):
    """Where one text message is on its way: queued (waiting or to be retried), handed to the
    gateway, confirmed on the handset by a delivery receipt, or given up on."""

    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class AvailabilityChoices(models.TextChoices):
    AVAILABLE = "available", _("Available")
    UNAVAILABLE = "unavailable", _("Unavailable")
