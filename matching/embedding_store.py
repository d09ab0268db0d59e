"""Vectors for texts, cached in the database by the hash of the exact text and the model version.

The process keeps one Embedder (loading the model takes seconds); the table keeps every vector a model
version produced, so an unchanged need or portrait is never embedded twice, across processes too.
"""

import hashlib
import threading

import numpy as np
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from matching.engine.embeddings import PASSAGE as PASSAGE  # re-exported: callers pass embedding_store.PASSAGE
from matching.engine.embeddings import PRECISIONS, Embedder, ModelMissingError, check_kind
from matching.engine.embeddings import QUERY as QUERY  # and embedding_store.QUERY
from matching.engine.ranker import encode_needs, need_embedding_kind
from matching.models import TextEmbedding

_lock = threading.Lock()
_embedder: Embedder | None = None

# What loading the model raises for the person running it to fix: a missing model, a bad setting.
LOAD_ERRORS = (ModelMissingError, ImproperlyConfigured)


def configured_precision() -> str:
    """EMBEDDING_PRECISION, checked: "auto" by default (bfloat16, int8 or float32, whichever is fastest
    for its quality on this CPU)."""
    precision = str(settings.EMBEDDING_PRECISION).strip().lower()
    if precision not in PRECISIONS:
        raise ImproperlyConfigured(
            f"EMBEDDING_PRECISION 只能是 {'、'.join(PRECISIONS)} 之一，而不是 {settings.EMBEDDING_PRECISION!r}。"
        )
    return precision


def load_embedder(model: str) -> Embedder:
    """The model at the configured precision. A vector's model_version names its precision, so machines
    of different kinds keep their vectors apart rather than mix them."""
    return Embedder(model, precision=configured_precision())


def embedder() -> Embedder:
    """The configured model, loaded once per process. A missing model raises ModelMissingError."""
    global _embedder
    with _lock:
        if _embedder is None or _embedder.model_name_or_path != settings.EMBEDDING_MODEL:
            _embedder = load_embedder(settings.EMBEDDING_MODEL)
        return _embedder


def text_hash(kind: str, text: str) -> str:
    # The kind is part of the key: e5 embeds "query: x" and "passage: x" differently.
    return hashlib.sha256(f"{kind}\x00{text}".encode()).hexdigest()


def embed_texts(texts: list[str], *, kind: str) -> np.ndarray:
    """Vectors for the texts, in order: from the table where present, else embedded and stored."""
    check_kind(kind)  # before the table: a text already stored would otherwise pass unchecked
    model = embedder()
    if not texts:
        return np.zeros((0, model.dim), dtype=np.float32)
    hashes = [text_hash(kind, t) for t in texts]
    stored = {
        row.text_hash: row.as_array()
        for row in TextEmbedding.objects.filter(model_version=model.model_version, text_hash__in=set(hashes))
    }
    missing = {h: t for h, t in zip(hashes, texts, strict=True) if h not in stored}
    if missing:
        vectors = model.encode(list(missing.values()), kind)
        rows = [
            TextEmbedding(
                model_name=model.model_name,
                model_version=model.model_version,
                text_hash=h,
                dim=model.dim,
                vector=np.ascontiguousarray(v, dtype=np.float32).tobytes(),
            )
            for h, v in zip(missing, vectors, strict=True)
        ]
        # Two workers embedding the same text race harmlessly: the unique key keeps one row.
        TextEmbedding.objects.bulk_create(rows, ignore_conflicts=True)
        stored.update({h: v for h, v in zip(missing, vectors, strict=True)})
    return np.ascontiguousarray(np.stack([stored[h] for h in hashes]), dtype=np.float32)


def need_text_hash(text: str) -> str:
    """The key of a need text's stored vector: a need is embedded by its kind (need_embedding_kind)."""
    return text_hash(need_embedding_kind(text), text)


def embed_need_texts(texts: list[str]) -> np.ndarray:
    """embed_texts for need texts, each embedded by its kind: a prose need as a passage, a keyword
    list as a query (see ranker.need_embedding_kind)."""
    return encode_needs(lambda part, kind: embed_texts(part, kind=kind), texts, embedder().dim)
