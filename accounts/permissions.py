"""Who may see what. Every app asks these helpers rather than re-deriving the rules."""

from accounts.models import Role


def is_platform_admin(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role == Role.PLATFORM_ADMIN)


def enterprise_visible_to(user, enterprise) -> bool:
    """An enterprise's own page: its users and platform administrators; everyone else gets a 404."""
    if not user.is_authenticated:
        return False
    return is_platform_admin(user) or (user.role == Role.ENTERPRISE and user.enterprise_id == enterprise.pk)
