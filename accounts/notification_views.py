"""The notification centre: a user's own notices, unread first; mark one or all read; the unread count
as JSON for the navigation bar."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.notifications import notifications_mark_read, notifications_of, safe_link, unread_count
from core.api_support import as_id
from core.paging import page_of

PAGE_SIZE = 30


@login_required
@require_GET
def notification_list(request):
    notes = notifications_of(request.user)
    paging = page_of(request, notes, PAGE_SIZE)
    for note in paging["page"]:
        note.safe_link = safe_link(note.link)
    return render(
        request,
        "notifications/list.html",
        {
            **paging,
            "unread": unread_count(request.user),
        },
    )


@login_required
@require_POST
def mark_read(request):
    """`id` given: those notices (the user's own only); none given: all of them. An id that is not
    one marks nothing (it must not fall through to "all of them")."""
    given = request.POST.getlist("id")
    ids = [n for n in map(as_id, given) if n is not None]
    if len(ids) != len(given):
        messages.error(request, _("通知编号无效，未作任何更改。"))
        return redirect("notifications:list")
    count = notifications_mark_read(user=request.user, ids=ids or None)
    if not ids:
        messages.success(request, _("已将 %(n)d 条通知标为已读。") % {"n": count})
    return redirect("notifications:list")


@require_GET
@never_cache
def unread_json(request):
    return JsonResponse({"unread": unread_count(request.user)})
