"""README.md and docs/ state measured figures only in generated blocks, each what its template writes now."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from glgan.report.blocks import BlockError, block_names, fill, outside_blocks, stale_blocks
from glgan.report.doc_blocks import DOCS, TEMPLATES

ROOT = Path(__file__).resolve().parents[1]
# A measured figure: a score with three or more decimals, or a duration.
MEASURED = re.compile(r"(?<![\w.=])(?:0\.\d{3,}|\d+(?:\.\d+)? (?:s|ms|min|h)\b(?! *=))")
#: Figures of that shape that are settings or arithmetic, not measurements: Adam's beta, the sensitivity sweep's
#: adoption threshold, the speed bench's targets, and 1/sqrt(519) (one test row of the paper's Madelon split).
NOT_MEASURED = {"0.999", "0.005", "30 s", "120 s", "0.0439"}


def test_every_block_is_what_its_template_writes_now():
    stale = stale_blocks(DOCS, TEMPLATES, ROOT)
    assert not stale, "\n".join(stale)


def test_every_template_fills_a_block_of_some_document():
    used = {name for doc in DOCS for name in block_names((ROOT / doc).read_text())}
    assert set(TEMPLATES) == used, f"templates without a block: {sorted(set(TEMPLATES) - used)}"


def test_the_verdict_is_on_the_readmes_first_screen():
    readme = (ROOT / "README.md").read_text()
    lines = readme.splitlines()
    begin = lines.index("<!-- BEGIN GENERATED: readme-verdict -->")
    assert begin < 60 and len(lines) <= 220
    verdict = readme.split("<!-- BEGIN GENERATED: readme-verdict -->")[1].split("<!-- END GENERATED")[0]
    assert "KEEL eval list" in verdict and re.search(r"\| 0\.\d{3} \| 0\.\d{3} \|", verdict)


@pytest.mark.parametrize("doc", DOCS)
def test_prose_outside_the_blocks_states_no_measured_figure(doc):
    found = [m for m in MEASURED.findall(outside_blocks((ROOT / doc).read_text())) if m not in NOT_MEASURED]
    assert not found, f"{doc}: measured figures outside a generated block: {found}"


def test_a_changed_source_makes_its_block_stale(tmp_path):
    (tmp_path / "doc.md").write_text("intro\n<!-- BEGIN GENERATED: n -->\nold 0.500\n<!-- END GENERATED: n -->\nend\n")
    templates = {"n": lambda root: f"new {(root / 'value.txt').read_text()}"}
    (tmp_path / "value.txt").write_text("0.625")
    assert stale_blocks(["doc.md"], templates, tmp_path) == [
        "doc.md: block 'n' differs from what its template writes now (run `make report`)"]
    assert fill((tmp_path / "doc.md").read_text(), templates, tmp_path) == \
        "intro\n<!-- BEGIN GENERATED: n -->\nnew 0.625\n<!-- END GENERATED: n -->\nend\n"


def test_unknown_and_unbalanced_markers_are_refused():
    with pytest.raises(BlockError, match="no template writes the block"):
        fill("<!-- BEGIN GENERATED: x -->\n<!-- END GENERATED: x -->", {}, ROOT)
    with pytest.raises(BlockError, match="unbalanced"):
        block_names("<!-- BEGIN GENERATED: x -->\nno end")
