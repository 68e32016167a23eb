"""Keep `InspectionReport.region` (the facility's region, kept for scoping) right when a facility
moves to another region, however it is saved (services, admin, the shell)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Facility, InspectionReport


@receiver(post_save, sender=Facility, dispatch_uid="report-region-facility")
def on_facility_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or created or (update_fields is not None and "region" not in update_fields):
        return
    # One UPDATE, touching only the reports whose region differs; no history: a derived column.
    InspectionReport._base_manager.filter(facility=instance).exclude(region_id=instance.region_id).update(
        region_id=instance.region_id
    )
