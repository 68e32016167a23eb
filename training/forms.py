from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import AttendanceStatusChoices
from .services import RECORDABLE

__all__ = ["AttendanceEntryForm"]


class AttendanceEntryForm(forms.Form):
    """Bulk attendance of one exercise: one status field per expected person (`status_<person id>`)."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        choices = [("", _("Not yet recorded")), *[(s, AttendanceStatusChoices(s).label) for s in RECORDABLE]]
        for row in rows:
            self.fields[f"status_{row.person_id}"] = forms.ChoiceField(
                label=str(row.person),
                choices=choices,
                required=False,
                initial=row.status if row.status in RECORDABLE else "",
            )

    def entries(self):
        """The statuses entered, as services.attendance_record takes them (blank ones left out)."""
        return [
            {"person": row.person_id, "status": self.cleaned_data[f"status_{row.person_id}"]}
            for row in self.rows
            if self.cleaned_data.get(f"status_{row.person_id}")
        ]

    def bound_rows(self):
        return [(row, self[f"status_{row.person_id}"]) for row in self.rows]
