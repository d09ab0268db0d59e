"""Writes for service records and their evidence: draft → submitted → college approved or returned.

An achievement (same paper DOI or title, patent number, contract number) may be claimed by one team
only: a second claim is refused, naming the first (Appendix C: 小分队成员交叉的情况，相关项目不得重复计分).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from teams import feedback, hooks, permissions
from teams.achievements import normalise_achievement_key
from teams.errors import TeamsError
from teams.models import (
    ACHIEVEMENT_TYPES,
    AMOUNT_TOO_LARGE,
    AMOUNT_TYPES,
    MAX_AMOUNT_WAN,
    RecordTransition,
    ServiceRecord,
    Team,
)
from teams.signals import portrait_changed

R = ServiceRecord.Status
EDITABLE = {R.DRAFT, R.RETURNED}
# States in which a record has passed the college and feeds the score, the portrait and the archive.
COUNTED = {R.APPROVED, R.SPOT_UPHELD}


def _first_claim(record_type: str, key: str, exclude_pk=None) -> ServiceRecord | None:
    if not key:
        return None
    qs = ServiceRecord.objects.filter(record_type=record_type, normalised_key=key).select_related("team")
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


def _refuse_double_claim(record: ServiceRecord) -> None:
    first = _first_claim(record.record_type, record.normalised_key, record.pk)
    if first is not None:
        raise TeamsError(
            _("该成果已由“%(team)s”于 %(date)s 申报（%(title)s），同一成果不得重复计分。")
            % {"team": first.team.name, "date": first.created_at.strftime("%Y-%m-%d"), "title": first.title},
            code="double_claim",
        )


def _validate(record: ServiceRecord) -> None:
    if record.record_type in AMOUNT_TYPES and (record.amount_wan is None or record.amount_wan <= 0):
        raise TeamsError(
            _("“%(type)s”需要填写大于 0 的金额（万元）。") % {"type": record.get_record_type_display()}
        )
    if record.amount_wan is not None and record.amount_wan > MAX_AMOUNT_WAN:
        raise TeamsError(AMOUNT_TOO_LARGE, field="amount_wan")
    if record.record_type not in AMOUNT_TYPES and record.amount_wan is not None:
        record.amount_wan = None
    if record.record_type in ACHIEVEMENT_TYPES and not record.achievement_key.strip():
        raise TeamsError(
            _("“%(type)s”需要填写成果标识（论文 DOI 或题名、专利号、合同编号等），用于防止重复计分。")
            % {"type": record.get_record_type_display()}
        )
    record.normalised_key = (
        normalise_achievement_key(record.achievement_key) if record.record_type in ACHIEVEMENT_TYPES else ""
    )
    # The claim check comes first so the refusal names the first team; the database constraint still
    # holds against a race (see _save).
    _refuse_double_claim(record)
    try:
        record.full_clean(exclude=["participants"], validate_constraints=False)
    except ValidationError as exc:
        raise TeamsError("；".join(exc.messages)) from exc


def _save(record: ServiceRecord, **kwargs) -> None:
    try:
        with transaction.atomic():
            record.save(**kwargs)
    except IntegrityError as exc:  # two claims racing: the database constraint decides, same message
        _refuse_double_claim(record)
        raise TeamsError(_("该成果已被申报，同一成果不得重复计分。"), code="double_claim") from exc


@transaction.atomic
def record_create(*, team: Team, by, participants=(), **fields) -> ServiceRecord:
    if not permissions.team_member_of(by, team):
        raise TeamsError(_("只有本小分队成员可以填报服务记录。"), code="forbidden")
    record = ServiceRecord(team=team, created_by=by, **fields)
    _validate(record)
    _save(record)
    members = list(participants)
    if any(m.team_id != team.pk for m in members):
        raise TeamsError(_("参与成员必须是本小分队成员。"))
    record.participants.set(members)
    RecordTransition.objects.create(
        record=record, action="create", from_status=R.DRAFT, to_status=R.DRAFT, actor=by
    )
    return record


@transaction.atomic
def record_update(*, record: ServiceRecord, by, participants=None, **fields) -> ServiceRecord:
    record = ServiceRecord.objects.select_for_update().get(pk=record.pk)
    if not permissions.team_member_of(by, record.team):
        raise TeamsError(_("只有本小分队成员可以修改服务记录。"), code="forbidden")
    if record.status not in EDITABLE:
        raise TeamsError(
            _("服务记录当前为“%(status)s”，不能修改。") % {"status": record.get_status_display()},
            code="wrong_state",
        )
    for name, value in fields.items():
        setattr(record, name, value)
    _validate(record)
    _save(record)
    if participants is not None:
        participants = list(participants)
        if any(m.team_id != record.team_id for m in participants):
            raise TeamsError(_("参与成员必须是本小分队成员。"))
        record.participants.set(participants)
    return record


RECORD_STEPS = {
    # action: (sources, target, permission, comment required)
    "submit": (EDITABLE, R.SUBMITTED, permissions.team_member_of, False),
    "approve": ({R.SUBMITTED}, R.APPROVED, permissions.college_reviewer_of, False),
    "return": ({R.SUBMITTED}, R.RETURNED, permissions.college_reviewer_of, True),
}
# The university's S&T office checks a sample of approved records before the 公示. Only the annual
# assessment takes these steps (scoring draws the sample and keeps the check), through
# record_spot_check: the record pages and API offer RECORD_STEPS alone.
SPOT_STEPS = {
    "spot_check_uphold": ({R.APPROVED}, R.SPOT_UPHELD, permissions.strand_reviewer_of, False),
    "spot_check_reject": ({R.APPROVED}, R.SPOT_REJECTED, permissions.strand_reviewer_of, True),
}
ACTION_LABELS = {
    "submit": _("提交审核"),
    "approve": _("审核通过"),
    "return": _("退回修改"),
    "spot_check_uphold": _("抽查通过"),
    "spot_check_reject": _("抽查不通过"),
    "spot_check": _("抽查"),  # the history's name for spot checks written before SPOT_STEPS
}
# The team hears of a decision that sends its record back or takes it out of the count.
# Guideline 9 (快速反馈): every decision on a record reaches its author and the team's managers.
NOTIFIED = {
    R.APPROVED: _("服务记录已通过学院审核"),
    R.RETURNED: _("服务记录被退回修改"),
    R.SPOT_UPHELD: _("服务记录抽查通过"),
    R.SPOT_REJECTED: _("服务记录抽查不通过"),
}


@transaction.atomic
def record_transition(*, record: ServiceRecord, action: str, by, comment: str = "") -> ServiceRecord:
    """A step of the record's review (submit, approve, return), as the pages and the API offer it."""
    return _step(record, action, RECORD_STEPS, by, comment)


@transaction.atomic
def record_spot_check(*, record: ServiceRecord, upheld: bool, by, reason: str = "") -> ServiceRecord:
    """The spot-check decision of the record's strand office on an approved record (called by scoring's
    assessment)."""
    return _step(record, "spot_check_uphold" if upheld else "spot_check_reject", SPOT_STEPS, by, reason)


def _step(record: ServiceRecord, action: str, steps: dict, by, comment: str) -> ServiceRecord:
    if action not in steps:
        raise TeamsError(_("未知的操作：%(action)s。") % {"action": action}, code="unknown_action")
    sources, target, allowed, needs_comment = steps[action]
    record = ServiceRecord.objects.select_for_update(of=("self",)).select_related("team").get(pk=record.pk)
    label = ACTION_LABELS[action]
    if not allowed(by, record.team):
        raise TeamsError(_("您无权对该服务记录执行“%(label)s”。") % {"label": label}, code="forbidden")
    if record.status not in sources:
        raise TeamsError(
            _("服务记录当前为“%(status)s”，不能执行“%(label)s”。")
            % {"status": record.get_status_display(), "label": label},
            code="wrong_state",
        )
    comment = (comment or "").strip()
    if needs_comment and not comment:
        raise TeamsError(_("“%(label)s”需要填写意见。") % {"label": label}, code="comment_required")
    if action == "approve":
        refusal = hooks.approval_refusal(record)
        if refusal:
            raise TeamsError(refusal, code="year_closed")
    if action == "submit" and not record.evidence.exists():
        raise TeamsError(_("请先上传佐证材料再提交审核。"), code="evidence_required")
    source = record.status
    record.status = target
    if action in {"approve", "return"}:
        record.review_comment = comment
    record.save(update_fields=["status", "review_comment", "updated_at"])
    RecordTransition.objects.create(
        record=record, action=action, from_status=source, to_status=target, actor=by, comment=comment
    )
    if target in COUNTED or source in COUNTED:
        # Into the count or out of it (a spot-check rejection): the portrait and the ranking follow now.
        team_id = record.team_id
        transaction.on_commit(lambda: portrait_changed.send(sender=Team, team_id=team_id))
    if target in NOTIFIED:
        feedback.record_decided(record, NOTIFIED[target], comment)
    return record
