"""What the signed-in user may do, for templates: `{% if may.see_dashboard %}`. Templates ask this object
instead of comparing roles; its answers come from accounts.scope, the one scope rule."""

from functools import cached_property

from accounts import scope


class Permissions:
    """Answers computed on first use (a page that asks nothing costs nothing)."""

    def __init__(self, user):
        self._user = user

    # ---------------------------------------------------------------------------- who the user is

    @cached_property
    def is_platform_admin(self) -> bool:
        return scope.is_platform_admin(self._user)

    @cached_property
    def is_sto_admin(self) -> bool:
        return scope.is_sto_admin(self._user)

    @cached_property
    def is_hum_admin(self) -> bool:
        return scope.is_hum_admin(self._user)

    @cached_property
    def is_research_office(self) -> bool:
        return self.is_sto_admin or self.is_hum_admin

    @cached_property
    def is_college_admin(self) -> bool:
        return scope.is_college_admin(self._user)

    @cached_property
    def is_enterprise(self) -> bool:
        return scope.is_enterprise_user(self._user)

    @cached_property
    def is_government(self) -> bool:
        return scope.is_government(self._user)

    @cached_property
    def is_team_member(self) -> bool:
        return scope.is_team_member(self._user)

    # ------------------------------------------------------------------------- what the user may do

    @property
    def post_needs(self) -> bool:
        """An enterprise's users post and keep their needs."""
        return self.is_enterprise

    @property
    def moderate_needs(self) -> bool:
        """Platform administrators and the S&T office moderate needs."""
        return self.is_platform_admin or self.is_sto_admin

    @property
    def assign_needs(self) -> bool:
        """指派 from the hall: platform administrators and the S&T office."""
        return self.is_platform_admin or self.is_sto_admin

    @property
    def review_college(self) -> bool:
        """A college's administrator reviews its teams' applications and records."""
        return self.is_college_admin

    @property
    def review_office(self) -> bool:
        """The S&T office reviews applications after the colleges, publishes calls, rectifies."""
        return self.is_sto_admin

    @property
    def see_team_workspace(self) -> bool:
        """Those who work on teams: members, colleges, the S&T office, platform administrators."""
        return (
            self.is_team_member or self.is_college_admin or self.is_research_office or self.is_platform_admin
        )

    @property
    def see_engagements(self) -> bool:
        """Everyone signed in but government viewers."""
        return bool(getattr(self._user, "is_authenticated", False)) and not self.is_government

    @property
    def see_assignments(self) -> bool:
        return self.see_team_workspace

    @property
    def see_assessments(self) -> bool:
        """The annual assessment: both research offices, colleges and team members of a university."""
        return self.is_research_office or self.is_college_admin or self.is_team_member

    @property
    def edit_rules(self) -> bool:
        """The S&T office revises its university's scoring rules."""
        return self.is_sto_admin

    @property
    def mark_cases(self) -> bool:
        """The S&T office marks cases exemplary."""
        return self.is_sto_admin

    @property
    def see_industry_map(self) -> bool:
        return self.is_government or self.is_sto_admin or self.is_platform_admin

    @property
    def see_dashboard(self) -> bool:
        return self.is_government or self.is_sto_admin or self.is_college_admin or self.is_platform_admin

    @property
    def export_reports(self) -> bool:
        return self.is_sto_admin or self.is_platform_admin


def permissions(request) -> dict:
    """The context processor (config.settings.base TEMPLATES): `may`, for the user of the request."""
    return {"may": Permissions(getattr(request, "user", None))}


def notices(request) -> dict:
    """`unread_notifications`: the signed-in user's unread count for the nav's badge, counted only when a
    template asks (one COUNT per page that shows the nav)."""
    from django.utils.functional import SimpleLazyObject

    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {"unread_notifications": 0}
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: user.notifications.filter(read_at__isnull=True).count()
        )
    }
