from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mobilization.models import MemberUnit
from teams.models import Team

from . import rosterfile
from .choices import (
    MembershipRoleChoices,
    PhysicalConditionChoices,
    PoliticalStatusChoices,
    RosterChangeActionChoices,
    UnavailabilityReasonChoices,
)
from .models import QualificationKind

__all__ = ["AvailabilityForm", "QualificationKindExtendForm", "RosterItemForm", "RosterUploadForm"]


class QualificationKindExtendForm(forms.Form):
    new_expiry = forms.DateField(label=_("new expiry"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    months = forms.IntegerField(label=_("or extend by months"), required=False, min_value=1, max_value=120)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if (data.get("new_expiry") is None) == (data.get("months") is None):
            raise ValidationError(_("Give either a new expiry date or a number of months."))
        return data


class RosterUploadForm(forms.Form):
    file = forms.FileField(label=_("Roster file (.xlsx or .csv)"))
    unit = forms.ModelChoiceField(label=_("member unit"), queryset=MemberUnit.objects.none(), required=False)

    def __init__(self, *args, user=None, with_unit=False, **kwargs):
        super().__init__(*args, **kwargs)
        if with_unit:
            self.fields["unit"].queryset = MemberUnit.objects.visible_to(user)
            self.fields["unit"].required = True
        else:
            del self.fields["unit"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > rosterfile.MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 10 MB."))
        return upload


class RosterItemForm(forms.Form):
    """One proposed change, as a liaison enters it on a phone. A new person is named by the full
    ID number; a person already on the roster (`person`, from the roster page) by their id, since
    liaisons only ever see ID numbers masked."""

    action = forms.ChoiceField(label=_("action"), choices=RosterChangeActionChoices.choices)
    person = forms.IntegerField(label=_("person"), widget=forms.HiddenInput, required=False, disabled=True)
    id_number = forms.CharField(label=_("ID number"), max_length=18)
    team = forms.ModelChoiceField(label=_("team"), queryset=Team.objects.none(), required=False)
    name = forms.CharField(label=_("name"), max_length=50, required=False)
    phone = forms.CharField(label=_("mobile phone"), max_length=11, required=False)
    employer = forms.ModelChoiceField(label=_("employer"), queryset=MemberUnit.objects.none(), required=False)
    role = forms.ChoiceField(label=_("role"), choices=[("", "—"), *MembershipRoleChoices.choices], required=False)
    joined = forms.DateField(label=_("joined"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    left = forms.DateField(label=_("left"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    specialty = forms.CharField(label=_("specialty"), max_length=100, required=False)
    physical_condition = forms.ChoiceField(
        label=_("physical condition"), choices=[("", "—"), *PhysicalConditionChoices.choices], required=False
    )
    political_status = forms.ChoiceField(
        label=_("political status"), choices=[("", "—"), *PoliticalStatusChoices.choices], required=False
    )
    veteran = forms.ChoiceField(
        label=_("veteran"), choices=[("", "—"), ("true", _("Yes")), ("false", _("No"))], required=False
    )
    emergency_contact_name = forms.CharField(label=_("emergency contact"), max_length=50, required=False)
    emergency_contact_phone = forms.CharField(label=_("emergency contact phone"), max_length=11, required=False)
    # A qualification added or renewed (the person's current one of the kind is updated, if any).
    qualification_kind = forms.ModelChoiceField(
        label=_("qualification kind"), queryset=QualificationKind.objects.order_by("name"), required=False
    )
    qualification_number = forms.CharField(label=_("certificate number"), max_length=64, required=False)
    qualification_issued = forms.DateField(
        label=_("issued"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    qualification_expires = forms.DateField(
        label=_("expires"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user=None, person=None, **kwargs):
        """`person`: one the caller has found in the user's scope; the form then edits or removes them."""
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.visible_to(user).order_by("name")
        self.fields["employer"].queryset = MemberUnit.objects.visible_to(user).order_by("name")
        if person is None:
            del self.fields["person"]
        else:
            # Disabled: the id comes from the page's address, whatever a posted form says.
            self.fields["person"].initial = person.pk
            del self.fields["id_number"]
            self.fields["action"].choices = [
                (value, label)
                for value, label in RosterChangeActionChoices.choices
                if value != RosterChangeActionChoices.ADD
            ]

    QUALIFICATION_FIELDS = (
        "qualification_kind",
        "qualification_number",
        "qualification_issued",
        "qualification_expires",
    )

    def person_fields(self):
        """The bound fields about the person and their place in a team (the page shows the
        qualification's own fields, then the note, apart)."""
        return [f for f in self if f.name not in (*self.QUALIFICATION_FIELDS, "note")]

    def qualification_fields(self):
        return [self[name] for name in self.QUALIFICATION_FIELDS]

    def row(self):
        """The form as one roster row (the keys of the spreadsheet's columns)."""
        data = {k: v for k, v in self.cleaned_data.items() if k != "note" and v not in (None, "")}
        if data.get("team"):
            data["team"] = str(data["team"].pk)
        if data.get("employer"):
            data["employer"] = data["employer"].name  # the service reads units by name, as files name them
        if data.get("qualification_kind"):
            data["qualification_kind"] = data["qualification_kind"].code  # unique, unlike names
        for key in ("joined", "left", "qualification_issued", "qualification_expires"):
            if key in data:
                data[key] = data[key].isoformat()
        return {k: str(v) for k, v in data.items()}


class AvailabilityForm(forms.Form):
    """Available, or unavailable until a day for a reason: the liaison's form and the person's own."""

    available = forms.TypedChoiceField(
        label=_("availability"),
        choices=[("1", _("Available")), ("0", _("Unavailable"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    until = forms.DateField(
        label=_("unavailable until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.ChoiceField(
        label=_("reason"), required=False, choices=[("", "—"), *UnavailabilityReasonChoices.choices]
    )
    note = forms.CharField(label=_("note"), required=False, max_length=200)
