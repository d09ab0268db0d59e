"""The identity of an achievement, so the same paper, patent or contract is claimed by one team only."""

import re
import unicodedata

_DOI = re.compile(r"10\.\d{4,9}/\S+", re.IGNORECASE)
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def normalise_achievement_key(key: str) -> str:
    """DOI lower-cased; otherwise (title, patent number, contract number) width-folded, case-folded and
    stripped of spaces and punctuation, so 'ZL 2023 1 0123456.7' and 'ZL202310123456.7' are one patent."""
    text = unicodedata.normalize("NFKC", key or "").strip()
    if not text:
        return ""
    doi = _DOI.search(text)
    if doi:
        return "doi:" + doi.group(0).lower().rstrip(".")
    return _NOISE.sub("", text).casefold()[:200]
