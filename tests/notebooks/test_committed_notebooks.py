"""Notebooks in git carry no outputs and no execution counts: outputs would be data from whichever
database a notebook last ran against, and every run would change the file."""

import nbformat
import pytest

from tests.notebooks.harness import NOTEBOOKS, runner

PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))


def test_there_are_notebooks_to_check():
    assert {p.stem for p in PATHS} >= {"matching_quality", "demand_and_gap"}


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_a_committed_notebook_is_valid_and_has_no_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert runner.output_problems(nb) == []
    # The first code cell sets Django up against DATABASE_URL, the way an analyst points it at a copy.
    first = next(c for c in nb.cells if c.cell_type == "code").source
    assert 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")' in first
    assert "django.setup()" in first


def test_the_output_check_finds_outputs_and_strip_clears_them():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# t"), nbformat.v4.new_code_cell("1 + 1")]
    nb.cells[1].execution_count = 3
    nb.cells[1].outputs = [
        nbformat.v4.new_output("execute_result", data={"text/plain": "2"}, execution_count=3)
    ]
    assert runner.output_problems(nb) == ["cell 2 has outputs", "cell 2 has an execution count"]
    assert runner.output_problems(runner.strip(nb)) == []


def test_the_command_line_check_fails_on_a_notebook_with_outputs(tmp_path, monkeypatch, capsys):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("1 + 1")]
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", text="2\n")]
    nbformat.write(nb, tmp_path / "dirty.ipynb")
    monkeypatch.setattr(runner, "HERE", tmp_path)
    monkeypatch.setattr(runner, "ROOT", tmp_path)
    assert runner.main(["--check"]) == 1
    assert "dirty.ipynb: cell 1 has outputs" in capsys.readouterr().out
    assert runner.main(["--strip"]) == 0
    assert runner.main(["--check"]) == 0
