"""Forms of the statistics admin: preparing a report, and the reason a report is returned."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import StatisticsReport
from .periods import period_bounds

__all__ = ["ReportPrepareForm", "ReportReturnForm"]


class ReportPrepareForm(forms.ModelForm):
    """Prepare a report: the office, the kind of period and any day in it (the report covers the
    whole period containing that day)."""

    class Meta:
        model = StatisticsReport
        fields = ["office", "period_kind", "period_start", "remarks"]
        labels = {"period_start": _("Day in the period")}
        help_texts = {"period_start": _("Any day in the period: the report covers the whole period.")}

    def clean(self):
        cleaned = super().clean()
        kind, day = cleaned.get("period_kind"), cleaned.get("period_start")
        if kind and day:
            start, end = period_bounds(kind, day)
            cleaned["period_start"] = self.instance.period_start = start
            self.instance.period_end = end
        return cleaned


class ReportReturnForm(forms.Form):
    reason = forms.CharField(label=_("reason for return"), widget=forms.Textarea(attrs={"rows": 4}))
