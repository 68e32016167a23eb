from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import QualificationKind

from .models import Activation, Team, TeamType

__all__ = ["AcknowledgeForm", "ActivationOrderForm", "CalloutForm"]


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


class CalloutForm(forms.Form):
    """Whom to call out (each optional; none: everyone available in the activation's region). The
    view sets the teams' queryset to the user's scope, on this form instance only."""

    teams = forms.ModelMultipleChoiceField(queryset=Team.objects.none(), label=_("teams"), required=False)
    team_types = forms.ModelMultipleChoiceField(queryset=TeamType.objects.all(), label=_("team types"), required=False)
    qualifications = forms.ModelMultipleChoiceField(
        queryset=QualificationKind.objects.all(), label=_("holding one of these qualifications"), required=False
    )
