from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.models import Notification
from accounts.notifications import notifications_mark_read, unread_count


@login_required
def notification_list(request):
    notes = Notification.objects.filter(user=request.user).order_by("read_at", "-created_at")[:200]
    return render(request, "notifications/list.html", {"notes": notes, "unread": unread_count(request.user)})


@require_POST
@login_required
def mark_read(request):
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()]
    notifications_mark_read(user=request.user, ids=ids or None)
    return redirect("notifications:list")


def unread_json(request):
    return JsonResponse({"unread": unread_count(request.user)})
