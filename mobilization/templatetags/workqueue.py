"""{% work_queue "admin" as queue %}: what waits for the signed-in user (mobilization.workqueue)."""

from django import template

from ..workqueue import work_queue as build_work_queue

register = template.Library()


@register.simple_tag(takes_context=True)
def work_queue(context, place="admin"):
    request = context.get("request")
    return build_work_queue(getattr(request, "user", None), place=place)
