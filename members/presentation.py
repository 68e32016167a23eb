"""Change requests as people read them: each item as a list of (field, before, after) in words."""

from django.core.paginator import Paginator
from django.utils.translation import gettext as _

from .choices import MembershipRoleChoices, PhysicalConditionChoices, PoliticalStatusChoices, SexChoices
from .masking import phone_for
from .models import Person, Qualification

__all__ = ["DIFF_PAGE_SIZE", "diff_page", "item_diff"]

CHOICES = {
    "role": MembershipRoleChoices,
    "physical_condition": PhysicalConditionChoices,
    "political_status": PoliticalStatusChoices,
    "sex": SexChoices,
}
HIDDEN = {"employer", "qualification_kind"}  # shown through employer_name, qualification_kind_name
PHONES = {"phone", "emergency_contact_phone"}
# A change may hold tens of thousands of items: its admin and portal pages show them a page at a time.
DIFF_PAGE_SIZE = 100


def _label(key):
    if key == "employer_name":
        key = "employer"
    if key in ("role", "joined", "left", "team"):
        return {"role": _("role"), "joined": _("joined"), "left": _("left"), "team": _("team")}[key]
    if key == "qualification_kind_name":
        return str(Qualification._meta.verbose_name)
    if key.startswith("qualification_"):
        return str(Qualification._meta.get_field(key.removeprefix("qualification_")).verbose_name)
    try:
        return str(Person._meta.get_field(key).verbose_name)
    except Exception:  # a key that is no field of the person
        return key


def _value(key, value, user):
    if value is None or value == "":
        return ""
    if key in CHOICES:
        try:
            return str(CHOICES[key](value).label)
        except ValueError:
            return str(value)
    if key == "veteran":
        return _("Yes") if value else _("No")
    if key in PHONES:
        return phone_for(user, value)
    return str(value)


def item_diff(item, user=None):
    """{row, action, person, id_number, team, changes: [{field, label, before, after}]}"""
    keys = [k for k in (*item.before, *item.data) if k not in HIDDEN]
    seen, changes = set(), []
    for key in keys:
        if key in seen:
            continue
        seen.add(key)
        changes.append(
            {
                "field": key,
                "label": _label(key),
                "before": _value(key, item.before.get(key), user),
                "after": _value(key, item.data.get(key), user),
            }
        )
    return {
        "row": item.row,
        "action": item.action,
        "action_display": str(item.get_action_display()),
        "person": item.data.get("name") or (item.person.name if item.person_id else ""),
        "id_number": item.id_number_masked,
        "team": item.team.name if item.team_id else "",
        "changes": changes,
    }


def diff_page(change, user, number):
    """One page (`?diff_page=N`) of a change's items as diffs: (page, diffs)."""
    items = change.items.select_related("team", "person").order_by("row", "pk")
    page = Paginator(items, DIFF_PAGE_SIZE).get_page(number)
    return page, [item_diff(item, user) for item in page]
