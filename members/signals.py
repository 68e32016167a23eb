"""Keep `PersonRegion` right under every write that goes through a model's save or delete
(services, admin, forms, the shell): a person saved (their employer may have changed), a
membership saved or deleted (a team joined, moved or left), a member unit or a team saved (it may
have moved to another region: its people follow). Bulk writes, which send no signal, call
`person_regions_refresh` themselves (roster change approval, the demo and scale loaders)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from mobilization.models import MemberUnit
from teams.models import Team

from .models import Membership, Person
from .services.scope import person_regions_refresh


@receiver(post_save, sender=Person, dispatch_uid="person-regions-person")
def on_person_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and "employer" not in update_fields):
        return
    person_regions_refresh([instance.pk])


@receiver(post_save, sender=Membership, dispatch_uid="person-regions-membership")
@receiver(post_delete, sender=Membership, dispatch_uid="person-regions-membership-gone")
def on_membership_changed(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and not {"team", "person"} & set(update_fields)):
        return
    person_regions_refresh([instance.person_id])


@receiver(post_save, sender=MemberUnit, dispatch_uid="person-regions-unit")
def on_unit_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or created or (update_fields is not None and "region" not in update_fields):
        return
    person_regions_refresh(Person._base_manager.filter(employer=instance))


@receiver(post_save, sender=Team, dispatch_uid="person-regions-team")
def on_team_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or created or (update_fields is not None and "region" not in update_fields):
        return
    person_regions_refresh(Membership._base_manager.filter(team=instance).values("person_id"))
