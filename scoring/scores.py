"""A team's score for a year from its counted records, item by item, with caps (Appendix C).

Exact decimals throughout. Records are taken in a canonical order (date, id), so where a cap cuts in,
the same records always lose the same points, whatever order they were fetched in; the total never
depends on the order at all. Only records that passed the college (and were not rejected by a spot
check) and fall in the year count. A record belongs to the team that claimed it; an achievement can be
claimed once (teams.records), and a visit or training two teams that share members both recorded counts
once (scoring.shared_items), so nothing counts twice across teams.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.scope import is_sto_admin
from core.errors import DomainError
from scoring.models import DEFAULT_RULES, RuleItem, RuleSet
from scoring.shared_items import left_out_ids
from teams.models import RecordType, ServiceRecord, Team
from teams.records import COUNTED

CENT = Decimal("0.01")
ZERO = Decimal("0")


class ScoringError(DomainError):
    """A scoring or assessment rule refused the action; the message is for the user (Chinese)."""


@dataclass(frozen=True)
class Rule:
    record_type: str
    points: Decimal
    unit: str
    cap: Decimal | None


@dataclass
class RecordPoints:
    record_id: int
    title: str
    date: str
    raw: Decimal  # before the cap
    counted: Decimal  # after the cap


@dataclass
class ItemScore:
    record_type: str
    label: str
    quantity: Decimal  # visits / items, or 万元
    raw: Decimal
    score: Decimal
    cap: Decimal | None
    capped: bool
    records: list[RecordPoints] = field(default_factory=list)
    points: Decimal = ZERO  # the rule: points per item, or per 万元
    unit: str = "each"


@dataclass
class TeamScore:
    team_id: int
    year: int
    rule_set_version: int
    total: Decimal
    items: list[ItemScore]


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def record_points(rule: Rule, amount_wan: Decimal | None) -> Decimal:
    if rule.unit == RuleItem.Unit.PER_WAN:
        return money((amount_wan or ZERO) * rule.points)
    return money(rule.points)


def score_records(rules: dict[str, Rule], records: list[dict]) -> tuple[Decimal, list[ItemScore]]:
    """Pure scoring: records are dicts with id, record_type, date, title, amount_wan."""
    labels = dict(RecordType.choices)
    ordered = sorted(records, key=lambda r: (str(r["date"]), r["id"]))
    items = []
    for record_type, rule in rules.items():
        mine = [r for r in ordered if r["record_type"] == record_type]
        if not mine:
            continue
        item = ItemScore(
            record_type,
            str(labels.get(record_type, record_type)),
            ZERO,
            ZERO,
            ZERO,
            rule.cap,
            False,
            points=rule.points,
            unit=rule.unit,
        )
        for r in mine:
            raw = record_points(rule, r.get("amount_wan"))
            room = raw if rule.cap is None else max(ZERO, min(raw, rule.cap - item.score))
            item.quantity += (r.get("amount_wan") or ZERO) if rule.unit == RuleItem.Unit.PER_WAN else 1
            item.raw += raw
            item.score += room
            item.records.append(RecordPoints(r["id"], r["title"], str(r["date"]), raw, room))
        item.capped = item.score < item.raw
        items.append(item)
    total = sum((i.score for i in items), ZERO)
    return money(total), items


def rules_for_year(year: int, university_id: int | None = None) -> tuple[RuleSet, dict[str, Rule]]:
    """The table in force for a university's year: its own latest version, else the platform's."""
    latest = RuleSet.objects.filter(year=year).order_by("-version")
    rule_set = None
    if university_id is not None:
        rule_set = latest.filter(university_id=university_id).first()
    if rule_set is None:
        rule_set = latest.filter(university__isnull=True).first()
    if rule_set is None:
        rule_set = rule_set_create_default(year=year)
    rules = {i.record_type: Rule(i.record_type, i.points, i.unit, i.cap) for i in rule_set.items.all()}
    return rule_set, rules


def counted_records(team_ids, year: int, *, only=None, also=()) -> dict[int, list[dict]]:
    """Each team's counted records of the year; `only`: exactly these records (a closed year's set),
    `also`: these besides the year's (records carried over from the year before)."""
    scope = Q(pk__in=only) if only is not None else Q(date__year=year) | Q(pk__in=list(also))
    mine = ServiceRecord.objects.filter(scope, team_id__in=team_ids, status__in=COUNTED)
    # The same visit or training recorded by two teams that share members counts once (shared_items).
    repeated = left_out_ids(mine)
    rows = (
        mine.exclude(pk__in=repeated)
        .values("id", "team_id", "record_type", "date", "title", "amount_wan")
        .order_by("date", "id")
    )
    out: dict[int, list[dict]] = {t: [] for t in team_ids}
    for row in rows:
        out[row["team_id"]].append(row)
    return out


def team_score(team: Team, year: int) -> TeamScore:
    return teams_scores([team.pk], year)[team.pk]


def teams_scores(team_ids, year: int, *, only=None, also=()) -> dict[int, TeamScore]:
    """Each team scored by its own university's table for the year (`only`, `also`: counted_records)."""
    team_ids = list(team_ids)
    university_of = dict(Team.objects.filter(pk__in=team_ids).values_list("pk", "college__university_id"))
    tables = {u: rules_for_year(year, u) for u in set(university_of.values())}
    records = counted_records(team_ids, year, only=only, also=also)
    out = {}
    for team_id, rows in records.items():
        rule_set, rules = tables.get(university_of.get(team_id)) or rules_for_year(year)
        total, items = score_records(rules, rows)
        out[team_id] = TeamScore(team_id, year, rule_set.version, total, items)
    return out


@transaction.atomic
def rule_set_create_default(*, year: int, by=None) -> RuleSet:
    rule_set, created = RuleSet.objects.get_or_create(
        university=None, year=year, version=1, defaults={"created_by": by}
    )
    if created:
        RuleItem.objects.bulk_create(
            [
                RuleItem(rule_set=rule_set, record_type=t, points=p, unit=u, cap=c)
                for t, p, u, c in DEFAULT_RULES
            ]
        )
    return rule_set


@transaction.atomic
def rule_set_revise(*, year: int, by, changes: dict[str, dict], note: str = "") -> RuleSet:
    """The S&T office edits its university's table for a year: a new version of its own with the changed
    items (the first starts from the platform's table); refused once the year's results are published."""
    from scoring.models import Assessment

    if not is_sto_admin(by) or not by.university_id:
        raise ScoringError(_("只有科技处管理员可以修改评分规则。"), code="forbidden")
    current, rules = rules_for_year(year, by.university_id)
    current = RuleSet.objects.select_for_update().get(pk=current.pk)
    published = Assessment.objects.filter(
        university_id=by.university_id, year=year, status=Assessment.Status.FINAL
    ).exists()
    if published or (current.frozen and current.university_id == by.university_id):
        raise ScoringError(_("%(year)d 年度考核结果已公布，评分规则已冻结。") % {"year": year}, code="frozen")
    unknown = set(changes) - set(rules)
    if unknown:
        raise ScoringError(_("未知的评分项：%(v)s。") % {"v": "、".join(sorted(unknown))})
    # `current` is the university's latest own version when it has one, else the platform's table.
    revised = RuleSet.objects.create(
        university_id=by.university_id, year=year, version=current.version + 1, created_by=by, note=note[:200]
    )
    items = []
    for record_type, rule in rules.items():
        change = changes.get(record_type, {})
        points = _non_negative(change.get("points", rule.points), _("分值"))
        cap = change.get("cap", rule.cap)
        cap = None if cap in (None, "") else _non_negative(cap, _("上限"))
        items.append(
            RuleItem(rule_set=revised, record_type=record_type, points=points, unit=rule.unit, cap=cap)
        )
    RuleItem.objects.bulk_create(items)
    return revised


def _non_negative(value, label) -> Decimal:
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise ScoringError(_("%(l)s应为数字。") % {"l": label}) from exc
    if not number.is_finite() or number < 0 or number > 1000:
        raise ScoringError(_("%(l)s应在 0 到 1000 之间。") % {"l": label})
    return money(number)
