"""Every rule of the inspections app that changes state: reports and their media, the
rectification loop with its overdue sweep and escalation, and potential-data verification here;
inspection cycles (`cycles`), evaluation follow-ups (`follow_ups`) and stored files (`media`) in
their own modules.
The admin, the API, the portal and Celery tasks all call these."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mobilization.choices import AuditActionChoices, NotificationKindChoices
from mobilization.escalation import escalate
from mobilization.services import audit_record, notify

from ..choices import RectificationStatusChoices, ReportStatusChoices, SeverityChoices
from ..geo import distance_m
from ..models import (
    InspectionMedia,
    InspectionReport,
    MaterialStock,
    PotentialVerification,
    Rectification,
    RectificationEvidence,
    VerificationLine,
)
from ..selectors import escalation_recipients
from ..uploads import prepare_uploads
from .cycles import inspection_cycle_save, inspections_remind_due, inspections_sweep_overdue
from .follow_ups import follow_up_remind_days, follow_up_report_done, follow_ups_remind_due, follow_ups_sweep_overdue
from .media import _stored, _today, media_purge_orphans, media_store

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import UploadedFile

    from ..models import Facility


__all__ = [
    "follow_up_report_done",
    "follow_ups_remind_due",
    "follow_ups_sweep_overdue",
    "media_purge_orphans",
    "media_store",
    "follow_up_remind_days",
    "inspection_cycle_save",
    "inspections_remind_due",
    "inspections_sweep_overdue",
    "potential_verification_record",
    "potential_verification_update",
    "rectification_complete",
    "rectification_issue",
    "rectification_reopen",
    "rectification_update",
    "rectification_verify",
    "rectifications_sweep_overdue",
    "report_add_media",
    "report_delete",
    "report_review",
    "report_save",
    "report_submit",
]

S = RectificationStatusChoices
ACTIONABLE = (S.ISSUED, S.REOPENED, S.OVERDUE)


# --- inspection reports ----------------------------------------------------------------------------------


@transaction.atomic
def report_save(
    *,
    by: User,
    facility: Facility,
    checklist: dict[str, Any] | None = None,
    findings: str = "",
    severity: str = SeverityChoices.NONE,
    inspected_on: date | None = None,
    report: InspectionReport | None = None,
    submit: bool = False,
    files: Iterable[UploadedFile] = (),
    position: tuple[Any, Any, Any] | None = None,
) -> InspectionReport:
    """Create or update an inspector's report, as a draft or submitted, with any new photos and videos.

    `position` is (latitude, longitude, accuracy in metres) of the phone at filing, given only with
    the inspector's consent; the distance from the facility's recorded position is kept with it.
    Files are checked first: a refused file refuses the whole save and stores nothing."""
    prepared = prepare_uploads(files)
    if report is None:
        report = InspectionReport(inspector=by)
    elif not report.is_draft:
        raise ValidationError(_("A submitted report can no longer be changed."))
    elif facility.pk != _stored(report, "facility_id") and report.rectifications.exists():
        # The orders name the facility they were issued for; moving the report would leave them behind.
        raise ValidationError({"facility": _("A report with rectification orders stays with its facility.")})
    report.facility = facility
    report.checklist = checklist if checklist is not None else report.checklist
    report.findings = findings
    report.severity = severity
    report.inspected_on = inspected_on or report.inspected_on or timezone.localdate()
    if position is not None and position[0] is not None and position[1] is not None:
        report.filed_latitude, report.filed_longitude, report.filed_accuracy_m = position
    report.distance_m = _distance_from_facility(report, facility)
    if submit:
        report.status = ReportStatusChoices.SUBMITTED
        report.submitted_at = timezone.now()
    report.full_clean()
    report.save()
    if submit:
        _notify_submitted(report)
    # Files last: nothing after them can fail and leave them stored without their rows.
    media_store(InspectionMedia, prepared, by=by, report=report)
    return report


@transaction.atomic
def report_delete(*, report: InspectionReport, by: User) -> None:
    """Throw away a draft with its files; a submitted report is on record and stays."""
    if not report.is_draft:
        raise ValidationError(_("Only a draft can be deleted; a submitted report is on record."))
    if report.rectifications.exists():
        raise ValidationError(_("A report with rectification orders is on record and cannot be deleted."))
    names = [m.file.name for m in report.media.all()]
    report.delete()
    # The files go only once the rows are gone for good.
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names])


@transaction.atomic
def report_submit(*, report: InspectionReport, by: User) -> InspectionReport:
    if not report.is_draft:
        raise ValidationError(_("This report has been submitted already."))
    report.status = ReportStatusChoices.SUBMITTED
    report.submitted_at = timezone.now()
    report.full_clean()
    report.save()
    _notify_submitted(report)
    return report


def _distance_from_facility(report, facility):
    """Metres between where the report was filed and the facility's recorded position (None unknown)."""
    if None in (report.filed_latitude, report.filed_longitude, facility.latitude, facility.longitude):
        return None
    return round(distance_m(report.filed_latitude, report.filed_longitude, facility.latitude, facility.longitude))


def _notify_submitted(report):
    far = ""
    if report.filed_far_away:
        far = _("Filed %(distance)s m from the facility's recorded position.") % {"distance": report.distance_m}
    notify(
        recipients=escalation_recipients(region_code=report.facility.region_id, level=1),
        key=f"inspection-report:{report.pk}:submitted",
        kind=NotificationKindChoices.INSPECTION_REPORT,
        title=_("New inspection report: %(facility)s") % {"facility": report.facility},
        body="\n".join(part for part in (far, report.findings[:500]) if part),
        url=reverse("portal:inspections-report", args=[report.pk]),
    )


@transaction.atomic
def report_add_media(*, report: InspectionReport, files: Iterable[UploadedFile], by: User) -> list[InspectionMedia]:
    """Attach photos and videos to a report not yet reviewed; all are checked before any is stored."""
    if report.status == ReportStatusChoices.REVIEWED:
        raise ValidationError(_("A reviewed report takes no more files."))
    prepared = prepare_uploads(files)
    if not prepared:
        raise ValidationError(_("Choose at least one photo or video."))
    return media_store(InspectionMedia, prepared, by=by, report=report)


@transaction.atomic
def report_review(*, report: InspectionReport, by: User, note: str = "") -> InspectionReport:
    if report.status == ReportStatusChoices.DRAFT:
        raise ValidationError(_("A draft cannot be reviewed before it is submitted."))
    report.status = ReportStatusChoices.REVIEWED
    report.reviewed_by = by
    report.reviewed_at = timezone.now()
    report.review_note = note or report.review_note
    report.save()
    return report


# --- rectification orders -------------------------------------------------------------------------------


def _locked(order):
    """The order as it is now, locked until the transaction ends: the sweep may have moved it on."""
    return Rectification.objects.select_for_update().get(pk=order.pk)


@transaction.atomic
def rectification_issue(
    *,
    by: User,
    requirement: str,
    deadline: date,
    report: InspectionReport | None = None,
    facility: Facility | None = None,
    today: date | None = None,
) -> Rectification:
    """Order the facility's responsible party to put right what a report found, by a deadline.
    The party gets the order by SMS; the inspector who filed the report is told too."""
    if report is None and facility is None:
        raise ValidationError({"report": _("Name the report (or the facility) the order is about.")})
    if report is not None and report.is_draft:
        # A draft is not on record yet: it may still move to another facility or be thrown away.
        raise ValidationError({"report": _("An order can only be issued on a submitted report, not on a draft.")})
    facility = report.facility if report is not None else facility
    if deadline < _today(today):
        raise ValidationError({"deadline": _("The deadline cannot be in the past.")})
    order = Rectification(
        report=report,
        facility=facility,
        responsible_party=facility.responsible_party or facility.name,
        requirement=requirement,
        deadline=deadline,
        issued_by=by,
    )
    order.full_clean()
    order.save()
    audit_record(
        action=AuditActionChoices.ORDER,
        user=by,
        obj=order,
        detail={"facility": str(facility), "deadline": deadline.isoformat(), "requirement": requirement},
    )
    if report is not None and report.status == ReportStatusChoices.SUBMITTED:
        report_review(report=report, by=by)
    _notify_party(
        order,
        key=f"rectification:{order.pk}:issued",
        title=_("Rectification ordered for %(facility)s") % {"facility": facility},
        inspector=report.inspector if report is not None else None,
    )
    return order


def _notify_party(order, *, key, title, inspector=None):
    """Send the order (or its new deadline) to the responsible party's contact phone, once per `key`;
    the party has no account, so the SMS is the order reaching them. The inspector reads it in the portal."""
    facility = order.facility
    notify(
        recipients=[inspector] if inspector is not None else [],
        key=key,
        kind=NotificationKindChoices.RECTIFICATION,
        title=title,
        body=_("Deadline %(deadline)s: %(requirement)s")
        % {"deadline": order.deadline, "requirement": order.requirement},
        url=reverse("portal:inspections-rectification", args=[order.pk]),
        phones=[facility.responsible_phone] if facility.responsible_phone else (),
    )


@transaction.atomic
def rectification_update(*, order: Rectification, by: User, today: date | None = None, **fields: Any) -> Rectification:
    """Amend the requirement or deadline of an order still open. A new deadline that is not yet
    past puts an overdue order back in hand: issued again (reopened from the second round on),
    with its escalation starting afresh against the new deadline."""
    order = _locked(order)
    if order.status not in ACTIONABLE:
        raise ValidationError(_("Only an open order can be amended."))
    deadline = fields.get("deadline", order.deadline)
    moved = deadline != order.deadline
    if moved and deadline < _today(today):
        raise ValidationError({"deadline": _("The deadline cannot be in the past.")})
    for name, value in fields.items():
        setattr(order, name, value)
    if moved and order.status == S.OVERDUE:
        order.status = S.REOPENED if order.round > 1 else S.ISSUED
        order.escalation_level = 0
    order.full_clean()
    order.save()
    if moved:
        _notify_party(
            order,
            key=f"rectification:{order.pk}:deadline:{order.deadline.isoformat()}",
            title=_("New deadline for the rectification at %(facility)s") % {"facility": order.facility},
        )
    return order


@transaction.atomic
def rectification_complete(
    *,
    order: Rectification,
    by: User,
    note: str = "",
    completed_on: date | None = None,
    files: Iterable[UploadedFile] = (),
) -> Rectification:
    """Record that the responsible party has done the work, with after photos as evidence."""
    order = _locked(order)
    if order.status not in ACTIONABLE:
        raise ValidationError(_("Only an open order can be completed."))
    prepared = prepare_uploads(files)
    if not prepared and not order.evidence.exists():
        raise ValidationError({"files": _("Attach at least one after photo as evidence.")})
    order.status = S.COMPLETED
    order.completed_on = completed_on or timezone.localdate()
    order.completion_note = note
    order.save()
    media_store(RectificationEvidence, prepared, by=by, rectification=order)
    return order


@transaction.atomic
def rectification_verify(*, order: Rectification, by: User, note: str = "", today: date | None = None) -> Rectification:
    """The workstation re-inspects and closes the order."""
    order = _locked(order)
    if order.status != S.COMPLETED:
        raise ValidationError(_("Only a completed order can be verified."))
    order.status = S.VERIFIED
    order.verified_by = by
    order.verified_on = _today(today)
    order.verification_note = note
    order.save()
    audit_record(
        action=AuditActionChoices.VERIFY,
        user=by,
        obj=order,
        changes={"status": [S.COMPLETED, S.VERIFIED]},
        detail={"note": note},
    )
    return order


@transaction.atomic
def rectification_reopen(
    *, order: Rectification, by: User, deadline: date, note: str = "", today: date | None = None
) -> Rectification:
    """The re-inspection found the work not done: a new round with a new deadline."""
    order = _locked(order)
    if order.status not in (S.COMPLETED, S.VERIFIED):
        raise ValidationError(_("Only a completed or closed order can be reopened."))
    before = (order.status, order.deadline.isoformat())
    if deadline <= _today(today):
        raise ValidationError({"deadline": _("A reopened order needs a deadline after today.")})
    order.status = S.REOPENED
    order.deadline = deadline
    order.round += 1
    order.escalation_level = 0
    order.verification_note = note
    order.verified_by = by
    order.verified_on = _today(today)
    order.save()
    audit_record(
        action=AuditActionChoices.REJECT,
        user=by,
        obj=order,
        changes={"status": [before[0], order.status], "deadline": [before[1], deadline.isoformat()]},
        detail={"note": note, "round": order.round},
    )
    _notify_party(
        order,
        key=f"rectification:{order.pk}:reopened:{order.round}",
        title=_("Rectification reopened for %(facility)s") % {"facility": order.facility},
    )
    return order


def rectifications_sweep_overdue(*, today: date | None = None) -> dict[str, int]:
    """Mark orders past their deadline overdue and raise each overdue order one escalation level
    when it has earned it: workstation, then district/county office, then city office. A level
    with nobody active at it is passed over in the same sweep, so the step reaches somebody;
    the order records the level actually reached.

    One step per sweep and each level once (the level is recorded on the order and each
    notification has its own key, which names the deadline missed: an order given a new deadline
    and missing it again escalates afresh), so running the sweep twice on a day changes nothing."""
    today = _today(today)
    marked = escalated = 0
    for pk in list(Rectification.objects.falling_overdue(today).values_list("pk", flat=True)):
        with transaction.atomic():
            order = Rectification.objects.select_for_update().get(pk=pk)
            if order.status in (S.ISSUED, S.REOPENED) and order.deadline < today:
                order.status = S.OVERDUE
                order.save()
                marked += 1
    for pk in list(Rectification.objects.overdue().values_list("pk", flat=True)):
        with transaction.atomic():
            order = Rectification.objects.select_for_update().select_related("facility").get(pk=pk)
            if order.status != S.OVERDUE:
                continue
            level = escalate(
                region_code=order.facility.region_id,
                level=order.escalation_level,
                days_overdue=(today - order.deadline).days,
                key=f"rectification:{order.pk}:round:{order.round}:deadline:{order.deadline.isoformat()}",
                kind=NotificationKindChoices.RECTIFICATION_OVERDUE,
                title=_("Overdue rectification: %(facility)s") % {"facility": order.facility},
                body=_("%(party)s missed the deadline %(deadline)s: %(requirement)s")
                % {"party": order.responsible_party, "deadline": order.deadline, "requirement": order.requirement},
                url=reverse("portal:inspections-rectification", args=[order.pk]),
            )
            if level == order.escalation_level:
                continue
            order.escalation_level = level
            order.save()
            escalated += 1
    return {"marked_overdue": marked, "escalated": escalated}


# --- mobilisation-potential verification --------------------------------------------------------------------


@transaction.atomic
def potential_verification_record(
    *,
    facility: Facility,
    verified_on: date | None,
    by: User | None = None,
    location_matches: bool = True,
    lines: Iterable[Mapping[str, Any]] = (),
    discrepancies: str = "",
) -> PotentialVerification:
    """Record an on-site verification of a reserve warehouse: for each declared stock line the
    type and quantity found (`lines`: dicts of `stock`, `verified_quantity`, and optionally
    `verified_type`, blank meaning the declared type, and `note`).

    Every declared stock line needs its figures: a line left out was not counted, and taking it
    as found as declared would make an unchecked warehouse look accurate."""
    verification = PotentialVerification(
        facility=facility,
        verified_on=verified_on or timezone.localdate(),
        verified_by=by,
        location_matches=location_matches,
        discrepancies=discrepancies,
    )
    verification.full_clean()
    verification.save()
    given = {}
    for line in lines:
        stock = line["stock"]
        if stock.facility_id != facility.pk:
            raise ValidationError(
                {"lines": _("Stock line %(stock)s is not held by this warehouse.") % {"stock": stock}}
            )
        if stock.pk in given:
            raise ValidationError({"lines": _("Stock line %(stock)s is given twice.") % {"stock": stock}})
        if line.get("verified_quantity") is None:
            raise ValidationError({"lines": _("Give the quantity found for %(stock)s.") % {"stock": stock}})
        given[stock.pk] = line
    declared = list(MaterialStock.objects.filter(facility=facility))
    missing = [stock for stock in declared if stock.pk not in given]
    if missing:
        raise ValidationError(
            {
                "lines": _("Give the figures found for every declared stock line; missing: %(stocks)s")
                % {"stocks": ", ".join(str(stock) for stock in missing)}
            }
        )
    found = []
    for stock in declared:
        line = given[stock.pk]
        row = VerificationLine(
            verification=verification,
            stock=stock,
            declared_type=stock.material_type,
            declared_quantity=stock.quantity,
            verified_type=line.get("verified_type") or stock.material_type,
            verified_quantity=line["verified_quantity"],
            note=line.get("note", ""),
        )
        row.full_clean(exclude=["verification"])
        row.save()
        found.append(row)
    verification.types_match = all(r.type_matches for r in found)
    verification.quantities_match = all(r.quantity_matches for r in found)
    mismatches = [
        _("%(type)s: declared %(declared)s, found %(found)s %(verified_type)s")
        % {
            "type": r.declared_type,
            "declared": f"{r.declared_quantity.normalize():f}",
            "found": f"{r.verified_quantity.normalize():f}",
            "verified_type": r.verified_type,
        }
        for r in found
        if not r.matches
    ]
    if mismatches and not discrepancies:
        verification.discrepancies = "\n".join(mismatches)
    verification.save()
    return verification


@transaction.atomic
def potential_verification_update(
    *, verification: PotentialVerification, by: User, **fields: Any
) -> PotentialVerification:
    """Correct the date, location finding or notes of a verification. Its warehouse stays: the
    lines were counted against that warehouse's declared stock."""
    facility = fields.pop("facility", None)
    if facility is not None and facility.pk != _stored(verification, "facility_id"):
        raise ValidationError({"facility": _("The warehouse of a verification cannot be changed.")})
    for name, value in fields.items():
        setattr(verification, name, value)
    verification.full_clean()
    verification.save()
    return verification
