"""Portal forms of the command app: they only collect input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from inspections.forms import DateInput, MultipleFileField

__all__ = ["AdvanceForm", "AssignmentReportForm", "RequestForm"]


class RequestForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("What is needed"), widget=forms.Textarea(attrs={"rows": 5}))
    needed_by = forms.DateField(label=_("Needed by"), widget=DateInput, required=False)


class AdvanceForm(forms.Form):
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    deadline = forms.DateField(label=_("Deadline of the next stage"), widget=DateInput, required=False)
    files = MultipleFileField(label=_("Attachments (photos and videos)"))


class AssignmentReportForm(forms.Form):
    report = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(label=_("Evidence (photos and videos)"))
