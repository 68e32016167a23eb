"""Keep `ExerciseRegion` right under every write that goes through a model's save, delete or
many-to-many manager (services, admin, forms, the API, the shell): an exercise saved (its office
may have changed), teams or member units added to or removed from an exercise (from either side),
and an office, team or member unit saved with another region, or deleted. Bulk writes, which send
no signal, call `exercise_regions_refresh` themselves (the demo and scale loaders)."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from mobilization.models import MemberUnit, Office
from teams.models import Team

from .models import Exercise
from .services import exercise_regions_refresh


def _moved(created, raw, update_fields, field="region"):
    return not (raw or created or (update_fields is not None and field not in update_fields))


def on_exercise_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or (not created and update_fields is not None and "office" not in update_fields):
        return
    exercise_regions_refresh([instance.pk])


def on_participants_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Teams or units added to or removed from an exercise: `exercise.teams.add(team)` (forward)
    or `team.exercises.add(exercise)` (reverse, `pk_set` then names exercises)."""
    if action == "pre_clear" and reverse:
        # The links are gone after the clear: note now which exercises the team or unit was in.
        instance._exercises_cleared = list(instance.exercises.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        exercise_regions_refresh([instance.pk])
    elif action == "post_clear":
        exercise_regions_refresh(getattr(instance, "_exercises_cleared", ()))
    else:
        exercise_regions_refresh(pk_set or ())


def on_holder_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    """A team or member unit moved to another region: so do the exercises it takes part in."""
    if _moved(created, raw, update_fields):
        exercise_regions_refresh(instance.exercises.values("pk"))


def on_office_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if _moved(created, raw, update_fields):
        exercise_regions_refresh(Exercise._base_manager.filter(office=instance).values("pk"))


def on_holder_deleting(sender, instance, **kwargs):
    # The links are deleted with it, before post_delete: note which exercises it was in.
    instance._exercises_deleted = list(instance.exercises.values_list("pk", flat=True))


def on_holder_deleted(sender, instance, **kwargs):
    exercise_regions_refresh(getattr(instance, "_exercises_deleted", ()))


post_save.connect(on_exercise_saved, sender=Exercise, dispatch_uid="exercise-regions-exercise")
for through, name in ((Exercise.teams.through, "teams"), (Exercise.units.through, "units")):
    m2m_changed.connect(on_participants_changed, sender=through, dispatch_uid=f"exercise-regions-{name}")
post_save.connect(on_office_saved, sender=Office, dispatch_uid="exercise-regions-office")
for holder in (Team, MemberUnit):
    name = holder._meta.model_name
    post_save.connect(on_holder_saved, sender=holder, dispatch_uid=f"exercise-regions-{name}")
    pre_delete.connect(on_holder_deleting, sender=holder, dispatch_uid=f"exercise-regions-{name}-deleting")
    post_delete.connect(on_holder_deleted, sender=holder, dispatch_uid=f"exercise-regions-{name}-deleted")
