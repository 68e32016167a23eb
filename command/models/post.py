"""The command post (指挥部) of an activation or exercise: its positions filled by named
officials, the duty rota, and the command log, which only grows."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mobilization.models import BaseModel, ScopedModel
from mobilization.querysets import Scope

from ..choices import CommandPositionChoices, LogEntryKindChoices
from ..querysets import AppendOnlyError, AppendOnlyQuerySet

__all__ = ["CommandPosition", "CommandPost", "DutyShift", "LogEntry"]


class CommandPost(BaseModel):
    """A command post set up for an activation or an exercise (or on its own, for a drill)."""

    region = models.ForeignKey(
        "mobilization.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    activation = models.ForeignKey(
        "teams.Activation",
        verbose_name=_("activation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    exercise = models.ForeignKey(
        "training.Exercise",
        verbose_name=_("exercise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    scope = Scope(region="region")

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("command post")
        verbose_name_plural = _("command posts")

    def __str__(self):
        return self.name

    def clean(self):
        if self.closed_at and self.opened_at and self.closed_at < self.opened_at:
            raise ValidationError({"closed_at": _("A command post closes after it opens.")})


class CommandPosition(BaseModel):
    """A position of the post held by a named official (who needs not be in any team)."""

    post = models.ForeignKey(
        CommandPost, verbose_name=_("command post"), on_delete=models.CASCADE, related_name="positions"
    )
    position = models.CharField(_("position"), max_length=16, choices=CommandPositionChoices.choices)
    official = models.ForeignKey(
        "command.Official", verbose_name=_("official"), on_delete=models.PROTECT, related_name="positions"
    )
    duties = models.CharField(_("duties"), max_length=255, blank=True)

    scope = Scope(region="post__region")

    class Meta:
        ordering = ["post_id", "position", "pk"]
        verbose_name = _("command position")
        verbose_name_plural = _("command positions")
        constraints = [
            models.UniqueConstraint(
                fields=["post"],
                condition=models.Q(position=CommandPositionChoices.COMMANDER),
                name="one_commander_per_post",
            )
        ]

    def __str__(self):
        return f"{self.get_position_display()}: {self.official_id and self.official}"


class DutyShift(BaseModel):
    """A span of time an official stands watch at the post."""

    post = models.ForeignKey(CommandPost, verbose_name=_("command post"), on_delete=models.CASCADE, related_name="rota")
    official = models.ForeignKey(
        "command.Official", verbose_name=_("official"), on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))

    scope = Scope(region="post__region")

    class Meta:
        ordering = ["post_id", "start"]
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty rota")

    def __str__(self):
        return f"{self.official_id and self.official} {timezone.localtime(self.start):%m-%d %H:%M}"

    def clean(self):
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("A shift must end after it starts.")})


class LogEntry(ScopedModel):
    """An entry of the command log: what was decided, ordered, reported or asked, by whom and
    when. Append-only for everyone, superusers included: the model refuses a second save and any
    delete, the queryset refuses bulk changes; a correction is a new entry naming the old."""

    post = models.ForeignKey(CommandPost, verbose_name=_("command post"), on_delete=models.PROTECT, related_name="log")
    kind = models.CharField(_("kind"), max_length=16, choices=LogEntryKindChoices.choices)
    text = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("time"), default=timezone.now, editable=False)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )

    objects = AppendOnlyQuerySet.as_manager()
    scope = Scope(region="post__region")

    class Meta:
        ordering = ["post_id", "at", "pk"]
        verbose_name = _("command log entry")
        verbose_name_plural = _("command log")

    def __str__(self):
        return f"#{self.pk} {self.get_kind_display()} {timezone.localtime(self.at):%m-%d %H:%M}"

    def clean(self):
        if self.corrects_id and self.post_id and self.corrects.post_id != self.post_id:
            raise ValidationError({"corrects": _("A correction refers to an entry of the same log.")})

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("command-log entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("command-log entries cannot be deleted")
