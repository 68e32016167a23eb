"""Portal pages of the teams app: live readiness of the user's teams, one team's detail, and
the call-outs of an activation (where a liaison answers for its teams)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mobilization.masking import phone_for

from . import services
from .forms import AcknowledgeForm
from .models import Activation, ActivationTeam, Team
from .selectors.board import activation_board


@login_required
@permission_required("teams.view_team", raise_exception=True)
def readiness(request):
    """The live readiness of every team the user may see; `?ready=no` keeps those not ready."""
    teams = Team.objects.visible_to(request.user).select_related("team_type", "unit", "region").with_readiness()
    wanted = request.GET.get("ready")
    if wanted in ("yes", "no"):
        teams = teams.ready(wanted == "yes")
    page = Paginator(teams.order_by("ready", "region_id", "name"), 50).get_page(request.GET.get("page"))
    return render(request, "portal/teams/readiness.html", {"page": page, "wanted": wanted})


@login_required
@permission_required("teams.view_team", raise_exception=True)
def team_detail(request, pk):
    team = get_object_or_404(
        Team.objects.visible_to(request.user).select_related("team_type__category", "unit", "region").with_readiness(),
        pk=pk,
    )
    now = timezone.now()
    duties = list(team.standby_duties.filter(end__gt=now)[:10])
    for duty in duties:
        duty.shown_phone = phone_for(request.user, duty.officer_phone)
    context = {"team": team, "equipment": team.equipment.select_related("item"), "duties": duties}
    return render(request, "portal/teams/team_detail.html", context)


def _acknowledge_form(request, activation, data=None):
    form = AcknowledgeForm(data)
    form.fields["team"].queryset = Team.objects.visible_to(request.user).filter(callouts__activation=activation)
    return form


@login_required
@permission_required("teams.view_activation", raise_exception=True)
def activation_detail(request, pk):
    activation = get_object_or_404(Activation.objects.visible_to(request.user).select_related("region"), pk=pk)
    callouts = ActivationTeam.objects.visible_to(request.user).filter(activation=activation).select_related("team")
    form = _acknowledge_form(request, activation) if request.user.has_perm("teams.acknowledge_activationteam") else None
    return render(
        request, "portal/teams/activation.html", {"activation": activation, "callouts": callouts, "form": form}
    )


@login_required
@require_POST
@permission_required("teams.acknowledge_activationteam", raise_exception=True)
def activation_acknowledge(request, pk):
    activation = get_object_or_404(Activation.objects.visible_to(request.user), pk=pk)
    form = _acknowledge_form(request, activation, request.POST)
    if form.is_valid():
        try:
            services.activation_acknowledge(activation=activation, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(request, _("Call-out acknowledged for %(team)s.") % {"team": form.cleaned_data["team"]})
    else:
        messages.error(request, _("Choose one of your teams called out by this activation."))
    return redirect("portal:teams-activation", pk=activation.pk)


@login_required
@permission_required("teams.view_activation", raise_exception=True)
def activation_board_page(request, pk):
    """The response board on a phone or (`?wall=1`) a wall screen; it refreshes itself."""
    activation = get_object_or_404(Activation.objects.visible_to(request.user), pk=pk)
    context = {
        "activation": activation,
        "board": activation_board(activation=activation, user=request.user),
        "board_url": reverse("api:activation-board", args=[pk]),
        "export_url": reverse("api:activation-board-export", args=[pk]),
        "wall": request.GET.get("wall") == "1",
    }
    return render(request, "portal/teams/board.html", context)
