"""Running a notebook from the suite: the kernel is another process, so it gets a database URL that
reaches the data the test committed, and a probe cell that prints the notebook's own variables."""

from __future__ import annotations

import importlib.util
import json
import sqlite3
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
PROBE_MARK = "NOTEBOOK-PROBE:"


def _load_runner():
    spec = importlib.util.spec_from_file_location("notebooks_run", NOTEBOOKS / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


runner = _load_runner()


def kernel_database_url(tmp_path: Path) -> str:
    """A DATABASE_URL for the kernel. PostgreSQL: the test database itself (the test is transactional,
    so its rows are committed). SQLite: pytest-django keeps the test database in this process's memory,
    out of the kernel's reach, so the kernel gets a file copy of it made with SQLite's backup API."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = tmp_path / "notebook.sqlite3"
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        return f"sqlite:///{target}"
    if connection.vendor == "postgresql":
        user = quote(settings.get("USER") or "", safe="")
        password = quote(settings.get("PASSWORD") or "", safe="")
        auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = settings.get("HOST") or "localhost"
        port = f":{settings['PORT']}" if settings.get("PORT") else ""
        return f"postgres://{auth}{host}{port}/{quote(settings['NAME'], safe='')}"
    pytest.skip(f"notebooks are checked on SQLite and PostgreSQL, not {connection.vendor}")


def run_notebook(name: str, tmp_path: Path, probe: str):
    """Execute notebooks/<name>.ipynb top to bottom (a cell error fails the test) against the test
    database; `probe` is an expression evaluated in the kernel at the end. Returns (notebook, probe value)."""
    source = (
        f"import json as _json\nprint({PROBE_MARK!r} + _json.dumps({probe}, ensure_ascii=False, default=str))"
    )
    env = {
        "DATABASE_URL": kernel_database_url(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    nb = runner.execute(NOTEBOOKS / f"{name}.ipynb", env=env, extra_cells=[source])
    printed = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.output_type == "stream")
    line = next(line for line in printed.splitlines() if line.startswith(PROBE_MARK))
    nb.cells.pop()
    return nb, json.loads(line[len(PROBE_MARK) :])


def errors_in(nb) -> list[str]:
    return [
        f"{o.get('ename')}: {o.get('evalue')}"
        for cell in nb.cells
        if cell.cell_type == "code"
        for o in cell.outputs
        if o.output_type == "error"
    ]
