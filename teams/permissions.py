"""Who may act on a team and see its records. Pages, the API and imports all ask these."""

from accounts.scope import is_college_admin, is_platform_admin, is_research_office, is_sto_admin, strand_of
from teams.models import MemberRole


def team_member_of(user, team) -> bool:
    return user.is_authenticated and team.members.filter(user=user).exists()


def team_manager_of(user, team) -> bool:
    """Captain and deputies run the team's paperwork."""
    return (
        user.is_authenticated
        and team.members.filter(user=user, role__in=[MemberRole.CAPTAIN, MemberRole.DEPUTY]).exists()
    )


def college_reviewer_of(user, team) -> bool:
    return is_college_admin(user) and user.college_id == team.college_id


def office_reviewer_of(user, team) -> bool:
    return (
        is_sto_admin(user)
        and user.university_id is not None
        and user.university_id == team.college.university_id
    )


def strand_reviewer_of(user, team) -> bool:
    """The research office that spot-checks this team's strand (Appendix C's note): the S&T office for
    理工类 teams, the humanities research office for 人文类 ones, of the team's university."""
    return (
        strand_of(user) == team.category
        and user.university_id is not None
        and user.university_id == team.college.university_id
    )


def team_records_visible_to(user, team) -> bool:
    """Records and evidence: the team, its college, its university's research offices (both read the
    whole assessment), platform admins."""
    return (
        team_member_of(user, team)
        or college_reviewer_of(user, team)
        or (is_research_office(user) and user.university_id == team.college.university_id)
        or is_platform_admin(user)
    )


def application_importer(user) -> bool:
    """Appendix D batches are imported by a college's administrator, or by the S&T office for one of its
    university's colleges."""
    return is_college_admin(user) or is_sto_admin(user)
