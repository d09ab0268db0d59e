"""Writes for saved searches (订阅): only the team's members manage them."""

from django.db import transaction
from django.utils.translation import gettext as _

from matching.errors import MatchingError
from matching.models import SavedSearch
from reference.choices import ServiceType
from teams import permissions

FIELDS = {"name", "query", "industry_prefix", "region_prefix", "service_type", "min_score", "frequency"}


def _clean(fields: dict) -> dict:
    unknown = set(fields) - FIELDS
    if unknown:
        raise MatchingError(_("未知的字段：%(f)s。") % {"f": "、".join(sorted(unknown))})
    data = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    if "name" in data and not data["name"]:
        raise MatchingError(_("请填写订阅名称。"))
    if data.get("industry_prefix") and not data["industry_prefix"].isalnum():
        raise MatchingError(_("行业代码格式不正确。"))
    if data.get("region_prefix") and not data["region_prefix"].isdigit():
        raise MatchingError(_("地区代码应为数字。"))
    if data.get("service_type") and data["service_type"] not in ServiceType.values:
        raise MatchingError(_("未知的需求类型。"))
    if "min_score" in data:
        score = float(data["min_score"] or 0)
        if not 0 <= score <= 1:
            raise MatchingError(_("最低匹配分应在 0 到 1 之间。"))
        data["min_score"] = score
    if "frequency" in data and data["frequency"] not in SavedSearch.Frequency.values:
        raise MatchingError(_("未知的通知频率。"))
    return data


@transaction.atomic
def saved_search_create(*, team, by, **fields) -> SavedSearch:
    if not permissions.team_member_of(by, team):
        raise MatchingError(_("只有本小分队成员可以订阅。"), code="forbidden")
    return SavedSearch.objects.create(team=team, owner=by, **_clean(fields))


@transaction.atomic
def saved_search_update(*, search: SavedSearch, by, **fields) -> SavedSearch:
    if not permissions.team_member_of(by, search.team):
        raise MatchingError(_("只有本小分队成员可以修改订阅。"), code="forbidden")
    data = _clean({k: v for k, v in fields.items() if k != "active"})
    if "active" in fields:
        data["active"] = bool(fields["active"])
    for key, value in data.items():
        setattr(search, key, value)
    search.save()
    return search


@transaction.atomic
def saved_search_delete(*, search: SavedSearch, by) -> None:
    if not permissions.team_member_of(by, search.team):
        raise MatchingError(_("只有本小分队成员可以删除订阅。"), code="forbidden")
    search.delete()
