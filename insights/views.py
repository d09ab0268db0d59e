"""指派统计's page (the dashboard and the team pages link here)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from insights.assignment_stats import assignment_stats_for, may_see_assignment_stats


@login_required
def assignment_stats(request):
    """指派统计: per team counts and median response times (the dashboard links here)."""
    if not may_see_assignment_stats(request.user):
        raise PermissionDenied
    return render(request, "insights/assignment_stats.html", {"figures": assignment_stats_for(request.user)})
