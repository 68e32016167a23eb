import django_filters
from django.utils.translation import gettext_lazy as _

from mobilization.filtersets import BaseFilterSet

from .models import (
    EvaluationFollowUp,
    Facility,
    FollowUpEvidence,
    InspectionCycle,
    InspectionMedia,
    InspectionReport,
    MaterialStock,
    PotentialVerification,
    Rectification,
    RectificationEvidence,
    TeamEvaluation,
    VerificationLine,
)

__all__ = [
    "EvaluationFollowUpFilterSet",
    "FacilityFilterSet",
    "FollowUpEvidenceFilterSet",
    "InspectionCycleFilterSet",
    "InspectionMediaFilterSet",
    "InspectionReportFilterSet",
    "MaterialStockFilterSet",
    "PotentialVerificationFilterSet",
    "RectificationEvidenceFilterSet",
    "RectificationFilterSet",
    "TeamEvaluationFilterSet",
    "VerificationLineFilterSet",
]


class FacilityFilterSet(BaseFilterSet):
    search_fields = ("name", "address", "responsible_party")

    class Meta:
        model = Facility
        fields = ["kind", "status"]


class InspectionReportFilterSet(BaseFilterSet):
    search_fields = ("facility__name", "findings")
    inspected_after = django_filters.DateFilter(
        field_name="inspected_on", lookup_expr="gte", label=_("Inspected on or after")
    )
    inspected_before = django_filters.DateFilter(
        field_name="inspected_on", lookup_expr="lte", label=_("Inspected on or before")
    )
    far_away = django_filters.BooleanFilter(method="filter_far_away", label=_("Filed far from the facility"))

    def filter_far_away(self, queryset, name, value):
        from django.conf import settings

        far = {"distance_m__gt": settings.INSPECTION_MAX_DISTANCE_M}
        return queryset.filter(**far) if value else queryset.exclude(**far)

    class Meta:
        model = InspectionReport
        fields = ["facility", "inspector", "status", "severity"]


class InspectionMediaFilterSet(BaseFilterSet):
    class Meta:
        model = InspectionMedia
        fields = ["report", "kind"]


class RectificationFilterSet(BaseFilterSet):
    search_fields = ("facility__name", "responsible_party", "requirement")
    deadline_before = django_filters.DateFilter(
        field_name="deadline", lookup_expr="lte", label=_("Deadline on or before")
    )

    class Meta:
        model = Rectification
        fields = ["facility", "report", "status", "escalation_level"]


class RectificationEvidenceFilterSet(BaseFilterSet):
    class Meta:
        model = RectificationEvidence
        fields = ["rectification", "kind"]


class TeamEvaluationFilterSet(BaseFilterSet):
    search_fields = ("team__name", "findings")

    class Meta:
        model = TeamEvaluation
        fields = ["team", "year", "period", "grade"]


class EvaluationFollowUpFilterSet(BaseFilterSet):
    search_fields = ("item", "owner")

    class Meta:
        model = EvaluationFollowUp
        fields = ["evaluation", "done", "escalation_level"]


class MaterialStockFilterSet(BaseFilterSet):
    search_fields = ("material_type",)

    class Meta:
        model = MaterialStock
        fields = ["facility"]


class PotentialVerificationFilterSet(BaseFilterSet):
    search_fields = ("facility__name", "discrepancies")

    class Meta:
        model = PotentialVerification
        fields = ["facility", "location_matches", "types_match", "quantities_match"]


class VerificationLineFilterSet(BaseFilterSet):
    class Meta:
        model = VerificationLine
        fields = ["verification", "stock", "matches"]


class InspectionCycleFilterSet(BaseFilterSet):
    class Meta:
        model = InspectionCycle
        fields = ["kind", "region", "months"]


class FollowUpEvidenceFilterSet(BaseFilterSet):
    class Meta:
        model = FollowUpEvidence
        fields = ["follow_up", "kind"]
