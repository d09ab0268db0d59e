"""Claimable memberships: a member entered by hand or by an Appendix D import has no account. The captain
(or the college's administrator) hands the person a one-time invitation; signed in, they claim the place
and the membership gets their account. The college's administrator may also link an account of the
college directly.

The invitation's code is random (secrets.token_urlsafe, 192 bits) and only its SHA-256 hash is stored:
whoever reads the database cannot claim with it. It is shown once, when issued, to be passed on.
"""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.notifications import notify
from accounts.scope import Kind, is_team_member, users_of_kind
from teams import feedback, permissions
from teams.errors import TeamsError
from teams.models import Member, MemberClaim, MemberRole, Team
from teams.services import SERVING, _announce_portrait, _refuse_repeated_person

# How long an invitation stays valid.
CLAIM_DAYS = 14
# A team that stopped serving takes no new accounts.
CLOSED = {Team.Status.DISSOLVED, Team.Status.ARCHIVED}


def claim_issuer_of(user, team: Team) -> bool:
    """The captain, or the administrator of the team's college."""
    return permissions.college_reviewer_of(user, team) or (
        user.is_authenticated and team.members.filter(user=user, role=MemberRole.CAPTAIN).exists()
    )


def token_hash(token: str) -> str:
    return hashlib.sha256((token or "").strip().encode("utf-8")).hexdigest()


def claim_link(token: str) -> str:
    return reverse("teams:claim", args=[token])


def linkable_users(team: Team):
    """The accounts a college's administrator may link to a member: active teachers and students of the
    team's college who are not already in the team."""
    return (
        users_of_kind(Kind.MEMBER)
        .filter(college_id=team.college_id, is_active=True)
        .exclude(pk__in=team.members.filter(user__isnull=False).values("user_id"))
        .order_by("real_name", "username")
    )


def _open_claims(member: Member):
    return MemberClaim.objects.filter(member=member, used_at__isnull=True, revoked_at__isnull=True)


def _require_unlinked(member: Member) -> None:
    if member.user_id is not None:
        raise TeamsError(_("成员“%(name)s”已关联平台账号。") % {"name": member.name}, code="wrong_state")
    if member.team.status in CLOSED:
        raise TeamsError(_("小分队已撤销或归档，不能再关联账号。"), code="wrong_state")


@transaction.atomic
def member_claim_issue(*, member: Member, by) -> tuple[MemberClaim, str]:
    """A new invitation for a member without an account; earlier open ones are void. Returns the claim
    and its code, which is not stored and cannot be shown again."""
    member = Member.objects.select_for_update(of=("self",)).select_related("team__college").get(pk=member.pk)
    if not claim_issuer_of(by, member.team):
        raise TeamsError(_("只有队长或本学院管理员可以发出认领邀请。"), code="forbidden")
    _require_unlinked(member)
    now = timezone.now()
    _open_claims(member).update(revoked_at=now)
    token = secrets.token_urlsafe(24)
    claim = MemberClaim.objects.create(
        member=member, token_hash=token_hash(token), expires_at=now + timedelta(days=CLAIM_DAYS), issued_by=by
    )
    return claim, token


def claim_for_token(token: str) -> MemberClaim | None:
    """The invitation a code stands for, whatever its state (None for a code that was never issued)."""
    if not token or len(token) > 100:
        return None
    return (
        MemberClaim.objects.select_related("member__team__college")
        .filter(token_hash=token_hash(token))
        .first()
    )


def claim_open(claim: MemberClaim | None) -> bool:
    """Not used, voided or expired, and its member still without an account."""
    return (
        claim is not None
        and claim.used_at is None
        and claim.revoked_at is None
        and claim.expires_at > timezone.now()
        and claim.member.user_id is None
    )


def claim_refusal(claim: MemberClaim | None, user) -> str | None:
    """Why this user may not claim with this invitation now, or None."""
    if claim is None:
        return _("邀请码无效，请核对后重试。")
    if claim.used_at is not None:
        return _("该邀请已被使用。")
    if claim.revoked_at is not None:
        return _("该邀请已作废，请联系队长重新发出。")
    if claim.expires_at <= timezone.now():
        return _("该邀请已于 %(d)s 过期，请联系队长重新发出。") % {
            "d": timezone.localtime(claim.expires_at).strftime("%Y-%m-%d %H:%M")
        }
    member = claim.member
    if member.user_id is not None:
        return _("该成员已关联平台账号。")
    if not is_team_member(user) or user.college_id is None:
        return _("只有本校教师或学生账号可以认领小分队成员。")
    if user.college.university_id != member.team.college.university_id:
        return _("只有本校教师或学生账号可以认领该小分队的成员。")
    mine = member.team.members.filter(user=user).first()
    if mine is not None:
        return _("您已是该小分队的成员“%(name)s”（%(role)s），不能再认领其他成员。") % {
            "name": mine.name,
            "role": mine.get_role_display(),
        }
    return None


def _linked(member: Member, user, by, how: str) -> Member:
    member.user = user
    _refuse_repeated_person(member)
    member.save(update_fields=["user"])
    _open_claims(member).update(revoked_at=timezone.now())
    team = member.team
    if team.status in SERVING:
        _announce_portrait(team)
    link = reverse("teams:detail", args=[team.pk])
    notify(
        users=[u for u in feedback.team_managers(team) if u.pk != user.pk],
        kind="team",
        title=_("“%(name)s”已关联平台账号（%(how)s）：%(team)s")
        % {"name": member.name, "how": how, "team": team.name},
        body=_("账号：%(user)s") % {"user": user},
        link=link,
    )
    if by is not None and by.pk != user.pk:
        notify(
            users=[user],
            kind="team",
            title=_("您已被关联为“%(team)s”的%(role)s")
            % {"team": team.name, "role": member.get_role_display()},
            link=link,
        )
    return member


@transaction.atomic
def member_claim_redeem(*, token: str, by) -> Member:
    """The signed-in person claims the membership the invitation is for."""
    claim = claim_for_token(token)
    if claim is not None:  # locked, then read again: two people racing for one place, one wins
        claim = MemberClaim.objects.select_for_update().get(pk=claim.pk)
        claim.member = (
            Member.objects.select_for_update(of=("self",))
            .select_related("team__college")
            .get(pk=claim.member_id)
        )
    refusal = claim_refusal(claim, by)
    if refusal:
        raise TeamsError(refusal, code="invalid", field="token")
    member = _linked(claim.member, by, None, _("本人认领"))
    claim.used_at, claim.used_by = timezone.now(), by
    claim.save(update_fields=["used_at", "used_by"])
    return member


@transaction.atomic
def member_account_link(*, member: Member, user, by) -> Member:
    """The college's administrator links an account of the college to a member who has none."""
    member = Member.objects.select_for_update(of=("self",)).select_related("team__college").get(pk=member.pk)
    team = member.team
    if not permissions.college_reviewer_of(by, team):
        raise TeamsError(_("只有本学院管理员可以直接关联成员账号。"), code="forbidden")
    _require_unlinked(member)
    if user is None or not linkable_users(team).filter(pk=user.pk).exists():
        if user is not None and team.members.filter(user=user).exists():
            raise TeamsError(_("该账号已是本小分队成员。"), code="duplicate", field="user")
        raise TeamsError(_("请选择本学院在用的教师或学生账号。"), field="user")
    return _linked(member, user, by, _("学院关联"))
