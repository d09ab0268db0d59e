"""Who may see what. Every app asks these helpers rather than re-deriving the rules."""

from accounts.models import Enterprise, Role


def is_platform_admin(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role == Role.PLATFORM_ADMIN)


def enterprise_visible_to(user, enterprise) -> bool:
    """An enterprise's own page: its users and platform administrators; everyone else gets a 404."""
    return enterprises_visible_to(user).filter(pk=enterprise.pk).exists()


def enterprises_visible_to(user):
    """The enterprises whose own page (credit code, review status) the asker may see: their own, or all
    for platform administrators (who review registrations)."""
    qs = Enterprise.objects.select_related("industry", "region")
    if is_platform_admin(user):
        return qs
    if user.is_authenticated and user.role == Role.ENTERPRISE and user.enterprise_id:
        return qs.filter(pk=user.enterprise_id)
    return qs.none()


def enterprises_filtered(queryset, *, status=None):
    """Narrow enterprises (already restricted to the asker's) to one review status."""
    return queryset.filter(status=status) if status else queryset
