"""What a roster change may propose: the person fields it may set and the keys naming a qualification.
Shared by the validator, which reads them from rows, and the workflow, which applies them."""

__all__ = ["EDITABLE_FIELDS", "PERSON_FIELDS", "QUALIFICATION_FIELDS", "QUALIFICATION_KEYS"]

# Person fields a roster change may set (beyond name), with how a proposed value is read.
PERSON_FIELDS = (
    "name",
    "phone",
    "specialty",
    "physical_condition",
    "political_status",
    "veteran",
    "emergency_contact_name",
    "emergency_contact_phone",
)
EDITABLE_FIELDS = (*PERSON_FIELDS, "employer", "role")
# A row may also add or renew one qualification of its person: these keys of a row name it, and
# an item's `data` holds the kind's id and name plus the values that change (`before`: the old ones).
QUALIFICATION_FIELDS = ("qualification_number", "qualification_issued", "qualification_expires")
QUALIFICATION_KEYS = ("qualification_kind", "qualification_kind_name", *QUALIFICATION_FIELDS)
