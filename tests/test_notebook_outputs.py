"""The committed notebook's saved outputs show what ``results/`` holds now (``make report``
re-executes it: notebooks/execute.py), with repository-relative paths and no warnings."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "results.ipynb"
RESULTS = ROOT / "results"
STALE = "saved outputs differ from results/: run `make report` (or .venv/bin/python notebooks/execute.py)"


@pytest.fixture(scope="module")
def cells():
    return [cell for cell in json.loads(NOTEBOOK.read_text())["cells"] if cell["cell_type"] == "code"]


def _outputs(cell, mime):
    return ["".join(out["data"][mime]) if isinstance(out["data"][mime], list) else out["data"][mime]
            for out in cell["outputs"] if mime in out.get("data", {})]


def _cell(cells, marker):
    return next(cell for cell in cells if marker in "".join(cell["source"]))


def test_every_code_cell_was_executed_without_errors_or_warnings(cells):
    for cell in cells:
        assert cell["execution_count"] is not None, STALE
        for out in cell["outputs"]:
            assert out["output_type"] != "error", out
            assert not (out["output_type"] == "stream" and out["name"] == "stderr"), "".join(out["text"])


def test_no_machine_paths_in_saved_outputs():
    text = NOTEBOOK.read_text()
    assert str(ROOT) not in text
    assert not re.search(r"(/work/|/home/|/root/|/tmp/|/Users/|site-packages|[A-Z]:\\\\)", text)
    assert "TqdmWarning" not in text and "IProgress" not in text.replace('message=\\"IProgress not found\\"', "")


def test_record_count_matches_the_store(cells):
    from glgan.report.records import load_records

    printed = "".join("".join(out.get("text", "")) for out in _cell(cells, "load_records(")["outputs"])
    count = len(load_records(RESULTS / "runs" / "paper"))
    assert f"experiment 'paper': {count} classifier records from results/runs/paper" in printed, STALE


def test_tables_match_results_tables(cells):
    shown = _outputs(_cell(cells, 'glob("*.md")'), "text/markdown")
    assert shown == [path.read_text() for path in sorted((RESULTS / "tables").glob("*.md"))], STALE


def test_figures_match_results_figures(cells):
    cell = _cell(cells, 'glob("*.png")')
    names = [text.strip("*") for text in _outputs(cell, "text/markdown")]
    files = sorted((RESULTS / "figures").glob("*.png"))
    assert names == [path.name for path in files], STALE
    images = [base64.b64decode(data) for data in _outputs(cell, "image/png")]
    assert images == [path.read_bytes() for path in files], STALE


def test_claims_match_results_readme(cells):
    (shown,) = _outputs(_cell(cells, "The paper's claims"), "text/markdown")
    text = (RESULTS / "README.md").read_text()
    start = text.find("## The paper's claims")
    assert shown == text[start:text.find("## ", start + 5)], STALE
