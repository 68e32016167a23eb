"""Portal forms: the inspection feedback form built from the facility kind's checklist, and the
director's forms of the rectification loop. They only collect input; services decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .checklists import checklist_for
from .choices import ChecklistResultChoices, SeverityChoices

__all__ = [
    "FollowUpDoneForm",
    "NoteForm",
    "RectificationCompleteForm",
    "RectificationIssueForm",
    "RectificationReopenForm",
    "ReportForm",
    "VerificationAdminForm",
    "verification_admin_form",
]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; each is checked by the service, not here."""

    def __init__(self, *args, documents=False, **kwargs):
        # The camera first; where documents are taken too, the phone's files as well (no `capture`).
        attrs = {"accept": "image/*,video/*", "capture": "environment", "multiple": True}
        if documents:
            attrs = {"accept": "image/*,video/*,application/pdf", "multiple": True}
        kwargs.setdefault("widget", MultipleFileInput(attrs=attrs))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [f for f in data if f]
        return [data] if data else []


class DateInput(forms.DateInput):
    """The phone's date picker: its value is always ISO 8601, whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        super().__init__(attrs, format=format)


class ReportForm(forms.Form):
    """The feedback form: one result and note per checklist item of the facility's kind."""

    inspected_on = forms.DateField(label=_("Inspected on"), widget=DateInput, initial=timezone.localdate)
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    severity = forms.ChoiceField(label=_("Severity"), choices=SeverityChoices.choices, initial=SeverityChoices.NONE)
    files = MultipleFileField(label=_("Photos and videos"))
    share_position = forms.BooleanField(
        label=_("Record where I am filing this report (my phone's position)"), required=False
    )
    filed_latitude = forms.DecimalField(
        max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False, widget=forms.HiddenInput
    )
    filed_longitude = forms.DecimalField(
        max_digits=9, decimal_places=6, min_value=-180, max_value=180, required=False, widget=forms.HiddenInput
    )
    filed_accuracy_m = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, facility, report=None, **kwargs):
        self.facility = facility
        if report is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "inspected_on": report.inspected_on,
                "findings": report.findings,
                "severity": report.severity,
                **{f"item_{k}": (a or {}).get("result") for k, a in (report.checklist or {}).items()},
                **{f"note_{k}": (a or {}).get("note", "") for k, a in (report.checklist or {}).items()},
            }
        super().__init__(*args, **kwargs)
        self.items = []
        for key, label in checklist_for(facility.kind):
            self.fields[f"item_{key}"] = forms.ChoiceField(
                label=label, choices=ChecklistResultChoices.choices, widget=forms.RadioSelect, required=False
            )
            self.fields[f"note_{key}"] = forms.CharField(label=_("Note"), required=False, max_length=500)
            self.items.append((self[f"item_{key}"], self[f"note_{key}"]))

    def checklist(self):
        """The answers given, as the report stores them; unanswered items are left out (a draft)."""
        data = {}
        for key, _label in checklist_for(self.facility.kind):
            result = self.cleaned_data.get(f"item_{key}")
            if result:
                data[key] = {"result": result, "note": self.cleaned_data.get(f"note_{key}", "")}
        return data

    def service_kwargs(self):
        return {
            "facility": self.facility,
            "checklist": self.checklist(),
            "findings": self.cleaned_data["findings"],
            "severity": self.cleaned_data["severity"],
            "inspected_on": self.cleaned_data["inspected_on"],
            "files": self.cleaned_data["files"],
            "position": self.position(),
        }

    def position(self):
        """(latitude, longitude, accuracy) of the phone, only with the inspector's consent."""
        data = self.cleaned_data
        if not data.get("share_position") or data.get("filed_latitude") is None or data.get("filed_longitude") is None:
            return None
        return data["filed_latitude"], data["filed_longitude"], data.get("filed_accuracy_m")


class RectificationIssueForm(forms.Form):
    requirement = forms.CharField(label=_("Requirement"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput)


class RectificationCompleteForm(forms.Form):
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    completed_on = forms.DateField(label=_("Completed on"), widget=DateInput, initial=timezone.localdate)
    files = MultipleFileField(label=_("After photos"))


class FollowUpDoneForm(forms.Form):
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("Evidence (photos or videos)"))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Re-inspection note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RectificationReopenForm(NoteForm):
    deadline = forms.DateField(label=_("New deadline"), widget=DateInput)


class VerificationAdminForm(forms.ModelForm):
    """The admin's on-site verification form: one row (type and quantity found, note) for each
    declared stock line of the chosen warehouse. The quantity found has no default: a line the
    verifier did not count must not pass for one found as declared."""

    stocks = ()

    def found_lines(self):
        """The lines for `potential_verification_record`, from the cleaned rows."""
        return [
            {
                "stock": stock,
                "verified_type": self.cleaned_data[f"found_{stock.pk}_type"],
                "verified_quantity": self.cleaned_data[f"found_{stock.pk}_quantity"],
                "note": self.cleaned_data[f"found_{stock.pk}_note"],
            }
            for stock in self.stocks
        ]


def verification_admin_form(stocks):
    """A VerificationAdminForm with the rows of these declared stock lines."""
    fields = {"stocks": list(stocks)}
    for stock in fields["stocks"]:
        declared = {"type": stock.material_type, "quantity": f"{stock.quantity.normalize():f}", "unit": stock.unit}
        fields[f"found_{stock.pk}_type"] = forms.CharField(
            label=_("%(type)s: type found") % declared, max_length=100, initial=stock.material_type
        )
        fields[f"found_{stock.pk}_quantity"] = forms.DecimalField(
            label=_("%(type)s: quantity found") % declared,
            help_text=_("Declared: %(quantity)s %(unit)s") % declared,
            max_digits=12,
            decimal_places=2,
            min_value=0,
        )
        fields[f"found_{stock.pk}_note"] = forms.CharField(
            label=_("%(type)s: note") % declared, max_length=255, required=False
        )
    return type("VerificationAdminForm", (VerificationAdminForm,), fields)
