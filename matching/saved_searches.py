"""Writes for saved searches (订阅): a team's standing query over newly published needs.

Only the team's members manage them (any member, not only the one who created it). Matching new needs
against them and sending the notices is matching.saved_search_notify's work, not this module's.
"""

import math

from django.db import transaction
from django.utils.translation import gettext as _

from matching.errors import MatchingError
from matching.models import SavedSearch
from reference.choices import ServiceType
from reference.models import Industry
from reference.selectors import region_get
from teams import permissions

FIELDS = {"name", "query", "industry_prefix", "region_prefix", "service_type", "min_score", "frequency"}
NAME_MAX, QUERY_MAX, MAX_WORDS = 50, 100, 10


class SavedSearchError(MatchingError):
    """A MatchingError that names the form field it is about (the page shows it there)."""

    def __init__(self, message: str, *, code: str = "invalid", field: str | None = None):
        super().__init__(message, code=code)
        self.field = field


def _text(value, *, field: str, label: str, maximum: int, required: bool = False) -> str:
    if value is not None and not isinstance(value, str):
        raise SavedSearchError(_("%(label)s格式不正确。") % {"label": label}, field=field)
    text = " ".join((value or "").split())
    if required and not text:
        raise SavedSearchError(_("请填写%(label)s。") % {"label": label}, field=field)
    if len(text) > maximum:
        raise SavedSearchError(
            _("%(label)s不能超过 %(n)d 个字。") % {"label": label, "n": maximum}, field=field
        )
    return text


def _clean(fields: dict) -> dict:
    unknown = set(fields) - FIELDS
    if unknown:
        raise SavedSearchError(_("未知的字段：%(f)s。") % {"f": "、".join(sorted(unknown))})
    data = {}
    if "name" in fields:
        data["name"] = _text(
            fields["name"], field="name", label=_("订阅名称"), maximum=NAME_MAX, required=True
        )
    if "query" in fields:
        query = _text(fields["query"], field="query", label=_("关键词"), maximum=QUERY_MAX)
        if len(query.split()) > MAX_WORDS:
            raise SavedSearchError(_("关键词最多 %(n)d 个。") % {"n": MAX_WORDS}, field="query")
        data["query"] = query
    if "industry_prefix" in fields:
        code = _text(fields["industry_prefix"], field="industry_prefix", label=_("行业代码"), maximum=8)
        code = code.upper()
        # A digit code covers the codes it prefixes (35 ⊃ 3533); a 门类 letter covers its 大类 (C ⊃ 35),
        # which search_matches finds through the need's industry chain.
        if code and not ((code.isdigit() and 2 <= len(code) <= 4) or (len(code) == 1 and code.isalpha())):
            raise SavedSearchError(
                _("行业代码请填写门类字母或 2–4 位数字代码（如 C、35、3533）。"), field="industry_prefix"
            )
        if code and not Industry.objects.filter(code=code).exists():
            raise SavedSearchError(_("未知的行业代码：%(c)s。") % {"c": code}, field="industry_prefix")
        data["industry_prefix"] = code
    if "region_prefix" in fields:
        code = _text(fields["region_prefix"], field="region_prefix", label=_("地区代码"), maximum=6)
        if code:
            region = region_get(code) if code.isdigit() else None
            if region is None:
                raise SavedSearchError(_("未知的地区代码：%(c)s。") % {"c": code}, field="region_prefix")
            code = region.code  # "331000" is stored as 台州市 "3310", the prefix of its counties
        data["region_prefix"] = code
    if "service_type" in fields:
        value = fields["service_type"] or ""
        if value and value not in ServiceType.values:
            raise SavedSearchError(_("未知的需求类型。"), field="service_type")
        data["service_type"] = value
    if "min_score" in fields:
        raw = fields["min_score"]
        try:
            score = 0.0 if raw in (None, "") else float(raw)
        except (TypeError, ValueError) as exc:
            raise SavedSearchError(_("最低匹配分应为 0 到 1 之间的数。"), field="min_score") from exc
        if not math.isfinite(score) or not 0 <= score <= 1:
            raise SavedSearchError(_("最低匹配分应为 0 到 1 之间的数。"), field="min_score")
        data["min_score"] = score
    if "frequency" in fields:
        if fields["frequency"] not in SavedSearch.Frequency.values:
            raise SavedSearchError(_("未知的通知频率。"), field="frequency")
        data["frequency"] = fields["frequency"]
    return data


@transaction.atomic
def saved_search_create(*, team, by, **fields) -> SavedSearch:
    if not permissions.team_member_of(by, team):
        raise SavedSearchError(_("只有本小分队成员可以订阅。"), code="forbidden")
    fields.setdefault("name", None)
    search = SavedSearch(team=team, owner=by, **_clean(fields))
    search.full_clean()
    search.save()
    return search


@transaction.atomic
def saved_search_update(*, search: SavedSearch, by, **fields) -> SavedSearch:
    """Change any of the fields, or pause (active=False) and resume (active=True)."""
    search = SavedSearch.objects.select_for_update().select_related("team").get(pk=search.pk)
    if not permissions.team_member_of(by, search.team):
        raise SavedSearchError(_("只有本小分队成员可以修改订阅。"), code="forbidden")
    data = _clean({k: v for k, v in fields.items() if k != "active"})
    if "active" in fields:
        data["active"] = bool(fields["active"])
    for key, value in data.items():
        setattr(search, key, value)
    search.full_clean()
    search.save()
    return search


@transaction.atomic
def saved_search_delete(*, search: SavedSearch, by) -> None:
    if not permissions.team_member_of(by, search.team):
        raise SavedSearchError(_("只有本小分队成员可以删除订阅。"), code="forbidden")
    search.delete()
