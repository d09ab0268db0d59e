"""The discipline classifier: needs written as prose (titles included) use the models of whole works,
needs written as a list of keywords a second set that also learnt from one pseudo-query per work,
fitted on the first keyword need."""

import numpy as np
import pytest

from matching.engine import text
from matching.engine.discipline import (
    CATEGORY_SHARE,
    DisciplineModel,
    discipline_members,
    is_keyword_list,
    normalised_label_scores,
    pseudo_query,
    teams_by_label,
    teams_of_scores,
    top_teams,
)
from matching.engine.portrait import Need, TeamPortrait, Work
from matching.engine.ranker import TeamIndex, portrait_pieces

WORKS = {
    "机械工程": [
        "高速缝纫机主轴振动偏大，采用动平衡与阻尼减振方法降低机头振动和噪声",
        "数控机床主轴热变形导致加工误差，建立温度场模型并进行误差补偿",
        "伺服电机驱动的送布机构在高速下失步，优化控制参数提高定位精度",
        "齿轮传动系统啮合冲击引起噪声，对齿形修形并进行动力学仿真分析",
    ],
    "药学": [
        "原料药结晶过程中杂质含量偏高，优化溶剂与降温曲线控制晶型和粒度",
        "口服缓释片的释放度不稳定，调整辅料配比并考察体外溶出曲线",
        "注射剂中有关物质的检测方法开发，建立高效液相色谱法并验证",
        "中药提取物的质量标准研究，采用指纹图谱评价不同批次的一致性",
    ],
}


def _examples():
    texts = [text.clean(t) for works in WORKS.values() for t in works]
    labels = [label for label, works in WORKS.items() for _ in works]
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(len(texts), 8)).astype(np.float32)
    keyword_vectors = rng.normal(size=(len(texts), 8)).astype(np.float32)
    return texts, vectors, labels, [pseudo_query(t) for t in texts], keyword_vectors


def test_a_pseudo_query_is_a_few_keywords_of_the_work():
    query = pseudo_query(text.clean(WORKS["药学"][0]))
    words = query.split()
    assert 1 <= len(words) <= 4 and is_keyword_list(query)
    assert set(words) <= set(text.tokens(text.clean(WORKS["药学"][0])))
    assert pseudo_query("齿轮") == "齿轮"  # nothing to extract: the text itself


def test_keyword_lists_are_told_from_prose_and_titles():
    assert is_keyword_list("伺服电机 振动 噪声")
    assert is_keyword_list("原料药杂质。原料药 杂质分析、工艺优化")  # a need's title joined to its keywords
    assert not is_keyword_list("高速平缝机减振降噪")  # a title is prose, however short
    assert not is_keyword_list("研究了体育权利的性质、特征、表现形式、实现途径")
    assert not is_keyword_list(text.clean(WORKS["机械工程"][0] + WORKS["机械工程"][1]))


def test_prose_gets_exactly_the_whole_work_models_and_keyword_lists_the_other_set():
    texts, vectors, labels, keyword_texts, keyword_vectors = _examples()
    plain = DisciplineModel().fit(texts, vectors, labels)
    routed = DisciplineModel().fit(
        texts, vectors, labels, keyword_texts=keyword_texts, keyword_vectors=keyword_vectors
    )
    long_need = text.clean(WORKS["机械工程"][0] + "。" + WORKS["机械工程"][2])
    need_vectors = np.random.default_rng(1).normal(size=(2, 8)).astype(np.float32)

    only_long = routed.predict([long_need], need_vectors[:1])
    assert routed._keyword_models is None  # not fitted until a keyword need comes
    np.testing.assert_array_equal(only_long, plain.predict([long_need], need_vectors[:1]))

    mixed = routed.predict([long_need, "结晶 杂质 晶型"], need_vectors)
    assert routed._keyword_models is not None
    np.testing.assert_allclose(mixed[0], only_long[0], rtol=1e-12)  # batched: last-bit sums
    assert not np.allclose(mixed[1], plain.predict(["结晶 杂质 晶型"], need_vectors[1:])[0])
    assert mixed.sum(axis=1) == pytest.approx([1.0, 1.0])
    assert routed.labels[int(np.argmax(mixed[1]))] == "药学"
    title = "原料药结晶工艺优化"  # short, but prose: the whole-work models
    np.testing.assert_array_equal(
        routed.predict([title], need_vectors[1:]), plain.predict([title], need_vectors[1:])
    )


def test_a_need_s_nearest_works_vote_for_their_discipline(monkeypatch):
    from matching.engine import discipline

    texts, _, labels, keyword_texts, keyword_vectors = _examples()
    # Each discipline's works sit around its own axis, so the nearest works of a vector are known.
    axes = np.eye(8, dtype=np.float32)
    noise = np.random.default_rng(3).normal(scale=0.05, size=(len(texts), 8)).astype(np.float32)
    vectors = np.stack([axes[0] if label == "机械工程" else axes[1] for label in labels]) + noise
    model = DisciplineModel().fit(
        texts, vectors, labels, keyword_texts=keyword_texts, keyword_vectors=keyword_vectors
    )
    mechanical, pharmacy = model.labels.index("机械工程"), model.labels.index("药学")

    vote = model.neighbour_vote(axes[:2])
    assert vote.sum(axis=1) == pytest.approx([1.0, 1.0])
    assert vote[0, mechanical] > 0.99 and vote[1, pharmacy] > 0.99

    # A keyword need in pharmacy's words but next to the mechanical works: the vote pulls it that way
    # by exactly its share; the models' own probabilities make up the rest.
    need = ["结晶 杂质 晶型"]
    monkeypatch.setattr(discipline, "NEIGHBOUR_SHARE", 0.0)
    models_only = model.predict(need, axes[:1])[0]
    monkeypatch.setattr(discipline, "NEIGHBOUR_SHARE", 0.3)
    voted = model.predict(need, axes[:1])[0]
    assert voted[mechanical] == pytest.approx(0.7 * models_only[mechanical] + 0.3 * vote[0, mechanical])
    assert voted[mechanical] > models_only[mechanical] and voted.sum() == pytest.approx(1.0)
    # Prose gets the same vote, by the same share, from a model fitted with or without pseudo-queries.
    prose = text.clean(WORKS["药学"][0])
    monkeypatch.setattr(discipline, "NEIGHBOUR_SHARE", 0.0)
    prose_models_only = model.predict([prose], axes[:1])[0]
    monkeypatch.setattr(discipline, "NEIGHBOUR_SHARE", 0.3)
    prose_voted = model.predict([prose], axes[:1])[0]
    assert prose_voted[mechanical] == pytest.approx(
        0.7 * prose_models_only[mechanical] + 0.3 * vote[0, mechanical]
    )
    assert model._keyword_models is not None  # fitted for the keyword need above, not for prose
    np.testing.assert_array_equal(
        model.predict([prose], axes[:1]),
        DisciplineModel().fit(texts, vectors, labels).predict([prose], axes[:1]),
    )


def test_the_pseudo_queries_must_match_the_works_row_for_row():
    texts, vectors, labels, keyword_texts, keyword_vectors = _examples()
    with pytest.raises(ValueError):
        DisciplineModel().fit(
            texts, vectors, labels, keyword_texts=keyword_texts[:-1], keyword_vectors=keyword_vectors
        )
    teams = [TeamPortrait("1", "甲", ["机械工程"], [], "", [Work(t) for t in WORKS["机械工程"]])]
    portraits, pieces, owner = portrait_pieces(teams)
    with pytest.raises(ValueError):
        TeamIndex(
            portraits, vectors[: len(pieces)], owner, keyword_queries=(keyword_texts, keyword_vectors[:1])
        )


def test_pseudo_query_vectors_given_as_a_function_are_embedded_once_for_the_sample_when_first_needed(
    monkeypatch,
):
    from matching.engine import discipline

    texts, vectors, labels, keyword_texts, keyword_vectors = _examples()
    monkeypatch.setattr(discipline, "MAX_EXAMPLES_PER_LABEL", 3)
    calls = []

    def embed(rows):
        calls.append(np.asarray(rows).tolist())
        return keyword_vectors[rows]

    lazy = DisciplineModel().fit(texts, vectors, labels, keyword_texts=keyword_texts, keyword_vectors=embed)
    eager = DisciplineModel().fit(
        texts, vectors, labels, keyword_texts=keyword_texts, keyword_vectors=keyword_vectors
    )
    prose = text.clean(WORKS["药学"][1])
    need_vectors = np.random.default_rng(4).normal(size=(2, 8)).astype(np.float32)
    lazy.predict([prose], need_vectors[:1])
    assert calls == []  # prose needs never ask for them
    np.testing.assert_array_equal(
        lazy.predict([prose, "结晶 杂质 晶型"], need_vectors),
        eager.predict([prose, "结晶 杂质 晶型"], need_vectors),
    )
    lazy.predict(["齿轮 噪声"], need_vectors[:1])
    assert len(calls) == 1 and len(calls[0]) == 6  # once, 3 sampled works of each discipline
    assert set(calls[0]) == set(discipline._sample_per_label(texts, labels, 3).tolist())


def test_a_function_giving_the_wrong_number_of_pseudo_query_vectors_is_refused():
    texts, vectors, labels, keyword_texts, keyword_vectors = _examples()
    model = DisciplineModel().fit(
        texts, vectors, labels, keyword_texts=keyword_texts, keyword_vectors=lambda rows: keyword_vectors[:2]
    )
    with pytest.raises(ValueError, match="pseudo-query vectors"):
        model.predict(["结晶 杂质 晶型"], vectors[:1])


def test_a_team_index_embeds_each_work_s_pseudo_query_once_and_only_for_a_keyword_need():
    """TeamIndex.build leaves the pseudo-queries to the first keyword need; a work of a team with two
    disciplines is two of the model's rows but one text to embed."""

    class Counting:
        def __init__(self):
            self.queries = []

        def encode_passages(self, texts):
            return _bag(texts)

        def encode_queries(self, texts):
            self.queries.extend(texts)
            return _bag(texts)

    teams = [
        TeamPortrait("1", "甲", ["机械工程", "药学"], [], "", [Work(t) for t in WORKS["机械工程"]]),
        TeamPortrait("2", "乙", ["药学"], [], "", [Work(t) for t in WORKS["药学"]]),
    ]
    embedder = Counting()
    index = TeamIndex.build(teams, embedder)
    prose = Need("n", "原料药结晶", text.clean(WORKS["药学"][0]))
    index.rank([prose], _bag([prose.text()]))
    assert embedder.queries == []
    keywords = Need("k", "结晶 杂质 晶型", "")
    ranked = index.rank([keywords], _bag([keywords.text()])).rows[0]
    assert sorted(embedder.queries) == sorted(
        pseudo_query(text.clean(t)) for t in [*WORKS["机械工程"], *WORKS["药学"]]
    )
    assert {r.team for r in ranked} == {0, 1}
    index.rank([keywords], _bag([keywords.text()]))
    assert len(embedder.queries) == 8  # not again


def _bag(texts):
    out = np.zeros((len(texts), 16), dtype=np.float32)
    for i, t in enumerate(texts):
        for ch in t:
            out[i, ord(ch) % 16] += 1
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


def _many_examples(per_label: int = 20):
    texts, labels = [], []
    for label, works in WORKS.items():
        for i in range(per_label):
            texts.append(text.clean(f"{works[i % len(works)]}，第{i}批试验"))
            labels.append(label)
    vectors = np.random.default_rng(1).normal(size=(len(texts), 8)).astype(np.float32)
    return texts, vectors, labels


def test_a_fitted_model_still_fits_after_a_small_change_but_not_a_large_one_or_a_new_discipline():
    texts, vectors, labels = _many_examples()  # 40 examples: 5 % is 2 of them
    model = DisciplineModel()
    assert not model.still_fits(texts, labels)  # nothing fitted yet
    model.fit(texts, vectors, labels)
    assert model.still_fits(texts, labels)
    assert model.still_fits(["齿轮箱异响的诊断", *texts[1:]], labels)  # one replaced: 2 of 40 changed
    assert not model.still_fits([*texts, "甲", "乙", "丙"], [*labels, *["机械工程"] * 3])
    assert not model.still_fits([*texts, "土壤改良"], [*labels, "农业工程"])
    assert not model.still_fits(texts[:20], labels[:20])  # a discipline gone


def test_an_index_keeps_the_earlier_model_while_it_fits_and_refits_when_a_discipline_arrives():
    def index(teams, previous=None):
        portraits, pieces, owner = portrait_pieces(teams)
        vectors = np.random.default_rng(2).normal(size=(len(pieces), 8)).astype(np.float32)
        return TeamIndex(portraits, vectors, owner, discipline_model=previous)

    texts, _, labels = _many_examples()
    teams = [
        TeamPortrait(
            str(i),
            label,
            [label],
            [],
            "",
            [Work(t) for t, lb in zip(texts, labels, strict=True) if lb == label],
        )
        for i, label in enumerate(WORKS)
    ]
    first = index(teams)
    teams[0].works.append(Work("缝纫机挑线机构的磨损分析"))
    assert index(teams, first.discipline_model).discipline_model is first.discipline_model
    teams.append(TeamPortrait("9", "农", ["农业工程"], [], "", [Work("设施大棚的温湿度调控")] * 3))
    refitted = index(teams, first.discipline_model).discipline_model
    assert refitted is not first.discipline_model and "农业工程" in refitted.labels


def test_team_discipline_scores_are_the_best_declared_discipline_with_its_category_share():
    """Against the definition, team by team: P(discipline) + CATEGORY_SHARE · P(its 门类), best of the
    team's disciplines, scaled so the best team has 1; a discipline the model does not know, or no
    discipline, scores 0."""
    labels = ["机械工程", "力学", "化学", "药学", "社会学"]
    category_of = {"机械工程": "工学", "力学": "工学", "化学": "理学", "药学": "医学"}  # 社会学: none
    teams = [["机械工程"], ["力学", "药学"], ["社会学"], [], ["未知学科"], ["未知学科", "化学"], labels]
    probabilities = np.random.default_rng(3).dirichlet(np.ones(len(labels)), size=6)

    def expected(row, disciplines):
        best = 0.0
        for d in disciplines:
            if d not in labels:
                continue
            score = row[labels.index(d)]
            if d in category_of:
                same = [i for i, label in enumerate(labels) if category_of.get(label) == category_of[d]]
                score += CATEGORY_SHARE * row[same].sum()
            best = max(best, score)
        return best

    members = discipline_members(labels, teams)
    got = teams_of_scores(
        normalised_label_scores(probabilities, labels, np.unique(members), category_of), members
    )
    assert got.shape == (6, len(teams))
    for n, row in enumerate(probabilities):
        want = np.array([expected(row, d) for d in teams])
        assert np.allclose(got[n], want / want.max())
        assert got[n].max() == 1.0
    pool = np.array([1, 4, 5])  # a subset of the teams gets the same scores as among all of them
    assert np.array_equal(
        teams_of_scores(
            normalised_label_scores(probabilities, labels, np.unique(members), category_of), members[:, pool]
        ),
        got[:, pool],
    )
    assert members.shape == (len(labels), len(teams))  # the widest team declares all five
    assert set(members[:, 3].tolist()) == {len(labels)}  # the team without disciplines: padding only


def test_a_large_discipline_is_learnt_from_a_sample_that_does_not_depend_on_the_order_of_works(monkeypatch):
    from matching.engine import discipline

    texts = [f"机械振动测试第{i}篇" for i in range(7)] + ["药物合成工艺", "药物杂质分析"]
    labels = ["机械工程"] * 7 + ["药学"] * 2
    rows = discipline._sample_per_label(texts, labels, 3)
    assert len(rows) == 5 and {7, 8} <= set(rows.tolist())  # 3 of 7, and both of the small label
    order = np.random.default_rng(1).permutation(len(texts))
    again = discipline._sample_per_label([texts[i] for i in order], [labels[i] for i in order], 3)
    assert {texts[order[i]] for i in again} == {texts[i] for i in rows}
    assert discipline._sample_per_label(texts, labels, 7).tolist() == list(range(9))  # under the cap: all

    monkeypatch.setattr(discipline, "MAX_EXAMPLES_PER_LABEL", 3)
    vectors = np.random.default_rng(2).standard_normal((len(texts), 8)).astype(np.float32)
    keyword_texts = [f"关键词{i}" for i in range(len(texts))]
    model = DisciplineModel().fit(
        texts, vectors, labels, keyword_texts=keyword_texts, keyword_vectors=vectors
    )
    assert model.labels == ["机械工程", "药学"]
    assert len(model._keyword_examples[0]) == 2 * 5  # the same sample, works and their pseudo-queries
    assert len(model._neighbours[1]) == 5  # the keyword needs' neighbours come from that sample too
    assert model.still_fits(texts, labels)  # drift is judged on every work, not on the sample
    assert model.predict(["药物杂质"], vectors[:1]).shape == (1, 2)
    monkeypatch.setattr(discipline, "MAX_NEIGHBOURS_PER_LABEL", 1)
    model.fit(texts, vectors, labels, keyword_texts=keyword_texts, keyword_vectors=vectors)
    assert sorted(model._neighbours[1].tolist()) == [0, 1]  # one work of each discipline


@pytest.mark.parametrize("classes", [2, 5])
@pytest.mark.parametrize("as_sparse", [False, True])
def test_the_lean_predict_proba_is_scikit_learns(classes, as_sparse):
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    from matching.engine.discipline import _predict_proba

    rng = np.random.default_rng(classes)
    features = rng.standard_normal((120, 12))
    model = LogisticRegression(C=10.0, max_iter=3000).fit(features, rng.integers(0, classes, 120))
    queries = rng.standard_normal((4, 12))
    queries = sparse.csr_matrix(queries) if as_sparse else queries
    assert np.allclose(_predict_proba(model, queries), model.predict_proba(queries), rtol=0, atol=1e-12)


@pytest.mark.parametrize("analyzer", ["char", "words"])
def test_the_lean_tfidf_is_scikit_learns(analyzer):
    """The discipline views' TF-IDF rows, computed without scikit-learn's checks, equal its transform:
    repeated terms (sublinear tf), unknown terms, an empty text and several texts at once."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from matching.engine.discipline import _tfidf

    texts = _examples()[0]
    if analyzer == "char":
        vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True, min_df=2)
    else:
        vectorizer = TfidfVectorizer(analyzer=text.index_tokens, sublinear_tf=True)
    vectorizer.fit(texts)
    needs = ["振动振动振动 噪声 主轴", "完全无关的词语🙂", "", texts[3], "杂质 杂质 晶型 ABC abc"]
    lean, reference = _tfidf(vectorizer, needs), vectorizer.transform(needs)
    assert lean.shape == reference.shape
    assert lean.nnz == reference.nnz > 0
    assert np.array_equal(lean.toarray(), reference.toarray())  # to the last bit
    assert lean.toarray()[2].sum() == 0  # nothing known: a zero row, as scikit-learn gives


def test_the_best_discipline_teams_are_those_top_k_picks_over_all_teams():
    """top_teams finds the k best teams from the best disciplines' teams; it must pick exactly the
    teams top_k picks over every team's score, ties (many teams share a discipline) going to the
    lowest positions, and give up (None) when the declared disciplines' teams are fewer than k."""
    from matching.engine.vector_index import top_k

    rng = np.random.default_rng(5)
    labels = [f"学科{i}" for i in range(12)]
    category_of = {label: f"门类{i % 4}" for i, label in enumerate(labels)}
    for trial in range(40):
        n_teams = int(rng.integers(5, 400))
        teams = [
            list(rng.choice(labels + ["未知学科"], int(rng.integers(0, 3)), replace=False))
            for _ in range(n_teams)
        ]
        members = discipline_members(labels, teams)
        by_label = teams_by_label(members, len(labels))
        assert all(np.array_equal(t, np.sort(t)) for t in by_label)
        assert sum(map(len, by_label)) == int((members < len(labels)).sum())
        probabilities = rng.dirichlet(np.ones(len(labels)), size=1)
        if trial % 3 == 0:  # equal probabilities: whole disciplines tie
            probabilities = np.round(probabilities * 4) / 4 + 1e-3
            probabilities /= probabilities.sum()
        scores = normalised_label_scores(probabilities, labels, np.unique(members), category_of)
        for k in (1, 7, 50, n_teams):
            got = top_teams(scores[0], members, by_label, k)
            everyone = teams_of_scores(scores, members)
            declared = int((everyone[0] > 0).sum())
            if got is None:
                assert declared < k
                continue
            want = np.sort(top_k(everyone, k)[0][0])
            assert np.array_equal(got, want), (trial, k)
