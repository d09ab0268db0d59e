"""Recommendations in the platform: rank the serving teams for a need, and needs for a team.

The fitted TeamIndex is kept per process and rebuilt when the portraits change (a fingerprint of the
serving teams and their update times). Vectors come from the database cache (embedding_store), so a
rebuild only embeds texts that changed.
"""

import hashlib
import logging
import re
from collections.abc import Iterable
from functools import lru_cache

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import Notification
from accounts.notifications import notify
from demand.models import Need
from matching import embedding_store, hooks
from matching.engine import text as textmod
from matching.engine.evaluation import discipline_categories
from matching.engine.ranker import TeamIndex, portrait_pieces, pseudo_queries
from matching.engine.structured import StructuredFacts
from matching.index_cache import Built, IndexCache
from matching.learning import active_weights
from matching.models import NeedMatchFacts, Recommendation, TextEmbedding
from matching.portraits import engine_need, engine_team, serving_portraits
from reference.models import Industry, Region
from reference.selectors import haversine_km
from teams.selectors import teams_serving
from teams.services import team_extracted_keywords_set

logger = logging.getLogger(__name__)
TOP_N = 20  # recommendations kept per need
NOTIFY_MIN_SCORE = 0.5  # a team hears of a new need it ranks this well for
OPEN_NEEDS = (Need.Status.PUBLISHED, Need.Status.ENGAGED)

# The lru_caches below are lookups of reference data, which is loaded once and not edited while the
# platform runs: _sections (industry code → 门类), _place_names (the regions' names), _seat (a region's
# coordinates) and _trade_name (a pure function of a company's name, the place names and jieba's
# dictionary). reset_index_cache() clears them with the team index (tests load reference data anew).


@lru_cache(maxsize=1)
def _sections() -> dict[str, str]:
    """Industry code → its 门类 letter, for the structured industry fit."""
    parents = dict(Industry.objects.values_list("code", "parent__code"))
    out = {}
    for code in parents:
        top = code
        while parents.get(top):
            top = parents[top]
        out[code] = top
    return out


# Words a portrait's 专长关键词 should not show: whom and where a team served, not what it knows. Service
# records ("赴台州市椒江区某有限公司走访调研") are part of the portrait's text, so their places, company
# words and visit words ranked among a team's keywords. They stay in the text the ranker reads.
NOT_EXPERTISE = frozenset(
    {"有限公司", "股份有限公司", "有限责任公司", "走访", "调研", "座谈", "上门", "现场"}
    # The words service records tell their work in (开展专题培训, 后续约定跟踪, 签订合同): what a team did
    # and how, not what it knows.
    | {"开展", "后续", "约定", "跟踪", "专题", "合同", "签订", "完成", "协助", "对接", "攻关", "指导"}
    | {"服务", "培训", "活动", "需求", "企业", "团队", "报告", "毕业设计", "进步奖", "获奖", "sci"}
    | {"了解", "面向", "答疑", "讲授", "实施", "为例", "横向", "联合", "技术人员"}
)
# A company's name ends in one of these; what its name says before it, after the place, is its 字号.
_COMPANY_SUFFIX = re.compile(r"(股份有限公司|有限责任公司|有限公司|集团|公司|厂)$")
# "培训200余人次", "举办30余场": jieba cuts the number off and leaves 余人次 / 余场, a count, not a topic.
_COUNT_FRAGMENT = re.compile(r"余[人场家项次名个篇件台套批期户亩]")
_REGION_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "地区", "省", "市", "区", "县", "盟", "旗")


@lru_cache(maxsize=1)
def _place_names() -> frozenset[str]:
    """Every region's name, and its name without the administrative suffix (台州市 → 台州)."""
    names = set()
    for name in Region.objects.values_list("name", flat=True):
        names.add(name)
        for suffix in _REGION_SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                names.add(name[: -len(suffix)])
                break
    return frozenset(names)


@lru_cache(maxsize=4096)
def _trade_name(name: str) -> str | None:
    """A company name's 字号 when jieba's dictionary does not know it: the first word after the place,
    when an industry word still follows (台州市椒江锦程缝纫机零部件有限公司 → 锦程). Cached: every rebuild
    of the team index reads every team's partners again."""
    stem = _COMPANY_SUFFIX.sub("", name)
    if not stem or stem == name:
        return None
    try:
        words = textmod.tokens(textmod.clean(stem))
    except textmod.TextError:
        return None
    places = _place_names()
    while words and words[0] in places:
        words.pop(0)
    if len(words) >= 2 and 2 <= len(words[0]) <= 4 and not textmod.tokenizer().FREQ.get(words[0]):
        return words[0]
    return None


def trade_names(organisations: Iterable[str]) -> set[str]:
    """The 字号 of the companies among the organisations (see _trade_name). Records shorten a partner to
    its 字号 (为锦程开展培训), so cutting the full names alone is not enough. A word jieba knows (宏达, 汽车,
    印染) is left alone: it may as well be the team's field."""
    names = {(n or "").strip() for n in organisations}  # a partner's name recurs in its records
    return {t for t in map(_trade_name, names) if t}


def without_names(text: str, organisations: Iterable[str]) -> str:
    """The text with the organisations' full names cut out: a partner's name, repeated in every record
    of the work done for it, says whom the team served, not what it knows."""
    for name in sorted(
        {n.strip() for n in organisations if n and len(n.strip()) >= 4}, key=len, reverse=True
    ):
        text = text.replace(name, "。")
    return text


def portrait_keywords(text: str, k: int = 10, *, organisations: Iterable[str] = ()) -> list[str]:
    """The k most topical words of a portrait's text that name expertise: not places, visits, the names
    of the organisations the team served or their 字号 (its records name them again and again)."""
    organisations = list(organisations)
    places, trades = _place_names(), trade_names(organisations)
    words = textmod.keywords(textmod.clean(without_names(text, organisations)), k=k * 3)
    return [
        w
        for w in words
        if w not in NOT_EXPERTISE
        and w not in places
        and w not in trades
        and not w.endswith("公司")
        and not _COUNT_FRAGMENT.match(w)
    ][:k]


@lru_cache(maxsize=4096)
def _seat(code: str):
    region = Region.objects.filter(code=code).values("longitude", "latitude").first()
    if not region or region["longitude"] is None:
        return None
    return float(region["longitude"]), float(region["latitude"])


def _distance(a: str, b: str) -> float | None:
    sa, sb = _seat(a), _seat(b)
    return None if sa is None or sb is None else haversine_km(*sa, *sb)


def _fingerprint() -> str:
    # Portrait changes touch the team's updated_at (see receivers), so this catches every change.
    ids = ",".join(map(str, teams_serving().order_by("id").values_list("id", flat=True)))
    latest = teams_serving().aggregate(latest=Max("updated_at"))["latest"]
    raw = f"{latest}|{ids}|{embedding_store.embedder().model_version}|{active_weights()[0]}"
    return hashlib.sha256(raw.encode()).hexdigest()


def _team_facts(team_ids: list[int], portraits) -> list[StructuredFacts]:
    activity = hooks.team_activity(team_ids)
    facts = []
    for data in portraits:
        row = activity.get(data.team_id, hooks.TeamActivity())
        facts.append(
            StructuredFacts(
                industry_codes=data.industry_codes,
                region_codes=data.region_codes,
                service_types=data.service_types,
                open_engagements=row.open,
                completed_engagements=row.completed,
                mean_rating=row.mean_rating,
            )
        )
    return facts


def _query_embedder(queries: list[str]):
    """Embeds (through the store) the pseudo-queries at the positions asked for: the discipline model
    asks once, for its sample, when the keyword models are first fitted (at start-up, see apps.py)."""

    def embed(positions):
        return embedding_store.embed_texts([queries[i] for i in positions], kind=embedding_store.QUERY)

    return embed


def _team_index_build(
    previous: tuple[TeamIndex, list[int]] | None,
) -> Built[tuple[TeamIndex, list[int]]] | None:
    """The index over the serving teams, and the portraits' extracted keywords written once it is
    kept; None when no team serves."""
    portraits = serving_portraits()
    if not portraits:
        return None
    engine_portraits, texts, owner = portrait_pieces([engine_team(p) for p in portraits])
    vectors = embedding_store.embed_texts(texts, kind=embedding_store.PASSAGE)
    queries = pseudo_queries(engine_portraits)
    index = TeamIndex(
        engine_portraits,
        vectors,
        owner,
        keyword_queries=(queries, _query_embedder(queries)),
        category_of=discipline_categories(),
        facts=_team_facts([p.team_id for p in portraits], portraits),
        section_of=_sections().get,
        distance_km=_distance,
        weights=active_weights()[1],
        # A record approved or a statement edited refits nothing; the nightly refresh refits.
        discipline_model=previous[0].discipline_model if previous is not None else None,
    )

    def keywords_store() -> None:
        for data, portrait in zip(portraits, engine_portraits, strict=True):
            words = portrait_keywords(
                "。".join(w.text() for w in portrait.works),
                organisations=[*data.served_enterprises, *(w["organisation"] for w in data.works)],
            )
            if words != data.extracted_keywords:
                team_extracted_keywords_set(team_id=data.team_id, keywords=words)

    return Built((index, [p.team_id for p in portraits]), then=keywords_store)


# The fitted index over the serving teams, kept per process and rebuilt when the fingerprint changes.
_team_indexes: IndexCache[tuple[TeamIndex, list[int]]] = IndexCache(_fingerprint, _team_index_build)


def team_index() -> tuple[TeamIndex, list[int]] | None:
    """The fitted index over the serving teams (None when no team serves)."""
    return _team_indexes.get()


def _need_facts(need: Need) -> StructuredFacts:
    return StructuredFacts(
        industry_codes=[need.industry.code],
        region_codes=[need.region.code],
        service_types=list(need.service_types),
    )


def _rank_needs(needs: list[Need], k: int):
    built = team_index()
    if built is None:
        return None, [], None
    index, team_ids = built
    engine_needs = [engine_need(n) for n in needs]
    vectors = embedding_store.embed_need_texts(need_texts(needs))
    ranking = index.rank(engine_needs, vectors, need_facts=[_need_facts(n) for n in needs], k=k)
    return index, team_ids, (engine_needs, ranking.rows, ranking.discipline_probabilities)


@transaction.atomic
def need_recommendations_refresh(*, need_id: int, ranking=None) -> int:
    """Rank the serving teams for one published need and store the top ones with their reasons.
    Idempotent: running it twice leaves the same rows. ranking: this need's row of a _rank_needs
    result made for many needs at once (needs_refresh), stored as is."""
    # The row lock serialises two deliveries of the same need (a redelivered message racing the
    # original): the second waits, then replaces the first one's rows instead of colliding with them.
    need = Need.objects.select_for_update(of=("self",)).select_related("industry", "region")
    need = need.filter(pk=need_id).first()
    if need is None or need.status not in OPEN_NEEDS:
        Recommendation.objects.filter(need_id=need_id).delete()
        return 0
    index, team_ids, result = ranking or _rank_needs([need], TOP_N)
    Recommendation.objects.filter(need=need).delete()
    if index is None:
        return 0
    engine_needs, ranked, probabilities = result
    version = embedding_store.embedder().model_version
    rows = []
    for position, item in enumerate(ranked[0], start=1):
        explanation = index.explain(
            engine_needs[0], item, probabilities_row=None if probabilities is None else probabilities[0]
        )
        rows.append(
            Recommendation(
                need=need,
                team_id=team_ids[item.team],
                rank=position,
                score=round(item.score, 6),
                explanation=explanation.as_dict(),
                model_version=version,
            )
        )
    Recommendation.objects.bulk_create(rows)
    if rows:
        # The funnel's "获得推荐" step counts this stamp, which outlives the rows above.
        NeedMatchFacts.objects.get_or_create(
            need_id=need.pk, defaults={"first_recommended_at": timezone.now()}
        )
    return len(rows)


def need_texts(needs) -> list[str]:
    """The exact texts a need is embedded as (the keys of its stored vectors)."""
    return [textmod.for_embedding(engine_need(n).text()) for n in needs]


def needs_refresh(*, need_ids: list[int], chunk: int = 16) -> int:
    """Embed and rank many needs: one encoder call and one ranking per chunk, then each need's rows
    stored and committed on its own (under its lock, as a single need's are). A run cut short keeps
    every finished need; running it again redoes only the ranking."""
    total = 0
    for start in range(0, len(need_ids), chunk):
        part = need_ids[start : start + chunk]
        needs = list(
            Need.objects.filter(pk__in=part, status__in=OPEN_NEEDS).select_related("industry", "region")
        )
        embedding_store.embed_need_texts(need_texts(needs))
        index, team_ids, result = _rank_needs(needs, TOP_N) if needs else (None, [], None)
        rankings = {}
        if index is not None:
            engine_needs, ranked, probabilities = result
            for i, need in enumerate(needs):
                row = (
                    [engine_needs[i]],
                    [ranked[i]],
                    None if probabilities is None else probabilities[i : i + 1],
                )
                rankings[need.pk] = (index, team_ids, row)
        for need_id in part:
            # A need closed meanwhile, or one not open at all, is handled (its rows dropped) there.
            total += need_recommendations_refresh(need_id=need_id, ranking=rankings.get(need_id))
    return total


def pending_needs_embed(*, need_id: int, limit: int = 32) -> int:
    """When this need has no vector yet, embed it together with the other open needs still waiting
    for their first ranking, in one encoder call; returns how many were embedded.

    Publishing queues one task per need. Under a burst the first task to run embeds the backlog
    together (on a CPU a batch of 32 costs about what two or three single texts do), so the tasks
    after it find their vectors stored and only rank. Safe to race: vectors are stored once per text."""
    need = Need.objects.filter(pk=need_id, status__in=OPEN_NEEDS).first()
    if need is None:
        return 0
    (text,) = need_texts([need])
    stored = TextEmbedding.objects.filter(
        model_version=embedding_store.embedder().model_version, text_hash=embedding_store.need_text_hash(text)
    )
    if stored.exists():
        return 0
    others = Need.objects.filter(status__in=OPEN_NEEDS, recommendations__isnull=True).exclude(pk=need_id)
    needs = [need, *others.order_by("id")[: limit - 1]]
    embedding_store.embed_need_texts(need_texts(needs))
    return len(needs)


def portraits_changed_refresh() -> int:
    """After portraits changed: every open need re-ranked, unless this process has already done so
    on these very portraits. A college approving twenty records queues twenty of these tasks; the
    first to run sees all twenty changes and the others find nothing left to do."""
    key = _team_indexes.fingerprint()
    if _team_indexes.refreshed_on(key):
        return 0
    count = recommendations_refresh_all()
    # The fingerprint from before the refresh: a change made during it still gets its own refresh.
    _team_indexes.mark_refreshed(key)
    return count


def recommendations_refresh_all() -> int:
    """Every open need against the current portraits (the nightly refresh, and after a portrait changes)."""
    ids = list(Need.objects.filter(status__in=OPEN_NEEDS).order_by("id").values_list("id", flat=True))
    return needs_refresh(need_ids=ids, chunk=64)


def need_published_notify(*, need_id: int) -> int:
    """Tell the captains and deputies of well-matched teams about a new need (once per need and team)."""
    from matching.saved_search_notify import saved_searches_match

    sent = 0
    link = f"/needs/{need_id}/"
    for rec in Recommendation.objects.filter(need_id=need_id, score__gte=NOTIFY_MIN_SCORE).select_related(
        "team", "need"
    ):
        users = [
            m.user
            for m in rec.team.members.filter(role__in=["captain", "deputy"]).select_related("user")
            if m.user
        ]
        # The task may run twice for one publication (redelivery): a user already told is skipped.
        told = set(
            Notification.objects.filter(user__in=users, kind="recommended_need", link=link).values_list(
                "user_id", flat=True
            )
        )
        users = [u for u in users if u.pk not in told]
        if not users:
            continue
        notify(
            users=users,
            kind="recommended_need",
            title=f"新的推荐需求：{rec.need.title}",
            body="；".join(rec.explanation.get("reasons", [])),
            link=link,
        )
        sent += 1
    saved_searches_match(need_id=need_id)
    return sent


def reset_index_cache() -> None:
    _team_indexes.invalidate()
    _sections.cache_clear()
    _seat.cache_clear()
    _place_names.cache_clear()
    _trade_name.cache_clear()
