from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Activation, Team

__all__ = ["AcknowledgeForm", "ActivationOrderForm"]


class ActivationOrderForm(forms.ModelForm):
    """An activation order as the office fills it in; `teams` are the teams it calls out."""

    teams = forms.ModelMultipleChoiceField(queryset=Team.objects.none(), label=_("teams called out"))

    class Meta:
        model = Activation
        fields = ["title", "reason", "region"]


class AcknowledgeForm(forms.Form):
    """A liaison answers a call-out for one of its teams (the teams offered are scoped by the view)."""

    team = forms.ModelChoiceField(queryset=Team.objects.none(), label=_("team"))
    assembled_headcount = forms.IntegerField(label=_("assembled headcount"), min_value=0, required=False)
