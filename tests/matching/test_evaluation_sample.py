"""Evaluating on a sample of a benchmark (what the matching-quality notebook does): sampling, ranking
several methods at once, per-need metrics, and writing a corpus back out."""

import pytest

from matching.engine.corpus import Corpus, load_corpus, write_corpus
from matching.engine.evaluation import evaluate, rank_corpus, sample_corpus
from matching.engine.metrics import per_need, summarize
from matching.engine.portrait import Need, TeamPortrait, Work


def _corpus() -> Corpus:
    teams = [
        TeamPortrait(
            id="T1",
            name="机械小分队",
            disciplines=["机械工程"],
            works=[Work(abstract="缝纫机 伺服电机 振动抑制"), Work(abstract="数控机床 主轴 热变形")],
        ),
        TeamPortrait(
            id="T2",
            name="医药小分队",
            disciplines=["药学"],
            keywords=["原料药"],
            works=[Work(abstract="原料药 结晶 工艺 杂质控制", title="结晶工艺", keywords=["结晶"])],
        ),
        TeamPortrait(
            id="T3",
            name="水处理小分队",
            disciplines=["环境科学与工程"],
            works=[Work(abstract="污水 脱氮 除磷")],
        ),
    ]
    needs = [
        Need(id=f"N{i}", title=title, description=title)
        for i, title in enumerate(["伺服电机振动", "原料药结晶杂质", "污水脱氮", "机床热变形"], start=1)
    ]
    qrels = {"N1": {"T1": 2}, "N2": {"T2": 2, "T3": 1}, "N3": {"T3": 2}, "N4": {"T1": 2}}
    return Corpus(teams=teams, needs=needs, qrels=qrels)


def test_a_sample_keeps_every_team_draws_needs_reproducibly_and_thins_the_works():
    corpus = _corpus()
    sample = sample_corpus(corpus, needs=2, works_per_team=1, seed=7)
    assert [n.id for n in sample.needs] == [n.id for n in sample_corpus(corpus, needs=2, seed=7).needs]
    assert len(sample.needs) == 2 and set(sample.qrels) == {n.id for n in sample.needs}
    assert [t.id for t in sample.teams] == ["T1", "T2", "T3"]
    assert [len(t.works) for t in sample.teams] == [1, 1, 1]
    assert len(corpus.teams[0].works) == 2  # the original is left alone
    whole = sample_corpus(corpus)
    assert whole.needs == corpus.needs and whole.teams == corpus.teams and whole.qrels == corpus.qrels


def test_per_need_rows_are_what_the_summary_averages():
    rankings = {"N1": ["T2", "T1", "T3"], "N2": ["T2", "T3", "T1"]}
    qrels = {"N1": {"T1": 2}, "N2": {"T2": 2, "T3": 1}}
    rows = per_need(rankings, qrels)
    assert rows["N1"]["mrr"] == 0.5 and rows["N2"]["mrr"] == 1.0
    assert rows["N1"]["recall@10"] == 1.0
    assert rows["N2"]["ndcg@10"] == pytest.approx(1.0)
    assert summarize(rankings, qrels)["mrr"] == pytest.approx(0.75)


def test_ranking_several_methods_at_once_matches_evaluating_each(tmp_path):
    corpus = _corpus()
    directory = write_corpus(corpus, tmp_path / "c")
    reread = load_corpus(directory)
    assert reread.needs == corpus.needs and reread.qrels == corpus.qrels
    assert [(t.id, t.keywords, t.works) for t in reread.teams] == [
        (t.id, t.keywords, t.works) for t in corpus.teams
    ]
    rankings = rank_corpus(reread, ["bm25", "tfidf"])
    assert list(rankings) == ["bm25", "tfidf"]
    for method in ("tfidf", "bm25"):
        expected = evaluate(directory, method)
        assert round(summarize(rankings[method], reread.qrels)["ndcg@10"], 4) == expected["ndcg@10"]
    assert rankings["bm25"]["N2"][0] == "T2"


def test_ranking_refuses_an_unknown_method_or_a_dense_one_without_a_model():
    with pytest.raises(ValueError, match="unknown method"):
        rank_corpus(_corpus(), ["tfidf", "magic"])
    with pytest.raises(ValueError, match="embedder"):
        rank_corpus(_corpus(), ["dense"])
