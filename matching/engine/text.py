"""Text cleaning and Chinese tokenisation for matching.

Every text the engine sees (a need, a team's work, a declared keyword) goes through `clean` first, so
that the lexical index, the keyword extractor and the embedder all see the same characters: full-width
letters and digits folded, traditional characters made simplified, HTML gone.
"""

from __future__ import annotations

import html
import logging
import re
import threading
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

import jieba
import jieba.analyse
import jieba.posseg
import zhconv

DATA_DIR = Path(__file__).resolve().parent / "data"
USERDICT_PATH = DATA_DIR / "userdict.txt"
STOPWORDS_PATH = DATA_DIR / "stopwords.txt"

# Longer input than this is refused, not truncated: a need or a work of 100k characters is a pasted
# file or an attack, and the user should be told rather than have the tail silently dropped.
MAX_INPUT_CHARS = 100_000
# What the embedder gets. e5-small reads at most 512 tokens (about one token per Chinese character),
# so more characters would only be cut off inside the tokenizer after costing time to transfer.
EMBED_MAX_CHARS = 512


class TextError(ValueError):
    """Input that cannot be matched: empty, only symbols or emoji, or too long."""


_SCRIPT_STYLE = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]{0,2000}>")
# Emoji and pictographs, plus the joiners and variation selectors that glue them together. Other
# symbols (°, ±, ‰) stay: they are part of technical text.
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\U00002600-\U000027bf\U0001f900-\U0001f9ff\u200d\ufe0e\ufe0f\u20e3]"
)
_INVISIBLE = re.compile(r"[\u200b\u200c\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\r\f\v\u3000]+")
_NEWLINES = re.compile(r"\n\s*\n+")
# A run of the same punctuation mark ("！！！", "。。。", "----") says nothing more than one of it.
_REPEATED_PUNCT = re.compile(r"([^\w\s])\1+")
_CONTENT = re.compile(r"[\u3400-\u9fff\uf900-\ufaffA-Za-z0-9]")
_NUMBER = re.compile(r"[\d.,%]+")
# In jieba's IDF table, the words of any text sit below this (了解 5.1, 完成 4.97, 开发 5.53, 方案 5.85,
# 优化 6.86, 团队 7.07) and those of a topic above it (电机 8.1, 焊接 8.45, 模具 9.73, 减振 10.37).
TOPICAL_IDF = 7.5
# A unit, or a quantity in one ("kg", "667m2", "100mm"): a measurement, never a topic. Units of one
# letter stay ("5g" is a network, "3d" a kind of printing).
_MEASURE = re.compile(
    r"[\d.]*(?:kg|mg|μg|ug|ml|cm|mm|nm|μm|um|km|m2|m3|min|hz|khz|mhz|ghz|kw|kwh|mw|kv|mv|ma|mpa|kpa|hpa|gpa)",
    re.IGNORECASE,
)


def _check_length(text: str) -> None:
    if len(text) > MAX_INPUT_CHARS:
        raise TextError(
            f"文本过长：{len(text)} 个字符，上限 {MAX_INPUT_CHARS}。请删减后再提交 "
            f"(text too long: {len(text)} characters, limit {MAX_INPUT_CHARS})."
        )


def clean(text: str) -> str:
    """Return the text normalised for matching, or raise TextError if nothing matchable is left."""
    if not isinstance(text, str):
        raise TextError(f"expected a string, got {type(text).__name__}")
    _check_length(text)
    return _clean(text)


# Cached: ranking a need and explaining it for each recommended team clean the same text again. Few
# entries are needed for that, and a text may be 100,000 characters: 64 hold at most about 25 MB.
@lru_cache(maxsize=64)
def _clean(text: str) -> str:
    # Tags first, entities second: "&lt;b&gt;" is text the author wrote, not markup to remove.
    text = _SCRIPT_STYLE.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = html.unescape(text)
    # NFKC folds full-width ASCII (ＡＢＣ１２３ → ABC123), the ideographic space, circled digits and
    # compatibility ideographs, so the same word is always the same characters.
    text = unicodedata.normalize("NFKC", text)
    # zh-cn rather than zh-hans: it also maps Taiwan/HK wording to mainland terms (軟體 → 软件),
    # which is what the dictionary and the teams' works use.
    text = zhconv.convert(text, "zh-cn")
    text = _EMOJI.sub(" ", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    text = _REPEATED_PUNCT.sub(r"\1", text)
    text = _SPACES.sub(" ", text)
    text = _NEWLINES.sub("\n", text)
    text = "\n".join(line.strip() for line in text.split("\n")).strip()
    if not text:
        raise TextError("文本为空 (empty text).")
    if not _CONTENT.search(text):
        raise TextError("文本没有汉字、字母或数字 (no Chinese characters, letters or digits).")
    return text


def for_embedding(text: str, limit: int = EMBED_MAX_CHARS) -> str:
    """Cleaned text cut to what the embedding model reads; the title and opening carry the topic."""
    return clean(text)[:limit]


@cache
def stopwords() -> frozenset[str]:
    lines = STOPWORDS_PATH.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def _read_userdict() -> list[tuple[str, int]]:
    entries = []
    for line in USERDICT_PATH.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, _, freq = line.strip().rpartition(" ")
        entries.append((word, int(freq)))
    return entries


# Re-entrant: keyword_extractor() builds the tokenizer under this lock when it is the first to ask.
_lock = threading.RLock()
_tokenizer: jieba.Tokenizer | None = None
_keyword_extractor: jieba.analyse.TFIDF | None = None


def tokenizer() -> jieba.Tokenizer:
    """The engine's own jieba tokenizer, built once on first use.

    A separate `jieba.Tokenizer` instead of the global `jieba.dt`: adding our dictionary to the global
    one would change how every other user of jieba in the process cuts text.
    """
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                jieba.setLogLevel(logging.WARNING)
                tk = jieba.Tokenizer()
                tk.initialize()
                # add_word with explicit frequencies instead of load_userdict: our file has comment
                # lines, and explicit counts avoid one suggest_freq cut per word at start-up.
                for word, freq in _read_userdict():
                    tk.add_word(word, freq)
                _tokenizer = tk
    return _tokenizer


def _keep(token: str) -> bool:
    token = token.strip()
    if not token or token in stopwords():
        return False
    if not _CONTENT.search(token):
        return False
    # Single Han characters are mostly particles and measure words; letters/digits alone ("a", "5")
    # likewise. Character n-grams in the lexical index still see them.
    return len(token) >= 2


def tokens(text: str) -> list[str]:
    """Words of a cleaned text in jieba's precise mode, without stopwords and punctuation."""
    return [t.lower() for t in tokenizer().cut(text, HMM=True) if _keep(t)]


def index_tokens(text: str) -> list[str]:
    """Words for the lexical index: search mode adds the dictionary sub-words of long words.

    A need that says 塑料零件 should meet a team whose work says 塑料零件及其他塑料制品制造, so the
    long name is indexed together with its parts.
    """
    return [t.lower() for t in tokenizer().cut_for_search(text, HMM=True) if _keep(t)]


def keyword_extractor() -> jieba.analyse.TFIDF:
    """jieba's TF-IDF keyword extractor (its shipped IDF table) wired to our tokenizer and stopwords."""
    global _keyword_extractor
    if _keyword_extractor is None:
        with _lock:
            if _keyword_extractor is None:
                extractor = jieba.analyse.TFIDF()
                tk = tokenizer()
                extractor.tokenizer = tk
                extractor.postokenizer = jieba.posseg.POSTokenizer(tk)
                extractor.stop_words = set(extractor.stop_words) | stopwords()
                _keyword_extractor = extractor
    return _keyword_extractor


def keywords(text: str, k: int = 5) -> list[str]:
    """The k most topical words of a cleaned text, for display and for explaining a match."""
    words = keyword_extractor().extract_tags(text, topK=max(k * 3, 10))
    # The extractor's own filter lets through symbols; our filter is the same one the index uses. A bare
    # number (a year, a sample size, "4000") or a measurement ("667m2") is rare in the IDF table, so it
    # ranks high, but it names no topic: it stays searchable in the index, not shown as a keyword.
    return [w.lower() for w in words if _keep(w) and not _is_quantity(w)][:k]


def is_topical(word: str) -> bool:
    """A word that says what a text is about, not one any text uses: its IDF in jieba's shipped table
    (counted over a large general corpus) is above TOPICAL_IDF; a word the table lacks (a project
    term, a rare word) counts as topical."""
    if _is_quantity(word):  # "10" is shared by many texts and names nothing
        return False
    extractor = keyword_extractor()
    return extractor.idf_freq.get(word, extractor.median_idf) > TOPICAL_IDF


def _is_quantity(word: str) -> bool:
    return bool(_NUMBER.fullmatch(word) or _MEASURE.fullmatch(word))
