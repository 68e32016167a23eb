from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Activation, Team

__all__ = ["ActivationOrderForm"]


class ActivationOrderForm(forms.ModelForm):
    """An activation order as the office fills it in; `teams` are the teams it calls out."""

    teams = forms.ModelMultipleChoiceField(queryset=Team.objects.none(), label=_("teams called out"))

    class Meta:
        model = Activation
        fields = ["title", "reason", "region"]
