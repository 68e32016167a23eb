"""Portal forms of the command app: they only collect input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from inspections.forms import DateInput, MultipleFileField
from mobilization.choices import RegionLevelChoices
from mobilization.models import Region
from mobilization.querysets import region_prefix

__all__ = ["AdvanceForm", "AssignmentReportForm", "JointTaskForm", "RequestForm"]


class RequestForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("What is needed"), widget=forms.Textarea(attrs={"rows": 5}))
    needed_by = forms.DateField(label=_("Needed by"), widget=DateInput, required=False)


class AdvanceForm(forms.Form):
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    deadline = forms.DateField(label=_("Deadline of the next stage"), widget=DateInput, required=False)
    files = MultipleFileField(label=_("Attachments (photos, videos, PDF documents)"), documents=True)


class AssignmentReportForm(forms.Form):
    report = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(label=_("Evidence (photos, videos, PDF documents)"), documents=True)


class JointTaskForm(forms.Form):
    """A new joint-office task of the user's region, split at once to the districts chosen."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput, required=False)
    districts = forms.ModelMultipleChoiceField(
        label=_("Districts"), queryset=Region.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        prefix = region_prefix(region.code)
        self.fields["districts"].queryset = Region.objects.filter(
            level=RegionLevelChoices.COUNTY, code__startswith=prefix
        ).order_by("code")
