"""Notifications: one call writes the in-app notice and sends the e-mail through Django's mail backend."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Notification


def notify(*, users, kind: str, title: str, body: str = "", link: str = "") -> list[Notification]:
    """Notify each active user once; mail is sent after the surrounding transaction commits."""
    recipients = [u for u in dict.fromkeys(users) if u is not None and u.is_active]
    notes = Notification.objects.bulk_create(
        [Notification(user=u, kind=kind, title=title[:200], body=body, link=link) for u in recipients]
    )
    message = f"{body}\n\n{link}".strip()
    # One message per recipient: a shared To: line would show every address to everyone.
    mails = [(title, message, settings.DEFAULT_FROM_EMAIL, [u.email]) for u in recipients if u.email]
    if mails:
        transaction.on_commit(lambda: send_mass_mail(mails, fail_silently=True))
    return notes


def notifications_mark_read(*, user, ids=None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


def notifications_of(user):
    """A user's own notices, unread first, newest first; nobody else's, ever."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(user=user).order_by(
        F("read_at").asc(nulls_first=True), "-created_at", "-id"
    )


def notifications_filtered(qs, *, unread: bool | None = None):
    """Only the unread notices (`unread=True`), or only those already read (`False`)."""
    if unread is None:
        return qs
    return qs.filter(read_at__isnull=unread)


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def safe_link(link: str) -> str:
    """Only links inside the platform are shown ("/needs/3/"), never another site or a script URL."""
    link = (link or "").strip()
    return link if link.startswith("/") and not link.startswith("//") and "\\" not in link else ""
