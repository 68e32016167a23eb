from .models import Notification


def notifications(request):
    """The unread count shown beside the bell in the admin and portal headers (one COUNT query)."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    return {"unread_notifications": lambda: Notification.objects.filter(recipient=user, read_at__isnull=True).count()}
