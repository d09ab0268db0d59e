"""The framework-free engine: text, lexical and vector search, metrics, corpus, ranker explanations."""

import json
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from matching.engine import metrics, text
from matching.engine.corpus import CorpusError, load_corpus
from matching.engine.evaluation import keyword_need
from matching.engine.lexical import LexicalIndex
from matching.engine.portrait import Need, TeamPortrait, Work
from matching.engine.ranker import TeamIndex, encode_needs, need_embedding_kind
from matching.engine.structured import StructuredFacts, industry_fit, region_fit, service_type_fit
from matching.engine.vector_index import ExactIndex


class TestText:
    def test_it_folds_full_width_traditional_and_html(self):
        assert text.clean("<p>ＡＢＣ１２３&nbsp;軟體</p><script>alert(1)</script>") == "ABC123 软件"

    @pytest.mark.parametrize("bad", ["", "   \n\t", "😀😀🎉", "。。。！！"])
    def test_it_refuses_text_with_nothing_to_match(self, bad):
        with pytest.raises(text.TextError):
            text.clean(bad)

    def test_it_refuses_a_100k_character_text(self):
        with pytest.raises(text.TextError) as exc:
            text.clean("模" * 100_001)
        assert "过长" in str(exc.value)

    def test_project_dictionary_terms_stay_whole(self):
        words = text.tokens("我司缝制设备的伺服电机在注塑模具车间出现振动")
        assert {"缝制设备", "伺服电机", "注塑模具"} & set(words)
        assert "伺服电机" in words

    def test_stopwords_and_punctuation_are_dropped(self):
        words = text.tokens("本文采用了一种方法，研究结果表明：效果很好。")
        assert "本文" not in words and "，" not in words

    def test_keywords_of_a_real_need(self):
        need = (
            "高速平缝机在4000针每分钟以上时机头振动偏大，噪声超过80分贝，希望对主轴和挑线机构进行减振降噪优化"
        )
        keywords = text.keywords(text.clean(need), k=5)
        assert len(keywords) == 5 and any(
            k in {"减振降噪", "振动", "噪声", "平缝机", "挑线"} for k in keywords
        )

    def test_measurements_are_not_keywords(self):
        # csl-dev N0121's abstract: its yields per mu ("2600kg", "667m2") rank high by IDF but name no topic.
        need = "萍辣1号辣椒抗病性强，坐果率高，平均每667m2产量2600kg，比对照增产15%"
        keywords = text.keywords(text.clean(need), k=8)
        assert "抗病性" in keywords and "坐果" in keywords
        assert not {"667m2", "2600kg", "kg", "m2"} & set(keywords)
        assert text._MEASURE.fullmatch("100mm") and text._MEASURE.fullmatch("MPa")
        assert not text._MEASURE.fullmatch("5g") and not text._MEASURE.fullmatch("co2")

    def test_topical_words_are_those_general_chinese_rarely_uses(self):
        assert [w for w in ("平缝机", "伺服电机", "减振", "焊接") if text.is_topical(w)] == [
            "平缝机",
            "伺服电机",
            "减振",
            "焊接",
        ]
        assert not [w for w in ("了解", "方案", "完成", "开发", "团队", "10", "2600kg") if text.is_topical(w)]


def test_exact_search_matches_a_brute_force_reference():
    rng = np.random.default_rng(3)
    docs = rng.standard_normal((500, 32)).astype(np.float32)
    queries = rng.standard_normal((7, 32)).astype(np.float32)
    index = ExactIndex(docs)
    for k in (1, 5, 50, 500):
        result = index.search(queries, k)
        brute = np.argsort(-(queries @ docs.T), axis=1, kind="stable")[:, :k]
        assert np.array_equal(np.sort(result.positions, axis=1), np.sort(brute, axis=1))
        assert np.all(np.diff(result.scores, axis=1) <= 1e-6)  # best first


def test_bm25_prefers_the_document_with_the_terms():
    index = LexicalIndex("words", "bm25").fit(["伺服电机振动抑制", "中药注射液临床疗效", "注塑模具冷却"])
    scores = index.score(["伺服电机 振动"])
    assert scores.argmax() == 0
    assert "伺服电机" in index.matched_terms("伺服电机 振动", 0)


def test_matched_terms_for_one_query_and_many_teams_follow_a_refit():
    """The query is tokenized once for all the teams it is explained against, never reused past a fit."""
    index = LexicalIndex("words", "bm25").fit(["伺服电机振动抑制", "中药注射液临床疗效"])
    first, second = (set(index.matched_terms("伺服电机 注射液", team)) for team in (0, 1))
    assert "伺服电机" in first and "注射液" not in first
    assert "注射液" in second and "伺服电机" not in second
    index.fit(["注射液灌装", "伺服电机选型"])
    first, second = (set(index.matched_terms("伺服电机 注射液", team)) for team in (0, 1))
    assert "注射液" in first and "伺服电机" not in first
    assert "伺服电机" in second and "注射液" not in second


@pytest.mark.parametrize("weighting", ["bm25", "tfidf"])
def test_matched_terms_rank_the_query_terms_by_their_summed_contribution(weighting):
    """Against a dense reference: each query term's weight times its weight in the documents asked about."""
    documents = [
        "伺服电机振动抑制与伺服驱动器参数整定",
        "中药注射液临床疗效评价与质量控制",
        "注塑模具冷却水路优化，模具温度场仿真",
        "电机振动噪声测试与模具结构改进",
    ]
    index = LexicalIndex("words", weighting).fit(documents)
    query = "伺服电机 振动 模具 冷却 质量 无关词汇"
    q = index._query_matrix([query]).toarray().ravel()
    docs = index._docs.toarray()
    vocabulary = index._vectorizer.get_feature_names_out()
    for chosen in ([0], [2], [1, 3], [0, 1, 2, 3]):
        contribution = q * docs[chosen].sum(axis=0)
        shared = np.flatnonzero(contribution > 0)
        expected = [str(vocabulary[t]) for t in shared[np.argsort(-contribution[shared], kind="stable")]]
        assert index.matched_terms(query, chosen, limit=50) == expected
        assert expected  # every choice shares a word with the query
    assert index.matched_terms("完全陌生的内容", 0) == []


class TestMetrics:
    # relevance: a=2, b=1, c=2; ranking b, x, a, c
    REL = {"a": 2, "b": 1, "c": 2}
    RANKING = ["b", "x", "a", "c"]

    def test_ndcg_by_hand(self):
        dcg = 1 / np.log2(2) + 0 + 2 / np.log2(4) + 2 / np.log2(5)
        ideal = 2 / np.log2(2) + 2 / np.log2(3) + 1 / np.log2(4)
        assert metrics.ndcg_at_k(self.RANKING, self.REL) == pytest.approx(dcg / ideal)

    def test_mrr_counts_the_first_relevance_2_team(self):
        assert metrics.reciprocal_rank(self.RANKING, self.REL) == pytest.approx(1 / 3)

    def test_recall_at_2(self):
        assert metrics.recall_at_k(self.RANKING, self.REL, k=3) == pytest.approx(0.5)


def write_corpus(directory, teams=None, needs=None, qrels=None):
    teams = teams or [
        {
            "id": "T1",
            "name": "机械",
            "disciplines": ["机械工程"],
            "works": [{"abstract": "伺服电机振动抑制与数控机床精度"}],
        },
        {
            "id": "T2",
            "name": "中医",
            "disciplines": ["中医学/中药学"],
            "works": [{"abstract": "中药注射液治疗冠心病的临床疗效"}],
        },
    ]
    needs = needs or [{"id": "N1", "title": "机床振动", "description": "数控机床伺服电机振动大"}]
    (directory / "teams.jsonl").write_text(
        "\n".join(json.dumps(t, ensure_ascii=False) for t in teams), encoding="utf-8"
    )
    (directory / "needs.jsonl").write_text(
        "\n".join(json.dumps(n, ensure_ascii=False) for n in needs), encoding="utf-8"
    )
    (directory / "qrels.tsv").write_text(
        qrels or "need_id\tteam_id\trelevance\nN1\tT1\t2\n", encoding="utf-8"
    )
    return directory


class TestCorpus:
    def test_a_broken_line_is_named(self, tmp_path):
        write_corpus(tmp_path)
        with (tmp_path / "needs.jsonl").open("a", encoding="utf-8") as fh:
            fh.write("\n{broken")
        with pytest.raises(CorpusError) as exc:
            load_corpus(tmp_path)
        assert "needs.jsonl:2" in str(exc.value)

    def test_an_unknown_id_in_qrels_is_named(self, tmp_path):
        write_corpus(tmp_path, qrels="need_id\tteam_id\trelevance\nN1\tT9\t2\n")
        with pytest.raises(CorpusError) as exc:
            load_corpus(tmp_path)
        assert "qrels.tsv:2" in str(exc.value) and "T9" in str(exc.value)

    def test_a_need_of_a_title_alone_is_read_one_without_text_is_named(self, tmp_path):
        needs = [
            {"id": "N1", "title": "机床振动", "description": ""},
            {"id": "N2", "title": "", "description": "数控机床伺服电机振动大"},
            {"id": "N3", "title": "伺服电机"},
        ]
        write_corpus(tmp_path, needs=needs)
        assert [(n.title, n.description) for n in load_corpus(tmp_path).needs] == [
            ("机床振动", ""),
            ("", "数控机床伺服电机振动大"),
            ("伺服电机", ""),
        ]
        write_corpus(tmp_path, needs=[*needs, {"id": "N4", "title": " ", "description": ""}])
        with pytest.raises(CorpusError) as exc:
            load_corpus(tmp_path)
        assert "needs.jsonl:4" in str(exc.value) and "both empty" in str(exc.value)
        write_corpus(tmp_path, needs=[{"id": "N1", "title": ["机床"], "description": ""}])
        with pytest.raises(CorpusError, match="needs.jsonl:1: field 'title'"):
            load_corpus(tmp_path)

    def test_a_text_the_engine_cannot_read_is_named_with_its_line(self, tmp_path):
        write_corpus(
            tmp_path,
            needs=[{"id": "N1", "title": "机床振动", "description": ""}, {"id": "N2", "title": "😀😀"}],
        )
        with pytest.raises(CorpusError, match="needs.jsonl:2: the need has no usable text"):
            load_corpus(tmp_path)
        teams = [{"id": "T1", "name": "甲", "disciplines": ["机械工程"], "works": [{"abstract": "🔧🔩"}]}]
        write_corpus(tmp_path, teams=teams, qrels="need_id\tteam_id\trelevance\n")
        with pytest.raises(CorpusError, match=r"teams.jsonl:1: works\[0\] has no usable text"):
            load_corpus(tmp_path)

    def test_a_need_without_keywords_is_its_own_words_as_a_keyword_need(self):
        assert keyword_need(Need(id="N1", title="", description="2024")).title == "2024"
        assert keyword_need(Need(id="N2", title="a", description="")).title == "a"
        assert keyword_need(Need(id="N3", title="", description="数控机床伺服电机振动大")).title

    def test_the_command_prints_json_last(self, tmp_path):
        out = StringIO()
        call_command(
            "evaluate_matching", corpus=str(write_corpus(tmp_path)), method="tfidf", json=True, stdout=out
        )
        result = json.loads(out.getvalue().strip().splitlines()[-1])
        assert set(result) == {"ndcg@10", "mrr", "recall@10", "needs", "teams", "method", "seconds"}
        assert result["mrr"] == 1.0 and result["needs"] == 1 and result["teams"] == 2

    def test_the_command_reports_a_bad_corpus(self, tmp_path):
        with pytest.raises(CommandError) as exc:
            call_command("evaluate_matching", corpus=str(tmp_path), method="tfidf")
        assert "teams.jsonl" in str(exc.value)


def test_structured_fits():
    section = {"3553": "C", "3511": "C", "0111": "A"}.get
    assert industry_fit(["3553"], ["3553"], section) == 1.0
    assert industry_fit(["3553"], ["35"], section) == 0.9  # the team serves the whole 大类
    assert industry_fit(["3553"], ["3511"], section) == 0.6
    assert industry_fit(["3553"], ["0111"], section) == 0.0
    assert industry_fit([], ["3553"], section) is None
    assert region_fit("331002", ["331002"]) == 1.0
    assert region_fit("331002", ["3310"]) == 0.85
    assert region_fit("331002", ["331003"]) == 0.7
    assert region_fit("331002", ["330100"]) == 0.4
    assert region_fit("331002", ["110101"], lambda a, b: 1200.0) < 0.01
    assert service_type_fit(["diagnosis", "rd"], ["rd"]) == 0.5


class FakeEmbedder:
    """Bag-of-characters vectors: enough to exercise the ranker's arithmetic without the model."""

    def _vec(self, texts):
        out = np.zeros((len(texts), 64), dtype=np.float32)
        for i, t in enumerate(texts):
            for ch in t:
                out[i, ord(ch) % 64] += 1
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)

    encode_queries = encode_passages = _vec


def test_a_prose_need_is_embedded_like_a_work_and_a_keyword_list_like_a_pseudo_query():
    assert need_embedding_kind("高速平缝机减振降噪。机头振动大，噪声超标") == "passage"
    assert need_embedding_kind("高速平缝机减振降噪") == "passage"  # a title is prose
    assert need_embedding_kind("伺服电机 振动 噪声") == "query"
    calls = []

    def encode(texts, kind):
        calls.append((kind, list(texts)))
        return np.array([[1.0 if kind == "query" else 2.0, len(t)] for t in texts], dtype=np.float32)

    texts = ["伺服电机 振动", "数控机床主轴热变形导致加工误差", "原料药 杂质分析"]
    vectors = encode_needs(encode, texts, 2)
    # one call per kind, and each vector back in the position of its text
    assert sorted(calls) == [
        ("passage", ["数控机床主轴热变形导致加工误差"]),
        ("query", ["伺服电机 振动", "原料药 杂质分析"]),
    ]
    assert vectors.tolist() == [[1.0, 7.0], [2.0, 15.0], [1.0, 8.0]]
    assert encode_needs(encode, [], 2).shape == (0, 2)


def test_the_explanation_adds_up_to_the_score():
    teams = [
        TeamPortrait(
            "1",
            "甲",
            ["机械工程"],
            ["伺服电机"],
            "机床",
            [Work("伺服电机振动抑制"), Work("数控机床精度补偿")],
        ),
        TeamPortrait(
            "2", "乙", ["中医学/中药学"], ["中药"], "中医", [Work("中药注射液临床疗效"), Work("针灸治疗")]
        ),
    ]
    facts = [
        StructuredFacts(
            industry_codes=["3553"], region_codes=["331002"], completed_engagements=5, mean_rating=4.8
        ),
        StructuredFacts(region_codes=["110101"]),
    ]
    index = TeamIndex.build(teams, FakeEmbedder(), facts=facts, section_of=lambda c: "C")
    need = Need("n", "伺服电机振动", "数控机床伺服电机振动大")
    vectors = FakeEmbedder().encode_queries([need.text()])
    ranking = index.rank(
        [need], vectors, need_facts=[StructuredFacts(industry_codes=["3553"], region_codes=["331002"])]
    )
    ranked = ranking.rows
    assert [r.team for r in ranked[0]] == [0, 1]
    # Beside the rows, the need's discipline probabilities, which an explanation's reasons name.
    assert ranking.discipline_probabilities.shape == (1, len(index.discipline_model.labels))
    assert list(ranking) == ranked and len(ranking) == 1 and ranking[0] is ranked[0]
    for item in ranked[0]:
        explanation = index.explain(need, item)
        assert sum(explanation.contributions.values()) == pytest.approx(explanation.total)
        assert explanation.total == pytest.approx(item.score)
    best = index.explain(need, ranked[0][0])
    assert "伺服电机" in best.matched_keywords
    assert "共同关键词：" in " ".join(best.reasons)
    assert {"dense", "lexical", "industry", "region", "track_record"} <= set(best.contributions)
    assert "行业吻合度 100%" in best.reasons
    assert "服务成效 78%（依据已完成的对接及企业评分）" in best.reasons  # (1 - e^(-5/3)) × 4.8 / 5


def test_every_team_of_a_pool_gets_the_structured_fits_of_its_own_facts():
    """The ranker scores each distinct set of codes once and keeps the factors of a team alone from the
    build; each team of any pool must still get exactly what the fit functions give for its facts,
    NaN where they give None."""
    from matching.engine import structured

    teams = [TeamPortrait(str(i), f"队{i}", [], [], "", [Work(f"伺服电机振动第{i}例")]) for i in range(6)]
    facts = [
        StructuredFacts(industry_codes=["3553"], region_codes=["331002"], service_types=["rd"]),
        StructuredFacts(industry_codes=["3553"], region_codes=["331002"], open_engagements=4),
        StructuredFacts(region_codes=["110101"], completed_engagements=3, mean_rating=4.0),
        StructuredFacts(industry_codes=["35", "0111"], service_types=["rd", "diagnosis"]),
        StructuredFacts(),
        StructuredFacts(industry_codes=["3511"], region_codes=["3310"], completed_engagements=1),
    ]
    section = {"3553": "C", "3511": "C", "35": "C", "0111": "A"}.get
    index = TeamIndex.build(teams, FakeEmbedder(), facts=facts, section_of=section)
    need = StructuredFacts(industry_codes=["3553"], region_codes=["331003"], service_types=["rd"])
    for pool in (np.arange(6), np.array([1, 3, 4]), np.array([5])):
        got = index._structured(need, pool)
        for column, team in enumerate(pool):
            f = facts[team]
            want = {
                "industry": structured.industry_fit(need.industry_codes, f.industry_codes, section),
                "region": structured.region_fit("331003", f.region_codes),
                "service_type": structured.service_type_fit(need.service_types, f.service_types),
                "load": structured.load_fit(f.open_engagements),
                "track_record": structured.track_record_fit(f.completed_engagements, f.mean_rating),
            }
            for factor, value in want.items():
                if value is None:
                    assert np.isnan(got[factor][column]), (factor, team)
                else:
                    assert got[factor][column] == value, (factor, team)


def test_a_lone_team_keeps_its_text_signals():
    """With one team there is no worst team to scale from: a team that shares words with the need
    must not show 0 for semantics and keywords beside the shared keywords it lists."""
    team = TeamPortrait("1", "甲", ["机械工程"], ["伺服电机"], "机床", [Work("伺服电机振动抑制")])
    index = TeamIndex.build([team], FakeEmbedder())
    need = Need("n", "伺服电机振动", "数控机床伺服电机振动大")
    ranked = index.rank([need], FakeEmbedder().encode_queries([need.text()])).rows[0]
    assert ranked[0].signals["dense"] == 1.0
    assert ranked[0].signals["lexical"] == 1.0
    unrelated = Need("m", "中药", "中药注射液")
    ranked = index.rank([unrelated], FakeEmbedder().encode_queries([unrelated.text()])).rows[0]
    assert ranked[0].signals["lexical"] == 0.0


def test_keywords_first_in_a_fresh_process_does_not_deadlock():
    """keyword_extractor() builds the tokenizer under the module's lock when it is the first text call
    of a process (a worker whose first job explains a match, the keywords-only evaluation): with a
    non-reentrant lock that call waited on itself forever."""
    import subprocess
    import sys
    from pathlib import Path

    code = "from matching.engine import text; print(' '.join(text.keywords('数控机床主轴热变形误差补偿方法', 3)))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "热变形" in result.stdout or "主轴" in result.stdout


def test_bare_numbers_are_no_keywords_but_stay_searchable():
    need = text.clean("2014年以来，4000台高速平缝机在120家工厂出现主轴振动，振动幅度达0.5毫米")
    keywords = text.keywords(need, k=8)
    assert keywords and not any(k.replace(".", "").isdigit() for k in keywords)
    assert "振动" in keywords
    assert "4000" in text.index_tokens(need)


def test_an_explanation_names_the_topical_shared_words_not_the_generic_ones():
    # the need and team 甲 share 了解、方案、完成 (words of any text) and 平缝机 (the topic)
    teams = [
        TeamPortrait(
            "1",
            "甲",
            ["机械工程"],
            [],
            "",
            [Work("深入了解企业需求，完成平缝机减振方案"), Work("完成方案评审，了解现场情况")],
        ),
        TeamPortrait("2", "乙", ["中医学/中药学"], [], "", [Work("中药注射液临床疗效")]),
    ]
    index = TeamIndex.build(teams, FakeEmbedder())
    need = Need("n", "平缝机振动", "希望团队了解现场，完成方案，解决平缝机振动")
    ranked = index.rank([need], FakeEmbedder().encode_queries([need.text()])).rows
    first = next(r for r in ranked[0] if r.team == 0)
    every_shared = index.words.matched_terms(text.clean(need.text()), 0, limit=30)
    assert {"了解", "完成", "方案"} <= set(every_shared)  # they are shared, and they count in the score
    explanation = index.explain(need, first)
    assert explanation.matched_keywords == ["平缝机"]
    assert "共同关键词：平缝机" in explanation.reasons
