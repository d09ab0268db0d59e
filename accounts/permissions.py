"""Who may see what. Every app asks these helpers rather than re-deriving the rules; the rule itself is
accounts.scope's (is_platform_admin is kept importable from here)."""

from accounts.models import Enterprise
from accounts.scope import ScopePaths, is_platform_admin, restrict

__all__ = [
    "ENTERPRISES",
    "enterprise_visible_to",
    "enterprises_filtered",
    "enterprises_visible_to",
    "is_platform_admin",
]

# An enterprise's own page: its users, and platform administrators (who review registrations).
ENTERPRISES = ScopePaths(enterprise="pk")


def enterprise_visible_to(user, enterprise) -> bool:
    """An enterprise's own page: its users and platform administrators; everyone else gets a 404."""
    return enterprises_visible_to(user).filter(pk=enterprise.pk).exists()


def enterprises_visible_to(user):
    """The enterprises whose own page (credit code, review status) the asker may see: their own, or all
    for platform administrators (who review registrations)."""
    return restrict(Enterprise.objects.select_related("industry", "region"), user, ENTERPRISES)


def enterprises_filtered(queryset, *, status=None):
    """Narrow enterprises (already restricted to the asker's) to one review status."""
    return queryset.filter(status=status) if status else queryset
