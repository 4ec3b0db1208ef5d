"""`make reproduce` runs its cells and the report's re-runs in one pool (scripts/reproduce.py): the same
configurations, records and interleaving rows as the Hydra sweeps and the report's own re-runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from omegaconf import OmegaConf

from glgan.experiment.cells import cell_config, compose_cell
from glgan.experiment.held import DataStatus
from glgan.experiment.plan import Cell, Fit, load_plan

ROOT = Path(__file__).resolve().parents[1]
TIMING = {"sampler_seconds", "classifier_seconds", "finished_at", "git_commit"}


def _usps_held():
    from glgan.data import DataFileError, load_dataset

    try:
        load_dataset("usps", download=False)
    except DataFileError as error:
        pytest.skip(f"USPS not held here: {str(error).splitlines()[0]}")


@pytest.mark.parametrize("dataset, overrides", [("usps", ()), ("gas_drift", ("dataset.allow_partial=true",))])
def test_cell_config_is_the_composed_config(dataset, overrides):
    for method in load_plan("paper").methods:
        for seed, ratio in ((0, 0.01), (7, 0.2)):
            composed = compose_cell("paper", dataset, method, seed, ratio, overrides)
            cached = cell_config("paper", dataset, method, seed, ratio, overrides)
            assert OmegaConf.to_yaml(cached) == OmegaConf.to_yaml(composed), method
            assert OmegaConf.to_container(cached, resolve=True) == OmegaConf.to_container(composed, resolve=True)


def _records(root: Path) -> dict[str, list[dict]]:
    return {str(p.relative_to(root)): [{k: v for k, v in r.items() if k not in TIMING}
                                       for r in json.loads(p.read_text())["records"]]
            for p in sorted(root.rglob("seed*.json"))}


def test_a_pool_cell_writes_the_record_of_a_hydra_sweep_and_the_reports_row(tmp_path):
    _usps_held()
    from glgan.experiment import derived
    from glgan.experiment.loading import load_once
    from glgan.run import run_cell_task

    sweep = subprocess.run(
        [sys.executable, "-m", "glgan.run", "-m", "experiment=quick", "dataset=usps", "method=smote,mdo", "seed=0,1",
         "ratio=0.01", f"results_dir={tmp_path / 'hydra'}", "hydra.launcher.n_jobs=1",
         f"hydra.sweep.dir={tmp_path / 'sweep'}"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONHASHSEED": "0"})
    assert sweep.returncode == 0, sweep.stderr[-3000:]
    for method in ("smote", "mdo"):
        for seed in (0, 1):
            result = run_cell_task("quick", Cell("usps", method, 0.01, seed), str(tmp_path / "pool"),
                                   interleaving_cache=str(tmp_path / "from_cell"))
            assert result["ok"], result
    assert len(_records(tmp_path / "hydra")) == 4
    assert _records(tmp_path / "pool") == _records(tmp_path / "hydra")

    dataset, _ = load_once("usps")
    for method in ("smote", "mdo"):
        derived._fit_one("quick", dataset, "usps", method, 1, (), tmp_path / "refit", False)
    from_cell = {p.relative_to(tmp_path / "from_cell"): p.read_bytes() for p in (tmp_path / "from_cell").rglob("*.json")}
    refit = {p.relative_to(tmp_path / "refit"): p.read_bytes() for p in (tmp_path / "refit").rglob("*.json")}
    assert len(refit) == 2 and {k: from_cell[k] for k in refit} == refit


def test_report_fits_leaves_to_the_cells_what_they_compute(tmp_path):
    import scripts.reproduce as reproduce

    plan = load_plan("paper").restrict(datasets=["usps", "mnist"], methods=["imbalanced", "smote", "glgan", "cgan"])
    statuses = {name: DataStatus(name, True, False, f"{name}: held") for name in ("usps", "mnist", "gisette")}
    pending = [Cell("usps", m, 0.01, s) for m in plan.methods for s in range(3)]
    fits, from_cells = reproduce.report_fits(plan, statuses, pending, tmp_path)
    # usps rows at the interleaving seeds 0 and 1 come from their cells; MNIST has no cells, and keeps images
    assert from_cells == {Cell("usps", m, 0.01, s) for m in ("smote", "glgan", "cgan") for s in (0, 1)}
    assert {(f.dataset, f.method, f.seed, f.keep_images) for f in fits if f.kind == "interleaving"} == {
        ("mnist", m, s, m in ("smote", "glgan") and s == 0) for m in ("smote", "glgan", "cgan") for s in (0, 1)}
    assert [(f.dataset, f.method) for f in fits if f.kind == "cgan_history"] == [("usps", "cgan")]

    order = sorted([*pending, *fits], key=reproduce.estimated_seconds, reverse=True)
    assert isinstance(order[0], Fit) and order[0].dataset == "mnist" and order[0].method in reproduce.TORCH_METHODS
    assert order[-1].method in ("imbalanced", "smote")
