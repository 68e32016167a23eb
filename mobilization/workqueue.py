"""The registry of work-queue items: what waits for a user (roster changes to decide, reports to
review, orders due and overdue...), shown with counts and links on the admin index and the portal
home. Each app declares its items next to its other reads, in its `selectors.py`:

    from mobilization.workqueue import work_item

    @work_item("roster_changes_to_decide", _("Roster changes to decide"), order=10,
               permission="members.decide_rosterchange",
               admin=("admin:members_rosterchange_changelist", {"status__exact": "pending"}))
    def roster_changes_to_decide(*, user, today):
        return RosterChange.objects.visible_to(user).pending()

The function answers a scoped queryset; the registry counts it (one query per item the user may
see, whatever the number of rows) and links to the admin changelist or portal page named.
`MobilizationConfig.ready()` imports every installed app's `selectors` module."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

__all__ = ["WorkItem", "registry", "work_item", "work_queue"]


@dataclass(frozen=True)
class WorkItem:
    key: str
    title: object
    function: object
    order: int
    permission: str
    # (URL name, query parameters) of the page that lists the rows, in the admin and the portal;
    # the parameters may be a function of the day (a window of dates).
    admin: tuple | None = None
    portal: tuple | None = None
    # "due" or "overdue" colour the count when it is not zero; "" is plain.
    tone: str = ""
    extra: dict = field(default_factory=dict)

    def link(self, place, today):
        name, params = self.admin if place == "admin" else self.portal
        params = params(today) if callable(params) else params
        url = reverse(name)
        return f"{url}?{urlencode(params)}" if params else url


class WorkQueueRegistry:
    def __init__(self):
        # Named as the admin site's: autodiscover_modules restores it if an import fails.
        self._registry = {}

    def register(self, key, title, *, order, permission, admin=None, portal=None, tone=""):
        def decorate(function):
            if key in self._registry and self._registry[key].function is not function:
                raise ValueError(f"Work-queue item {key!r} is registered twice.")
            self._registry[key] = WorkItem(key, title, function, order, permission, admin, portal, tone)
            return function

        return decorate

    def items(self):
        return sorted(self._registry.values(), key=lambda item: (item.order, item.key))

    def __contains__(self, key):
        return key in self._registry


registry = WorkQueueRegistry()
work_item = registry.register


def work_queue(user, *, place="admin", today=None):
    """[{key, title, count, url, tone}] of the items `user` may see, in order. `place` is "admin"
    or "portal": an item is shown where it has a page to open."""
    if not getattr(user, "is_authenticated", False):
        return []
    today = today or timezone.localdate()
    result = []
    for item in registry.items():
        if not user.has_perm(item.permission):
            continue
        if (item.admin if place == "admin" else item.portal) is None:
            continue  # nothing to open here: the item belongs to the other place's queue
        count = item.function(user=user, today=today).count()
        result.append(
            {
                "key": item.key,
                "title": item.title,
                "count": count,
                "url": item.link(place, today),
                "tone": item.tone if count else "",
            }
        )
    return result
