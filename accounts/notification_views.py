"""The notification centre: a user's own notices, unread first; mark one or all read; the unread count
as JSON for the navigation bar."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Notification
from accounts.notifications import notifications_mark_read, unread_count

PAGE_SIZE = 30


def _safe_link(link: str) -> str:
    """Only links inside the platform are shown ("/needs/3/"), never another site or a script URL."""
    link = (link or "").strip()
    return link if link.startswith("/") and not link.startswith("//") and "\\" not in link else ""


@login_required
@require_GET
def notification_list(request):
    notes = Notification.objects.filter(user=request.user).order_by(
        F("read_at").asc(nulls_first=True), "-created_at", "-id"
    )
    page = Paginator(notes, PAGE_SIZE).get_page(request.GET.get("page"))
    for note in page:
        note.safe_link = _safe_link(note.link)
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "query": "",
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "unread": unread_count(request.user),
        },
    )


@login_required
@require_POST
def mark_read(request):
    """`id` given: those notices (the user's own only); none given: all of them."""
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()]
    count = notifications_mark_read(user=request.user, ids=ids or None)
    if not ids:
        messages.success(request, _("已将 %(n)d 条通知标为已读。") % {"n": count})
    return redirect("notifications:list")


@require_GET
@never_cache
def unread_json(request):
    return JsonResponse({"unread": unread_count(request.user)})
