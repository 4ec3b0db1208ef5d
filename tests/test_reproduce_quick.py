"""End to end: a small variant of `make reproduce-quick` through the real scripts, Hydra runner and notebook.

One held dataset (USPS) plus MNIST for Figures 5-6, four methods, two seeds, the quick experiment's short
training, everything written under tmp_path. Checks that every output exists and that the tables hold
exactly the means and standard deviations of the raw records.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow
METHODS = ["imbalanced", "random", "smote"]  # fast samplers: this tests the pipeline, not the GANs


@pytest.fixture(scope="module")
def reproduced(tmp_path_factory):
    from glgan.data import DataFileError, load_dataset

    try:
        load_dataset("usps", download=False)
    except DataFileError as error:  # no shared data folder: skip every test of this module, with the reason
        pytest.skip(f"USPS not held here: {str(error).splitlines()[0]}")
    base = tmp_path_factory.mktemp("reproduce")
    command = [sys.executable, "scripts/reproduce.py", "--quick", "--datasets", "usps,mnist",
               "--methods", ",".join(METHODS), "--seeds", "2", "--ratios", "0.01,0.1",
               "--results-dir", str(base / "runs"), "--out", str(base / "out")]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return base, result.stdout


def _records(runs: Path) -> pd.DataFrame:
    rows = [r for path in sorted(runs.glob("quick/*/*/r*/seed*.json")) for r in json.loads(path.read_text())["records"]]
    return pd.DataFrame(rows)


def test_progress_and_skips_are_reported(reproduced):
    _, stdout = reproduced
    assert "[sweep 1/2] usps tables: 6 cells" in stdout and "[sweep 2/2] usps r-sweep" in stdout
    assert "elapsed" in stdout and "reproduce: finished" in stdout


def test_tables_match_the_raw_records(reproduced):
    base, _ = reproduced
    records = _records(base / "runs")
    assert set(records["method"]) == set(METHODS) and set(records["seed"]) == {0, 1}
    table = pd.read_csv(base / "out" / "tables" / "table2_usps.csv")
    checked = 0
    for _, row in table[table["method"].isin(METHODS)].iterrows():
        raw = records[(records.method == row.method) & (records.classifier == row.classifier)
                      & np.isclose(records.ratio, 0.01)][row.metric].to_numpy()
        assert row.n_seeds == len(raw) == 2
        assert row["mean"] == pytest.approx(raw.mean(), abs=1e-6)
        assert row["std"] == pytest.approx(raw.std(ddof=1), abs=1e-6)
        checked += 1
    assert checked == 3 * 3 * len(METHODS)
    markdown = (base / "out" / "tables" / "table2_usps.md").read_text()
    assert "Seeds: 2 per method (0, 1)" in markdown and "experiment `quick`" in markdown


def test_every_output_exists(reproduced):
    base, _ = reproduced
    out = base / "out"
    for stem in ("table2_usps", "table3_sensorless", "table4_gas_drift", "table5_madelon", "table6_gisette"):
        for ext in ("md", "csv", "tex"):
            assert (out / "tables" / f"{stem}.{ext}").is_file()
    for name in ("fig3_gisette_mcc_vs_r.png", "fig3_gisette_mcc_vs_r.pdf", "fig4_usps_mcc_vs_r.png",
                 "fig4_usps_mcc_vs_r.pdf", "fig5_mnist_ae.png", "fig6_mnist_smote_vs_glgan.png", "cd_diagram.png"):
        assert (out / "figures" / name).stat().st_size > 1000
    interleaving = (out / "tables" / "interleaving.md").read_text()
    assert "## USPS" in interleaving and "## MNIST" in interleaving and "| SMOTE |" in interleaving
    assert "SMOTE makes 4/7 hybrids" in (out / "README.md").read_text()


def test_rerun_skips_stored_runs_and_rewrites_identical_report(reproduced):
    base, _ = reproduced
    before = {p: p.read_bytes() for p in sorted((base / "out").rglob("*")) if p.is_file()}
    command = [sys.executable, "scripts/reproduce.py", "--quick", "--datasets", "usps,mnist",
               "--methods", ",".join(METHODS), "--seeds", "2", "--ratios", "0.01,0.1",
               "--results-dir", str(base / "runs"), "--out", str(base / "out")]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600,
                            env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert result.returncode == 0, result.stderr[-4000:]
    assert "6 cells (3 methods x 2 seeds x r=0.01), 0 to run" in result.stdout
    after = {p: p.read_bytes() for p in sorted((base / "out").rglob("*")) if p.is_file()}
    assert after == before


def test_notebook_executes_on_these_results(reproduced):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    base, _ = reproduced
    notebook = nbformat.read(ROOT / "notebooks" / "results.ipynb", as_version=4)
    env_before = dict(os.environ)
    os.environ.update(GLGAN_RESULTS_DIR=str(base / "runs"), GLGAN_REPORT_DIR=str(base / "out"),
                      GLGAN_EXPERIMENT="quick")
    try:
        nbclient.NotebookClient(notebook, timeout=120, resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    finally:
        os.environ.clear()
        os.environ.update(env_before)
    text = json.dumps([cell.get("outputs", []) for cell in notebook.cells])
    assert "experiment 'quick'" in text and "Table 2: USPS" in text and "fig4_usps_mcc_vs_r.png" in text
