"""Reading a matching benchmark corpus in the csl-dev format.

A corpus directory holds teams.jsonl (id, name, disciplines, works[{abstract, title?, keywords?}]),
needs.jsonl (id, title, description; one of the two may be empty) and qrels.tsv (need_id, team_id,
relevance with a header row). Every line is checked; the first problem raises CorpusError naming the
file and the line, because a benchmark that silently skips bad rows measures something other than what
it claims.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from . import text as textmod
from .portrait import Need, TeamPortrait, Work


class CorpusError(ValueError):
    """A corpus file is missing or a line in it is malformed."""

    def __init__(self, path: Path | str, line: int | None, message: str):
        self.path = str(path)
        self.line = line
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


@dataclass
class Corpus:
    teams: list[TeamPortrait]
    needs: list[Need]
    # need id → {team id → relevance}; pairs not listed are 0.
    qrels: dict[str, dict[str, int]] = field(default_factory=dict)


def _jsonl(path: Path):
    if not path.is_file():
        raise CorpusError(path, None, "file not found")
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CorpusError(path, number, f"invalid JSON: {exc.msg}") from exc
            if not isinstance(record, dict):
                raise CorpusError(path, number, "expected a JSON object")
            yield number, record


def _text(record: dict, key: str, path: Path, number: int, required: bool = True) -> str:
    value = record.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise CorpusError(path, number, f"field {key!r} is missing or not a non-empty string")
    return value


def _strings(record: dict, key: str, path: Path, number: int, required: bool = True) -> list[str]:
    value = record.get(key)
    if value is None and not required:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CorpusError(path, number, f"field {key!r} is missing or not a list of strings")
    return value


def _unique(seen: set[str], record_id: str, path: Path, number: int) -> None:
    if record_id in seen:
        raise CorpusError(path, number, f"duplicate id {record_id!r}")
    seen.add(record_id)


def read_teams(path: Path) -> list[TeamPortrait]:
    teams, seen = [], set()
    for number, rec in _jsonl(path):
        team_id = _text(rec, "id", path, number)
        _unique(seen, team_id, path, number)
        raw_works = rec.get("works")
        if not isinstance(raw_works, list):
            raise CorpusError(path, number, "field 'works' is missing or not a list")
        works = []
        for i, w in enumerate(raw_works):
            if not isinstance(w, dict) or not isinstance(w.get("abstract"), str) or not w["abstract"].strip():
                raise CorpusError(path, number, f"works[{i}] has no 'abstract' text")
            keywords = w.get("keywords") or []
            if isinstance(keywords, str):
                keywords = [keywords]
            work = Work(abstract=w["abstract"], title=w.get("title") or "", keywords=list(keywords))
            _check_text(work.text(), path, number, f"works[{i}]")
            works.append(work)
        teams.append(
            TeamPortrait(
                id=team_id,
                name=_text(rec, "name", path, number),
                disciplines=_strings(rec, "disciplines", path, number),
                keywords=_strings(rec, "keywords", path, number, required=False),
                description=_text(rec, "description", path, number, required=False),
                works=works,
            )
        )
    return teams


def read_needs(path: Path) -> list[Need]:
    needs, seen = [], set()
    for number, rec in _jsonl(path):
        need_id = _text(rec, "id", path, number)
        _unique(seen, need_id, path, number)
        # A need of a title alone (or a description alone) is still a need: only one without any text is
        # refused, since it could match nothing.
        title = _text(rec, "title", path, number, required=False)
        description = _text(rec, "description", path, number, required=False)
        if not (title.strip() or description.strip()):
            raise CorpusError(path, number, "need has no text: 'title' and 'description' are both empty")
        need = Need(id=need_id, title=title, description=description)
        _check_text(need.text(), path, number, "the need")
        needs.append(need)
    return needs


def _check_text(text: str, path: Path, number: int, what: str) -> None:
    """Refuse a text the engine cannot read (only emoji or symbols, or over its length limit) here, with
    its line, rather than deep inside a ranking."""
    try:
        textmod.clean(text)
    except textmod.TextError as exc:
        raise CorpusError(path, number, f"{what} has no usable text: {exc}") from None


def read_qrels(path: Path, need_ids: set[str], team_ids: set[str]) -> dict[str, dict[str, int]]:
    if not path.is_file():
        raise CorpusError(path, None, "file not found")
    qrels: dict[str, dict[str, int]] = {}
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            cells = line.rstrip("\n").split("\t")
            if number == 1 and cells[0] == "need_id":
                continue
            if len(cells) != 3:
                raise CorpusError(path, number, f"expected 3 tab-separated columns, got {len(cells)}")
            need_id, team_id, rel = cells
            if need_id not in need_ids:
                raise CorpusError(path, number, f"unknown need id {need_id!r}")
            if team_id not in team_ids:
                raise CorpusError(path, number, f"unknown team id {team_id!r}")
            try:
                relevance = int(rel)
            except ValueError:
                raise CorpusError(path, number, f"relevance {rel!r} is not an integer") from None
            if relevance < 0:
                raise CorpusError(path, number, f"relevance {relevance} is negative")
            qrels.setdefault(need_id, {})[team_id] = relevance
    return qrels


def load_corpus(directory: Path | str) -> Corpus:
    directory = Path(directory)
    if not directory.is_dir():
        raise CorpusError(directory, None, "corpus directory not found")
    teams = read_teams(directory / "teams.jsonl")
    needs = read_needs(directory / "needs.jsonl")
    if not teams:
        raise CorpusError(directory / "teams.jsonl", None, "no teams")
    if not needs:
        raise CorpusError(directory / "needs.jsonl", None, "no needs")
    qrels = read_qrels(directory / "qrels.tsv", {n.id for n in needs}, {t.id for t in teams})
    return Corpus(teams=teams, needs=needs, qrels=qrels)


def write_corpus(corpus: Corpus, directory: Path | str) -> Path:
    """Write a corpus in the same format load_corpus reads (used to ship a small sample of a benchmark)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / "teams.jsonl").open("w", encoding="utf-8") as fh:
        for t in corpus.teams:
            works = [{"title": w.title, "keywords": w.keywords, "abstract": w.abstract} for w in t.works]
            record = {"id": t.id, "name": t.name, "disciplines": t.disciplines, "works": works}
            if t.keywords:
                record["keywords"] = t.keywords
            if t.description:
                record["description"] = t.description
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    with (directory / "needs.jsonl").open("w", encoding="utf-8") as fh:
        for n in corpus.needs:
            fh.write(
                json.dumps({"id": n.id, "title": n.title, "description": n.description}, ensure_ascii=False)
                + "\n"
            )
    with (directory / "qrels.tsv").open("w", encoding="utf-8") as fh:
        fh.write("need_id\tteam_id\trelevance\n")
        for n in corpus.needs:
            for team_id, relevance in sorted(corpus.qrels.get(n.id, {}).items()):
                fh.write(f"{n.id}\t{team_id}\t{relevance}\n")
    return directory
