"""Run the notebooks top to bottom against the database in DATABASE_URL and keep an executed copy.

    .venv/bin/python notebooks/run.py                    # every notebook → var/notebooks/<name>.ipynb
    .venv/bin/python notebooks/run.py demand_and_gap     # one notebook
    .venv/bin/python notebooks/run.py --strip            # clear outputs before committing
    .venv/bin/python notebooks/run.py --check            # exit 1 if a notebook in git has outputs

The executed copy holds every table and chart; its charts are also written as PNG files beside it
(var/notebooks/<name>/figure-01.png …), so they can be read without Jupyter. Notebooks in git carry no
outputs: outputs hold data from whichever database the notebook last ran against.
"""

from __future__ import annotations

import argparse
import base64
import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT_DIR = ROOT / "var" / "notebooks"
CELL_TIMEOUT_S = 1800


def notebook_paths() -> list[Path]:
    return sorted(p for p in HERE.glob("*.ipynb"))


def execute(path: Path, *, env: dict | None = None, extra_cells=(), timeout: int = CELL_TIMEOUT_S):
    """The notebook executed in a fresh kernel (cwd = notebooks/); any cell error raises
    nbclient's CellExecutionError. `extra_cells` (source strings) run after the notebook's own."""
    nb = nbformat.read(path, as_version=4)
    nb.cells.extend(nbformat.v4.new_code_cell(source) for source in extra_cells)
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=timeout,
        resources={"metadata": {"path": str(HERE)}},
    )
    client.execute(env={**os.environ, **(env or {})})
    return nb


def output_problems(nb) -> list[str]:
    """What makes a notebook unfit for git: outputs or execution counts left in its cells."""
    problems = []
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code":
            continue
        if cell.get("outputs"):
            problems.append(f"cell {number} has outputs")
        if cell.get("execution_count") is not None:
            problems.append(f"cell {number} has an execution count")
    return problems


def strip(nb):
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def figures(nb) -> list[bytes]:
    """The PNG images among the outputs, in order."""
    return [
        base64.b64decode(output["data"]["image/png"])
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if "image/png" in output.get("data", {})
    ]


def save_executed(nb, name: str) -> Path:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    target = OUT_DIR / f"{name}.ipynb"
    nbformat.write(nb, target)
    figure_dir = OUT_DIR / name
    figure_dir.mkdir(exist_ok=True)
    for old in figure_dir.glob("figure-*.png"):
        old.unlink()
    for number, png in enumerate(figures(nb), start=1):
        (figure_dir / f"figure-{number:02d}.png").write_bytes(png)
    return target


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="执行 notebooks/ 下的分析笔记本，或检查/清除其输出")
    parser.add_argument("names", nargs="*", help="笔记本名（不含 .ipynb）；默认全部")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--strip", action="store_true", help="清除输出与执行序号（提交前）")
    group.add_argument("--check", action="store_true", help="有输出或执行序号时以 1 退出")
    args = parser.parse_args(argv)
    paths = notebook_paths()
    if args.names:
        known = {p.stem: p for p in paths}
        unknown = [n for n in args.names if n not in known]
        if unknown:
            parser.error(f"没有这个笔记本：{', '.join(unknown)}（可选：{', '.join(known)}）")
        paths = [known[n] for n in args.names]
    if args.check:
        bad = [f"{p.name}: {problem}" for p in paths for problem in output_problems(nbformat.read(p, 4))]
        print("\n".join(bad) or "所有笔记本均无输出。")
        return 1 if bad else 0
    for path in paths:
        if args.strip:
            nbformat.write(strip(nbformat.read(path, as_version=4)), path)
            print(f"已清除输出：{path.relative_to(ROOT)}")
        else:
            print(f"执行 {path.relative_to(ROOT)} …", flush=True)
            target = save_executed(execute(path), path.stem)
            print(
                f"  已写入 {target.relative_to(ROOT)}（图表见 {target.with_suffix('').relative_to(ROOT)}/）"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
