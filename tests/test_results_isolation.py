"""Ad-hoc runs never change an experiment's committed results.

A plain `python -m glgan.run ...` writes to the git-ignored results/adhoc/, and the report of an experiment
reads only the cells its plan runs, naming any other record file it finds in the store.
"""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

import numpy as np
from hydra import compose, initialize_config_dir

from glgan.experiment.config_check import CONFIG_DIR
from glgan.experiment.plan import load_plan
from glgan.experiment.store import ResultStore, RunKey
from glgan.report.make import only_planned

ROOT = Path(__file__).resolve().parents[1]


def test_a_plain_run_writes_to_the_git_ignored_adhoc_store():
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        cfg = compose("config", overrides=["dataset=madelon", "method=smote", "ratio=0.03"])
    assert cfg.results_dir == "results/adhoc"
    probe = "results/adhoc/paper/madelon/smote/r0.03/seed0-0123456789.json"
    ignored = subprocess.run(["git", "check-ignore", "-q", probe], cwd=ROOT)
    assert ignored.returncode == 0, f"{probe} is not git-ignored"
    for path in ("results/quick/README.md", "build/lib/x.py", "outputs/x", "multirun/x"):
        assert subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT).returncode == 0, path


def test_reproduce_writes_the_committed_store_explicitly():
    import scripts.reproduce as reproduce

    from glgan.experiment.plan import Cell

    args = reproduce.parse_args([])
    assert args.results_dir == ROOT / "results" / "runs"
    cell = Cell("usps", "smote", 0.01, 0)
    (_, call_args, _), = reproduce.pool_jobs([cell], "paper", args, ROOT / "cache", set())
    assert call_args[:3] == ("paper", cell, str((ROOT / "results" / "runs").resolve()))


def test_plan_includes_only_its_cells():
    plan = load_plan("quick")
    assert plan.includes("usps", "smote", 0.01, 0) and plan.includes("usps", "glgan", 0.1, 1)
    assert not plan.includes("madelon", "smote", 0.03, 0)  # a ratio outside the plan, as an ad-hoc run uses
    assert not plan.includes("usps", "smote", 0.01, 7)  # a seed beyond the plan's
    assert not plan.includes("madelon", "glgan", 0.1, 0)  # the r-sweep covers the figure datasets only
    assert not plan.includes("usps", "no_such_method", 0.01, 0)


def test_report_ignores_and_names_records_outside_the_plan(tmp_path, caplog):
    plan = load_plan("quick")
    store = ResultStore(tmp_path / "quick")
    record = {"classifier": "mlp", "macro_f1": 0.5, "micro_f1": 0.5, "mcc": 0.1, "finished_at": "2026-01-01"}
    cells = [("usps", "smote", 0.01, 0), ("usps", "smote", 0.01, 1), ("madelon", "smote", 0.03, 0),
             ("usps", "smote", 0.01, 5)]
    for dataset, method, ratio, seed in cells:
        store.write(RunKey(dataset, method, ratio, seed, "abc"),
                    [{**record, "dataset": dataset, "method": method, "ratio": ratio, "seed": seed}])
    with caplog.at_level(logging.WARNING, logger="glgan.report"):
        kept = only_planned(store.load(), plan, store.root)
    assert sorted(zip(kept["dataset"], kept["seed"])) == [("usps", 0), ("usps", 1)]
    assert np.allclose(kept["ratio"], 0.01)
    text = caplog.text
    assert "2 record file(s)" in text and "not in the plan of experiment 'quick'" in text
    assert "madelon/smote/r0.03/seed0-abc.json" in text and "usps/smote/r0.01/seed5-abc.json" in text
