"""Recommendations in the platform with the real model: publish → ranked teams with reasons;
the tasks are idempotent; saved searches notify once."""

import pytest

from accounts.models import Notification
from demand.services import need_close
from matching import embedding_store, services
from matching.engine import text as textmod
from matching.engine.ranker import pseudo_queries
from matching.models import NeedMatchFacts, Recommendation, SavedSearch, SavedSearchHit, TextEmbedding
from matching.saved_search_notify import saved_search_digests_send
from tests.factories import build_valid_team, published_need
from tests.matching.test_embeddings import MODEL

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _model_and_fresh_cache():
    if not (MODEL / "modules.json").exists():
        pytest.skip("默认模型未构建")
    services.reset_index_cache()
    yield
    services.reset_index_cache()


@pytest.fixture
def teams():
    sewing = build_valid_team(status="active", name_suffix="缝制装备")
    sewing.service_content = "高速平缝机减振降噪、主轴动平衡、挑线机构动力学分析"
    sewing.keywords = ["缝制设备", "减振降噪"]
    sewing.save()
    pharma = build_valid_team(status="active", name_suffix="原料药工艺")
    pharma.service_content = "原料药杂质分析鉴定、合成工艺优化与质量研究"
    pharma.save()
    build_valid_team(status="draft", name_suffix="未运行")  # not serving: never recommended
    return sewing, pharma


def publish(django_capture_on_commit_callbacks, **fields):
    with django_capture_on_commit_callbacks(execute=True):
        return published_need(**fields)


def test_publishing_ranks_the_serving_teams_with_reasons(teams, django_capture_on_commit_callbacks):
    sewing, pharma = teams
    need = publish(django_capture_on_commit_callbacks)
    rows = list(Recommendation.objects.filter(need=need).order_by("rank"))
    assert [r.team_id for r in rows] == [sewing.pk, pharma.pk]
    best = rows[0].explanation
    assert sum(best["contributions"].values()) == pytest.approx(best["total"]) == pytest.approx(rows[0].score)
    assert best["reasons"] and rows[0].model_version.startswith("e5-small-q4")


def test_refreshing_twice_changes_nothing(teams, django_capture_on_commit_callbacks):
    need = publish(django_capture_on_commit_callbacks)
    before = list(Recommendation.objects.filter(need=need).values_list("team_id", "rank", "score"))
    embeddings = TextEmbedding.objects.count()
    services.need_recommendations_refresh(need_id=need.pk)
    assert list(Recommendation.objects.filter(need=need).values_list("team_id", "rank", "score")) == before
    assert TextEmbedding.objects.count() == embeddings  # nothing embedded twice


def test_a_closed_need_loses_its_recommendations(teams, django_capture_on_commit_callbacks):
    need = publish(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        need_close(need=need, by=need.enterprise.users.first(), reason="已解决")
    assert not Recommendation.objects.filter(need=need).exists()


def test_the_first_recommendation_is_stamped_once_and_outlives_the_rows(
    teams, django_capture_on_commit_callbacks
):
    from insights.dashboard import matching_funnel
    from insights.dashboard_filters import scope_of_region

    need = publish(django_capture_on_commit_callbacks)
    need.refresh_from_db()
    stamped = NeedMatchFacts.objects.get(need=need).first_recommended_at
    assert stamped is not None and stamped >= need.published_at
    services.need_recommendations_refresh(need_id=need.pk)
    assert NeedMatchFacts.objects.get(need=need).first_recommended_at == stamped  # the first time stays

    with django_capture_on_commit_callbacks(execute=True):
        need_close(need=need, by=need.enterprise.users.first(), reason="已解决")
    need.refresh_from_db()
    assert not Recommendation.objects.filter(need=need).exists()
    assert NeedMatchFacts.objects.get(need=need).first_recommended_at == stamped
    steps = {s["key"]: s["count"] for s in matching_funnel(scope_of_region(""))["steps"]}
    assert steps["recommended"] == steps["posted"] == 1


def test_a_saved_search_notifies_once_and_digests_collect(teams, django_capture_on_commit_callbacks):
    sewing, _ = teams
    captain = sewing.members.get(role="captain").user
    immediate = SavedSearch.objects.create(
        team=sewing, owner=captain, name="平缝机", query="平缝机", frequency="immediate"
    )
    daily = SavedSearch.objects.create(
        team=sewing, owner=captain, name="缝制日报", industry_prefix="35", frequency="daily"
    )
    SavedSearch.objects.create(team=sewing, owner=captain, name="无关", query="中药", frequency="immediate")
    need = publish(django_capture_on_commit_callbacks)
    assert SavedSearchHit.objects.filter(search=immediate, need=need, sent_at__isnull=False).count() == 1
    assert (
        Notification.objects.filter(user=captain, kind="saved_search", title__contains="平缝机").count() == 1
    )
    services.need_published_notify(need_id=need.pk)  # a second run sends nothing new
    assert (
        Notification.objects.filter(user=captain, kind="saved_search", title__contains="订阅“平缝机”").count()
        == 1
    )
    assert saved_search_digests_send(frequency="daily") == 1
    assert SavedSearchHit.objects.get(search=daily).sent_at is not None
    assert saved_search_digests_send(frequency="daily") == 0
    assert not SavedSearchHit.objects.filter(search__name="无关").exists()


def test_a_redelivered_publication_does_not_notify_twice(teams, django_capture_on_commit_callbacks):
    need = publish(django_capture_on_commit_callbacks)
    told = Notification.objects.filter(kind="recommended_need", link=f"/needs/{need.pk}/").count()
    assert told >= 1  # the sewing team's captain and deputy heard of it

    # the same task delivered again (a worker lost before acknowledging it)
    services.need_recommendations_refresh(need_id=need.pk)
    services.need_published_notify(need_id=need.pk)

    assert Notification.objects.filter(kind="recommended_need", link=f"/needs/{need.pk}/").count() == told


def test_a_prose_need_is_stored_as_a_passage_and_a_keyword_need_as_a_query(
    teams, django_capture_on_commit_callbacks
):
    prose = publish(django_capture_on_commit_callbacks)
    keywords = publish(
        django_capture_on_commit_callbacks, title="原料药杂质", description="原料药 杂质分析 工艺优化"
    )
    stored = set(TextEmbedding.objects.values_list("text_hash", flat=True))
    prose_text, keyword_text = services.need_texts([prose, keywords])
    assert embedding_store.text_hash(embedding_store.PASSAGE, prose_text) in stored
    assert embedding_store.text_hash(embedding_store.QUERY, prose_text) not in stored
    assert embedding_store.text_hash(embedding_store.QUERY, keyword_text) in stored
    assert embedding_store.text_hash(embedding_store.PASSAGE, keyword_text) not in stored
    with pytest.raises(ValueError, match="kind"):
        embedding_store.embed_texts([prose_text], kind="title")


def test_a_worker_embeds_the_waiting_needs_together_once(teams, django_capture_on_commit_callbacks):
    # three needs published, their tasks not yet run (a burst waiting in the queue)
    with django_capture_on_commit_callbacks(execute=False):
        needs = [published_need(title=f"高速平缝机减振降噪第{i}批") for i in range(3)]
    hashes = [embedding_store.need_text_hash(t) for t in services.need_texts(needs)]
    assert not TextEmbedding.objects.filter(text_hash__in=hashes).exists()

    # the first task embeds all three in one go; the next ones find their vectors stored
    assert services.pending_needs_embed(need_id=needs[1].pk) == 3
    assert TextEmbedding.objects.filter(text_hash__in=hashes).count() == 3
    assert services.pending_needs_embed(need_id=needs[2].pk) == 0


def test_reembed_stores_every_text_for_the_model_and_prunes_other_versions(
    teams, django_capture_on_commit_callbacks, capsys
):
    from io import StringIO

    from django.core.management import call_command

    from matching.engine.ranker import portrait_pieces, pseudo_queries
    from matching.portraits import engine_need, engine_team, serving_portraits

    need = publish(django_capture_on_commit_callbacks)
    stale = TextEmbedding.objects.create(
        model_name="old", model_version="old-model", text_hash="0" * 64, dim=1, vector=b"\0\0\0\0"
    )
    out = StringIO()
    call_command("reembed", "--prune", stdout=out)
    version = embedding_store.embedder().model_version
    portraits, pieces, _owner = portrait_pieces([engine_team(p) for p in serving_portraits()])
    expected = {
        embedding_store.need_text_hash(textmod.for_embedding(engine_need(need).text())),
        *(embedding_store.text_hash(embedding_store.PASSAGE, t) for t in pieces),
        *(embedding_store.text_hash(embedding_store.QUERY, t) for t in pseudo_queries(portraits)),
    }
    stored = set(TextEmbedding.objects.filter(model_version=version).values_list("text_hash", flat=True))
    assert expected <= stored
    assert not TextEmbedding.objects.filter(pk=stale.pk).exists()
    assert "已删除旧模型向量 1 条" in out.getvalue()
    assert "画像关键词查询" in capsys.readouterr().err  # the progress bars
    assert Recommendation.objects.filter(need=need).count() == 2


def test_a_need_of_a_few_keywords_is_ranked_by_the_keyword_need_models(
    teams, reference_data, django_capture_on_commit_callbacks
):
    from reference.models import Discipline

    sewing, pharma = teams
    csl = Discipline.objects.filter(scheme=Discipline.Scheme.CSL)
    sewing.disciplines.set(csl.filter(name="机械工程"))
    pharma.disciplines.set(csl.filter(name="药学"))
    services.reset_index_cache()
    index, _team_ids = services.team_index()
    assert index.discipline_model.labels == ["机械工程", "药学"]
    assert index.discipline_model._keyword_models is None
    # The works' pseudo-queries, which those models learn from, are embedded (and stored) only then.
    queries = {embedding_store.text_hash(embedding_store.QUERY, q) for q in pseudo_queries(index.portraits)}
    assert not TextEmbedding.objects.filter(text_hash__in=queries).exists()
    need = publish(
        django_capture_on_commit_callbacks, title="原料药杂质", description="原料药 杂质分析 工艺优化"
    )
    assert services.team_index()[0] is index
    assert index.discipline_model._keyword_models is not None  # fitted for this need
    assert TextEmbedding.objects.filter(text_hash__in=queries).count() == len(queries)
    rows = list(Recommendation.objects.filter(need=need).order_by("rank"))
    assert [r.team_id for r in rows] == [pharma.pk, sewing.pk]
    assert sum(rows[0].explanation["contributions"].values()) == pytest.approx(rows[0].score)


def test_a_portrait_change_reranks_the_open_needs_and_a_repeat_finds_nothing_to_do(
    teams, django_capture_on_commit_callbacks
):
    from matching.tasks import portrait_changed_task
    from teams.services import team_update

    sewing, pharma = teams
    # A third, unrelated team: similarities are scaled between the best and the worst team per need.
    tourism = build_valid_team(status="active", name_suffix="文旅融合")
    tourism.service_content = "乡村文化旅游线路策划与非遗展示"
    tourism.save()
    need = publish(django_capture_on_commit_callbacks)  # about a sewing machine's vibration
    before = dict(Recommendation.objects.filter(need=need).values_list("team_id", "score"))
    captain = pharma.members.get(role="captain").user
    with django_capture_on_commit_callbacks(execute=True):
        team_update(team=pharma, by=captain, service_content="高速平缝机主轴减振降噪与挑线机构动力学分析")
    after = dict(Recommendation.objects.filter(need=need).values_list("team_id", "score"))
    assert after[pharma.pk] > before[pharma.pk]
    # The same task delivered again (or the next of a burst) finds these portraits already ranked.
    assert portrait_changed_task(pharma.pk) == 0
    assert dict(Recommendation.objects.filter(need=need).values_list("team_id", "score")) == after
    # A real change since is ranked again (its task not run yet, as while it waits in the queue).
    team_update(team=sewing, by=sewing.members.get(role="captain").user, keywords=["缝制设备"])
    assert services.portraits_changed_refresh() == 3


@pytest.mark.django_db(transaction=True)
def test_the_warm_start_fits_the_index_in_its_own_thread(teams, reference_data):
    """What `dev.py serve` runs beside the server so the first publication does not wait for it."""
    import threading

    from matching.apps import warm_start
    from reference.models import Discipline

    csl = Discipline.objects.filter(scheme=Discipline.Scheme.CSL)
    teams[0].disciplines.set(csl.filter(name="机械工程"))
    teams[1].disciplines.set(csl.filter(name="药学"))

    thread = threading.Thread(target=warm_start)
    thread.start()
    thread.join(timeout=300)
    # The index is already there (the fixture reset it) and over the serving teams, its keyword-need
    # models fitted too.
    cached = services._team_indexes.cached
    assert cached is not None
    index, team_ids = cached.value
    assert sorted(team_ids) == sorted(t.pk for t in teams)
    assert index.discipline_model._keyword_models is not None


def test_a_batch_refresh_ranks_each_need_as_alone_and_drops_a_closed_ones_rows(
    teams, django_capture_on_commit_callbacks
):
    sewing, pharma = teams
    vibration = publish(django_capture_on_commit_callbacks)
    impurity = publish(
        django_capture_on_commit_callbacks,
        title="原料药杂质超标",
        description="某原料药有关物质检测中出现未知杂质，希望分析鉴定杂质结构并优化合成工艺。",
    )
    alone = {
        n.pk: list(Recommendation.objects.filter(need=n).order_by("rank").values_list("team_id", "score"))
        for n in (vibration, impurity)
    }
    assert [t for t, _ in alone[impurity.pk]] == [pharma.pk, sewing.pk]
    assert services.needs_refresh(need_ids=[vibration.pk, impurity.pk]) == 4
    for need_id, rows in alone.items():
        batched = list(
            Recommendation.objects.filter(need_id=need_id).order_by("rank").values_list("team_id", "score")
        )
        assert [t for t, _ in batched] == [t for t, _ in rows]
        # The same scores, up to float32 rounding of one matrix product against several at once.
        assert [s for _, s in batched] == pytest.approx([s for _, s in rows], abs=1e-5)
    # Closed while its withdrawal task still waits: the batch drops its rows and keeps the other's.
    need_close(need=impurity, by=impurity.enterprise.users.first(), reason="已解决")
    assert services.needs_refresh(need_ids=[vibration.pk, impurity.pk]) == 2
    assert not Recommendation.objects.filter(need=impurity).exists()
    assert Recommendation.objects.filter(need=vibration).count() == 2


def test_a_portrait_s_keywords_name_expertise_not_the_places_and_companies_it_visited(reference_data):
    services.reset_index_cache()
    text = (
        "赴台州市椒江区飞跃缝纫机有限公司走访调研，现场测试高速平缝机主轴振动。"
        "赴台州市椒江区杰克缝纫机股份有限公司走访，分析伺服电机送布机构的振动噪声。"
        "台州市黄岩区模具企业走访：注塑模具冷却水路优化与伺服电机选型。"
        "开展伺服电机调试培训，培训200余人次；举办振动测试讲座30余场。"
    )
    raw = textmod.keywords(textmod.clean(text), k=30)
    assert {"台州市", "椒江区"} & set(raw) or {"台州", "椒江"} & set(raw)  # what the filter is for
    words = services.portrait_keywords(textmod.clean(text))
    assert words and {"振动", "伺服电机"} <= set(words)
    assert not {"台州市", "台州", "椒江区", "椒江", "黄岩", "有限公司", "走访", "调研", "现场"} & set(words)
    assert not any(w.endswith("公司") for w in words)
    assert {"余人次", "余场"} & set(raw)  # a count's leftover, which jieba ranks high
    assert not {"余人次", "余场"} & set(words)


def test_a_portrait_s_keywords_leave_out_the_names_of_the_organisations_it_served(reference_data):
    services.reset_index_cache()
    partners = ["台州市椒江锦程缝纫机零部件有限公司", "浙江宏达汽车零部件有限公司", "台州缝纫机有限公司"]
    # 锦程 is new to jieba: a 字号; 宏达 is a word jieba knows, and 台州缝纫机 has no 字号 at all.
    assert services.trade_names([*partners, "台州市缝纫机行业协会", ""]) == {"锦程"}
    text = (
        "为台州市椒江锦程缝纫机零部件有限公司开展送布机构振动测试专题培训。"
        "赴台州市椒江锦程缝纫机零部件有限公司走访，后续约定跟踪主轴动平衡。"
        "为锦程开展伺服电机调试答疑；与浙江宏达汽车零部件有限公司签订合同，开展齿轮箱噪声分析。"
    )
    raw = textmod.keywords(textmod.clean(text), k=30)
    assert {"锦程", "零部件", "开展", "约定"} <= set(raw)  # what the filter is for
    cut = services.without_names(text, partners)
    assert "锦程缝纫机零部件" not in cut and "宏达" not in cut and "为锦程开展" in cut
    words = services.portrait_keywords(textmod.clean(cut), k=30, organisations=partners)
    assert {"振动", "伺服电机", "噪声"} <= set(words)
    assert not {"锦程", "宏达", "零部件", "开展", "后续", "约定", "跟踪", "专题", "答疑", "合同"} & set(words)
