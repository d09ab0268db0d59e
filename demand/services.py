"""Writes for needs: draft → submitted → published (moderated) → engaged → resolved / closed / expired.

Each write validates everything first, saves inside a transaction, writes a NeedEvent, and announces a
publication after commit (matching listens; demand never imports it).
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Enterprise
from accounts.notifications import notify
from accounts.scope import acts_for_enterprise, is_enterprise_user, is_platform_admin, is_sto_admin
from core.uploads import stored_file_create
from demand.errors import DemandError
from demand.models import Need, NeedAttachment, NeedEvent, ServiceType
from demand.signals import need_published, need_withdrawn
from reference.models import Industry, Region

N = Need.Status
TITLE_MAX, DESCRIPTION_MIN, DESCRIPTION_MAX = 100, 10, 5000
BUDGET_MAX_WAN = Decimal("100000")
# Once teams may have engaged, these define what the need is and stay fixed.
FIXED_ONCE_PUBLISHED = {"title", "industry", "service_types", "region"}
EDITABLE_FIELDS = {
    "title", "description", "industry", "region", "service_types", "budget_min", "budget_max",
    "expected_start", "duration_months", "show_enterprise",
}  # fmt: skip
OPEN = {N.PUBLISHED, N.ENGAGED}


def _text(value, *, field: str, label: str, minimum: int, maximum: int) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        raise DemandError(_("%(label)s格式不正确。") % {"label": label}, field=field)
    if not text:
        raise DemandError(_("请填写%(label)s。") % {"label": label}, field=field)
    # Letters and digits of any script count as words; emoji, symbols and punctuation do not, so a title
    # of four emoji is refused instead of waiting for recommendations that can never come.
    if sum(ch.isalnum() for ch in text) < minimum:
        raise DemandError(
            _("%(label)s至少 %(n)d 个字（表情和符号不算）。") % {"label": label, "n": minimum}, field=field
        )
    if len(text) > maximum:
        raise DemandError(
            _("%(label)s不能超过 %(n)d 个字（当前 %(len)d 个）。")
            % {"label": label, "n": maximum, "len": len(text)},
            field=field,
        )
    return text


def _decimal(value, *, field: str, label: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise DemandError(_("%(label)s应为数字。") % {"label": label}, field=field) from exc
    if not number.is_finite() or number < 0 or number > BUDGET_MAX_WAN:
        raise DemandError(_("%(label)s应在 0 到 100000 万元之间。") % {"label": label}, field=field)
    return number.quantize(Decimal("0.01"))


def clean_need_fields(fields: dict) -> dict:
    """Validate and normalise whatever of a need's fields are given; raise on the first problem."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise DemandError(_("未知的字段：%(f)s。") % {"f": "、".join(sorted(unknown))})
    out = {}
    if "title" in fields:
        out["title"] = _text(
            fields["title"], field="title", label=_("需求标题"), minimum=4, maximum=TITLE_MAX
        )
    if "description" in fields:
        out["description"] = _text(
            fields["description"],
            field="description",
            label=_("需求描述"),
            minimum=DESCRIPTION_MIN,
            maximum=DESCRIPTION_MAX,
        )
    if "industry" in fields:
        value = fields["industry"]
        industry = (
            value
            if isinstance(value, Industry)
            else Industry.objects.filter(code=str(value or "").strip()).first()
        )
        if industry is None:
            raise DemandError(_("未知的行业代码：%(c)s。") % {"c": value}, field="industry")
        out["industry"] = industry
    if "region" in fields:
        value = fields["region"]
        region = (
            value
            if isinstance(value, Region)
            else Region.objects.filter(code=str(value or "").strip()).first()
        )
        if region is None:
            raise DemandError(_("未知的行政区划代码：%(c)s。") % {"c": value}, field="region")
        out["region"] = region
    if "service_types" in fields:
        values = fields["service_types"] or []
        if isinstance(values, str) or not all(isinstance(v, str) for v in values):
            raise DemandError(_("需求类型格式不正确。"), field="service_types")
        bad = [v for v in values if v not in ServiceType.values]
        if bad:
            raise DemandError(_("未知的需求类型：%(v)s。") % {"v": "、".join(bad)}, field="service_types")
        if not values:
            raise DemandError(_("请至少选择一种需求类型。"), field="service_types")
        out["service_types"] = list(dict.fromkeys(values))
    for key, label in (("budget_min", _("预算下限")), ("budget_max", _("预算上限"))):
        if key in fields:
            out[key] = _decimal(fields[key], field=key, label=label)
    if "expected_start" in fields:
        value = fields["expected_start"]
        if value not in (None, "") and not isinstance(value, date):
            try:
                value = date.fromisoformat(str(value))
            except ValueError as exc:
                raise DemandError(_("期望开始日期格式应为 YYYY-MM-DD。"), field="expected_start") from exc
        out["expected_start"] = value or None
    if "duration_months" in fields:
        value = fields["duration_months"]
        if value in (None, ""):
            out["duration_months"] = None
        else:
            try:
                months = int(value)
            except (TypeError, ValueError) as exc:
                raise DemandError(_("预计周期应为整数月。"), field="duration_months") from exc
            if not 1 <= months <= 120:
                raise DemandError(_("预计周期应在 1 到 120 个月之间。"), field="duration_months")
            out["duration_months"] = months
    if "show_enterprise" in fields:
        out["show_enterprise"] = bool(fields["show_enterprise"])
    return out


def _check_budget(need: Need) -> None:
    if need.budget_min is not None and need.budget_max is not None and need.budget_min > need.budget_max:
        raise DemandError(_("预算下限不能高于预算上限。"), field="budget_min")


def _owner(user, need: Need) -> bool:
    return acts_for_enterprise(user, need.enterprise_id)


def _moderator(user) -> bool:
    return is_platform_admin(user) or is_sto_admin(user)


def _event(need: Need, action: str, source: str, by, *, changes=None, comment: str = "") -> None:
    NeedEvent.objects.create(
        need=need,
        action=action,
        from_status=source,
        to_status=need.status,
        actor=by,
        changes=changes or {},
        comment=comment,
    )


def _announce(need: Need, signal) -> None:
    need_id = need.pk
    transaction.on_commit(lambda: signal.send(sender=Need, need_id=need_id))


def _require_approved(enterprise) -> None:
    """Only an enterprise whose registration passed review may draft, submit or have published a need:
    a draft kept from before (or seeded) must not reach the need hall through the later steps."""
    if not enterprise.is_approved:
        raise DemandError(_("企业注册尚未通过审核，暂不能发布需求。"), code="forbidden")


@transaction.atomic
def need_create(*, by, **fields) -> Need:
    """An enterprise user drafts a need; region defaults to the enterprise's."""
    if not is_enterprise_user(by) or by.enterprise_id is None:
        raise DemandError(_("只有企业用户可以发布技术需求。"), code="forbidden")
    _require_approved(by.enterprise)
    fields.setdefault("region", by.enterprise.region)
    fields.setdefault("industry", by.enterprise.industry)
    for required in ("title", "description", "service_types"):
        fields.setdefault(required, None)
    cleaned = clean_need_fields(fields)
    need = Need(enterprise=by.enterprise, created_by=by, status=N.DRAFT, **cleaned)
    _check_budget(need)
    need.save()
    _event(need, "create", N.DRAFT, by)
    return need


@transaction.atomic
def need_update(*, need: Need, by, **fields) -> Need:
    need = Need.objects.select_for_update().get(pk=need.pk)
    if not _owner(by, need):
        raise DemandError(_("只有发布企业可以修改该需求。"), code="forbidden")
    if need.status not in {N.DRAFT, N.SUBMITTED} | OPEN:
        raise DemandError(
            _("需求当前为“%(s)s”，不能修改。") % {"s": need.get_status_display()}, code="wrong_state"
        )
    cleaned = clean_need_fields(fields)
    if need.status in OPEN:
        fixed = {
            k for k in cleaned if k in FIXED_ONCE_PUBLISHED and _value(getattr(need, k)) != _value(cleaned[k])
        }
        if fixed:
            raise DemandError(
                _(
                    "需求发布后不能修改标题、行业、地区和需求类型（已对接的团队依据这些信息响应）；如需变更请关闭后重新发布。"
                ),
                code="wrong_state",
            )
    changes = {
        k: [_value(getattr(need, k)), _value(v)]
        for k, v in cleaned.items()
        if _value(getattr(need, k)) != _value(v)
    }
    for key, value in cleaned.items():
        setattr(need, key, value)
    _check_budget(need)
    if changes:
        need.save()
        _event(need, "edit", need.status, by, changes=changes)
        if need.status in OPEN and "description" in changes:
            _announce(need, need_published)  # the text changed: matching re-ranks
    return need


@transaction.atomic
def need_create_and_submit(*, by, submit: bool = True, **fields) -> Need:
    """保存并提交审核: draft a new need and submit it for moderation, both or neither (the page's
    submit button and the API's `submit` flag). With submit=False it is saved as a draft only."""
    need = need_create(by=by, **fields)
    if submit:
        need = need_submit(need=need, by=by)
    return need


@transaction.atomic
def need_update_and_submit(*, need: Need, by, submit: bool = True, **fields) -> Need:
    """Save changes to a need and submit it for moderation, both or neither (the page's submit button
    on a draft). With submit=False the changes are saved only."""
    need = need_update(need=need, by=by, **fields)
    if submit:
        need = need_submit(need=need, by=by)
    return need


def _value(v):
    if isinstance(v, Industry | Region):
        return v.code
    if isinstance(v, Decimal | date):
        return str(v)
    return v


def _move(need: Need, by, action: str, sources: set, target: str, allowed, *, comment="", stamp=None) -> Need:
    need = Need.objects.select_for_update().get(pk=need.pk)
    if not allowed(by, need):
        raise DemandError(_("您无权执行该操作。"), code="forbidden")
    if need.status not in sources:
        raise DemandError(
            _("需求当前为“%(s)s”，不能执行该操作。") % {"s": need.get_status_display()}, code="wrong_state"
        )
    source = need.status
    need.status = target
    if stamp:
        setattr(need, stamp, timezone.now())
    need.save()
    _event(need, action, source, by, comment=comment)
    return need


@transaction.atomic
def need_submit(*, need: Need, by) -> Need:
    if _owner(by, need):  # anyone else is refused by _move, without learning about the enterprise
        _require_approved(Enterprise.objects.get(pk=need.enterprise_id))  # as it is now, not as cached
    return _move(need, by, "submit", {N.DRAFT}, N.SUBMITTED, _owner, stamp="submitted_at")


@transaction.atomic
def need_moderate(*, need: Need, by, approve: bool, comment: str = "") -> Need:
    """A platform administrator or the S&T office publishes a submitted need, or returns it to draft."""
    if approve and _moderator(by):  # anyone else is refused by _move, without a look at the enterprise
        enterprise = Enterprise.objects.get(pk=need.enterprise_id)
        if not enterprise.is_approved:
            raise DemandError(
                _("发布企业“%(e)s”的注册尚未通过审核，不能发布其需求；请先审核该企业，或退回需求。")
                % {"e": enterprise.name},
                code="wrong_state",
            )
    if approve:
        need = _move(
            need, by, "publish", {N.SUBMITTED}, N.PUBLISHED, lambda u, n: _moderator(u), stamp="published_at"
        )
        _announce(need, need_published)
        _tell_enterprise(need, _("需求已发布：%(t)s") % {"t": need.title}, "")
        return need
    if not (comment or "").strip():
        raise DemandError(_("退回需求需要填写原因。"), code="comment_required")
    need = _move(need, by, "reject", {N.SUBMITTED}, N.DRAFT, lambda u, n: _moderator(u), comment=comment)
    _tell_enterprise(need, _("需求被退回修改：%(t)s") % {"t": need.title}, comment)
    return need


def _tell_enterprise(need: Need, title: str, body: str) -> None:
    """The moderation result, to the enterprise's users (in-app and by e-mail)."""
    notify(
        users=list(need.enterprise.users.all()),
        kind="moderation",
        title=title,
        body=body,
        link=f"/needs/{need.pk}/",
    )


@transaction.atomic
def need_close(*, need: Need, by, reason: str) -> Need:
    reason = (reason or "").strip()
    if not reason:
        raise DemandError(_("关闭需求需要填写原因。"), code="comment_required")
    if len(reason) > 200:
        raise DemandError(_("关闭原因不能超过 200 字。"))
    allowed = lambda u, n: _owner(u, n) or _moderator(u)  # noqa: E731
    need = _move(
        need, by, "close", {N.DRAFT, N.SUBMITTED} | OPEN, N.CLOSED, allowed, comment=reason, stamp="closed_at"
    )
    need.close_reason = reason
    need.save(update_fields=["close_reason"])
    _announce(need, need_withdrawn)
    return need


@transaction.atomic
def need_mark_engaged(*, need_id: int, by=None) -> None:
    """Called by matching when an engagement is agreed: the need shows as 对接中."""
    need = Need.objects.select_for_update().get(pk=need_id)
    if need.status == N.PUBLISHED:
        need.status = N.ENGAGED
        need.engaged_at = need.engaged_at or timezone.now()
        need.save(update_fields=["status", "engaged_at", "updated_at"])
        _event(need, "engage", N.PUBLISHED, by)


@transaction.atomic
def need_resolve(*, need: Need, by) -> Need:
    need = _move(
        need, by, "resolve", OPEN, N.RESOLVED, lambda u, n: _owner(u, n) or _moderator(u), stamp="resolved_at"
    )
    _announce(need, need_withdrawn)
    return need


@transaction.atomic
def need_draft_delete(*, need: Need, by) -> None:
    """The enterprise deletes a draft it no longer wants (never submitted, or returned by moderation):
    the need, its history and its attachments' files go. Anything past draft is closed, not deleted."""
    need = Need.objects.select_for_update().get(pk=need.pk)
    if not _owner(by, need):
        raise DemandError(_("只有发布企业可以删除该需求草稿。"), code="forbidden")
    if need.status != N.DRAFT:
        raise DemandError(
            _("需求当前为“%(s)s”，只有草稿可以删除；不再需要时请关闭需求。")
            % {"s": need.get_status_display()},
            code="wrong_state",
        )
    files = [a.file for a in need.attachments.all()]
    need.delete()
    # The files go once the rows are gone for good (a rollback keeps both).
    transaction.on_commit(lambda: [f.delete(save=False) for f in files])


def needs_expire(*, today: date | None = None) -> int:
    """Published needs whose expected window has passed with no engagement become expired (nightly)."""
    today = today or timezone.localdate()
    expired = 0
    for need in Need.objects.filter(status=N.PUBLISHED, expected_start__isnull=False):
        months = need.duration_months or 12
        end = need.expected_start.toordinal() + months * 30
        if end < today.toordinal():
            with transaction.atomic():
                _move(need, None, "expire", {N.PUBLISHED}, N.EXPIRED, lambda u, n: True)
                _announce(need, need_withdrawn)
            expired += 1
    return expired


MAX_ATTACHMENTS = 5


@transaction.atomic
def need_attachment_add(*, need: Need, by, upload):
    """Attach a file (checked by type, content and size; stored under a generated name, by
    core.uploads.stored_file_create, as a record's evidence is)."""
    if not _owner(by, need):
        raise DemandError(_("只有发布企业可以上传附件。"), code="forbidden")
    if need.status not in {N.DRAFT, N.SUBMITTED} | OPEN:
        raise DemandError(_("需求当前状态下不能上传附件。"), code="wrong_state")
    if need.attachments.count() >= MAX_ATTACHMENTS:
        raise DemandError(_("每条需求最多上传 %(n)d 个附件。") % {"n": MAX_ATTACHMENTS})
    attachment = stored_file_create(
        NeedAttachment,
        owner_field="need",
        owner=need,
        upload=upload,
        by=by,
        error=DemandError,
        field="file",
    )
    _event(need, "attach", need.status, by, comment=attachment.original_name)
    return attachment
