"""Sampler re-runs the results store cannot answer: interleaving statistics and MNIST image grids.

Each (experiment, dataset, method, seed) is fitted once on the runner's split and cached as
``<cache>/<dataset>/<method>/seed<seed>-<config hash>.json`` (+ ``.npz`` with the first synthetic images
on MNIST), so regenerating the report is cheap and gives identical files. A changed sampler config gets a
new hash and is recomputed.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.preprocessing import MinMaxScaler
from threadpoolctl import threadpool_limits

from glgan.experiment.cells import cell_config, cell_hash, cell_split, make_sampler
from glgan.experiment.interleaving import added_rows, interleaving
from glgan.experiment.protocol import MINORITY, PAPER_RATIO, make_split

log = logging.getLogger("glgan.report")
N_IMAGES = 64  # images kept per MNIST sampler for Figures 5 and 6
MNIST_FIGURE_METHODS = ("plain_ae", "auto_only", "smote", "glgan")
COLUMNS = ["dataset", "method", "seed", "ratio", "config_hash", "data_variant", "n_synthetic", "share_majority_nn",
           "mean_dist_minority", "real_n", "real_share_majority_nn", "real_mean_dist_minority"]


def _pixels(raw_split, X_scaled: np.ndarray) -> np.ndarray:
    """Scaled rows back in MNIST's 0..255 pixel units (inverting the runner's min-max scaling)."""
    scaler = MinMaxScaler().fit(raw_split.X_train)
    return np.clip(np.rint(scaler.inverse_transform(X_scaled)), 0, 255).astype(np.uint8)


def cache_path(cache: Path, cfg, name: str, method: str, seed: int) -> Path:
    """Where the interleaving row of a cell is cached (its ``.npz`` of MNIST images beside it)."""
    return cache / name / method / f"seed{seed}-{cell_hash(cfg)}.json"


def write_row(path: Path, cfg, dataset, name: str, method: str, seed: int, split, X_res, y_res) -> dict:
    """Compute and cache the interleaving row of a fit (``X_res``, ``y_res`` resampled from ``split``)."""
    row = {"dataset": name, "method": method, "seed": seed, "ratio": PAPER_RATIO, "config_hash": cell_hash(cfg),
           "data_variant": dataset.variant, **interleaving(split, np.asarray(X_res), np.asarray(y_res))}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(row, indent=1, sort_keys=True))
    return row


def _fit_one(experiment: str, dataset, name: str, method: str, seed: int, overrides, cache: Path,
             keep_images: bool) -> tuple[dict, str | None]:
    """Fit ``method`` on the split of ``dataset`` for ``seed`` (cached): its interleaving row and a log line
    (None when the row was cached)."""
    cached = cached_row(experiment, name, method, seed, overrides, cache, keep_images)
    if cached is not None:
        return cached, None
    cfg = cell_config(experiment, name, method, seed, PAPER_RATIO, overrides)
    path = cache_path(cache, cfg, name, method, seed)
    images_path = path.with_suffix(".npz")
    split = cell_split(cfg, dataset)
    start = time.perf_counter()
    X_res, y_res = make_sampler(cfg).fit_resample(split.X_train, split.y_train)
    seconds = time.perf_counter() - start
    X_res, y_res = np.asarray(X_res), np.asarray(y_res)
    if keep_images:
        X_new, y_new = added_rows(split.X_train, split.y_train, X_res, y_res)
        raw = make_split(dataset.X, dataset.y, majority=cfg.dataset.majority, minority=cfg.dataset.minority,
                         ratio=cfg.ratio, seed=cfg.seed)
        synthetic = _pixels(raw, X_new[y_new == MINORITY][:N_IMAGES])
        real = raw.X_train[raw.y_train == MINORITY][:N_IMAGES].astype(np.uint8)
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(images_path, synthetic=synthetic, real_minority=real)
    row = write_row(path, cfg, dataset, name, method, seed, split, X_res, y_res)
    share = "n/a" if row["n_synthetic"] == 0 else f"{100 * row['share_majority_nn']:.0f}%"
    return row, (f"{name}/{method} seed={seed}: {row['n_synthetic']} synthetic minority rows, {share} nearest a "
                 f"majority row (sampler {seconds:.1f} s)")


def _fit_one_single_threaded(*args) -> tuple[dict, str | None]:
    """:func:`_fit_one` in a worker process, with BLAS and OpenMP at one thread (torch samplers set their own)."""
    with threadpool_limits(1):
        return _fit_one(*args)


def fit_cells(names, methods, seeds) -> list[tuple[str, str, int, bool]]:
    """The report's sampler re-runs: ``(dataset, method, seed, keep_images)`` for every dataset x method x
    seed (``imbalanced`` adds no rows and is skipped); MNIST images are kept for Figures 5-6's methods at
    the first seed."""
    seeds = tuple(seeds)
    return [(name, method, seed, name == "mnist" and method in MNIST_FIGURE_METHODS and seed == seeds[0])
            for name in names for method in methods if method != "imbalanced" for seed in seeds]


def cached_row(experiment: str, name: str, method: str, seed: int, overrides, cache: Path,
               keep_images: bool) -> dict | None:
    """The cached interleaving row of a re-run (and its images when ``keep_images``), or None."""
    path = cache_path(cache, cell_config(experiment, name, method, seed, PAPER_RATIO, overrides), name, method, seed)
    if path.is_file() and (not keep_images or path.with_suffix(".npz").is_file()):
        return json.loads(path.read_text())
    return None


def derive(experiment: str, datasets: dict, methods, seeds, cache: Path, n_jobs: int = 1) -> pd.DataFrame:
    """Interleaving rows for every dataset x method x seed; MNIST image grids cached on the way.

    ``datasets`` maps a dataset name to ``(Dataset, hydra overrides)``. ``imbalanced`` adds no rows and
    is skipped. With ``n_jobs`` > 1 the fits that are not cached run in that many single-threaded worker
    processes (each fit is seeded by its cell, so the rows and caches are the same); the log lines follow
    the cells' order.
    """
    cells = fit_cells(datasets, methods, seeds)
    rows = {cell: cached_row(experiment, cell[0], cell[1], cell[2], datasets[cell[0]][1], cache, cell[3])
            for cell in cells}
    todo = [cell for cell in cells if rows[cell] is None]
    args = [(experiment, datasets[name][0], name, method, seed, datasets[name][1], cache, keep)
            for name, method, seed, keep in todo]
    if n_jobs == 1 or len(todo) < 2:
        results = (_fit_one(*a) for a in args)
    else:
        results = Parallel(n_jobs=n_jobs, return_as="generator")(delayed(_fit_one_single_threaded)(*a) for a in args)
    for cell, (row, message) in zip(todo, results):
        if message:
            log.info(message)
        rows[cell] = row
    # fixed order: fresh and cached rows give the same file
    return pd.DataFrame([rows[cell] for cell in cells], columns=COLUMNS)


def mnist_images(cache: Path, experiment: str, method: str, seed: int, overrides=()) -> dict | None:
    """The cached MNIST arrays (``synthetic``, ``real_minority``) of ``method``, or None if not computed."""
    cfg = cell_config(experiment, "mnist", method, seed, PAPER_RATIO, overrides)
    path = cache / "mnist" / method / f"seed{seed}-{cell_hash(cfg)}.npz"
    if not path.is_file():
        return None
    with np.load(path) as content:
        return {key: content[key] for key in content.files}


def cgan_history_path(experiment: str, name: str, seed: int, overrides, cache: Path) -> Path:
    cfg = cell_config(experiment, name, "cgan", seed, PAPER_RATIO, overrides)
    return cache / name / "cgan" / f"history-seed{seed}-{cell_hash(cfg)}.json"


def _cgan_history(experiment: str, dataset, name: str, seed: int, overrides, cache: Path) -> str | None:
    """Fit cGAN on the split of ``name`` and cache its history, unless cached; a log line when fitted."""
    path = cgan_history_path(experiment, name, seed, overrides, cache)
    if path.is_file():
        return None
    cfg = cell_config(experiment, name, "cgan", seed, PAPER_RATIO, overrides)
    split = cell_split(cfg, dataset)
    sampler = make_sampler(cfg)
    sampler.fit_resample(split.X_train, split.y_train)
    history = getattr(sampler, "history_", None) or {}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"dataset": name, "seed": seed, "history": history}, indent=1, sort_keys=True))
    return f"{name}/cgan seed={seed}: {history.get('n_updates')} updates, stopped: {history.get('stopped')}"


def cgan_histories(experiment: str, datasets: dict, seed: int, cache: Path) -> dict[str, dict]:
    """cGAN's training history (``CGAN.history_``) on the r = 0.01 split of each dataset, for one seed.

    Cached as ``<cache>/<dataset>/cgan/history-seed<seed>-<config hash>.json``. ``datasets`` maps a name
    to ``(Dataset, hydra overrides)``, as for :func:`derive`. Returns ``{dataset: history}``.
    """
    out = {}
    for name, (dataset, overrides) in datasets.items():
        message = _cgan_history(experiment, dataset, name, seed, overrides, cache)
        if message:
            log.info(message)
        out[name] = json.loads(cgan_history_path(experiment, name, seed, overrides, cache).read_text())["history"]
    return out


def run_fit_task(experiment: str, fit, cache: Path, data_dir=None) -> dict:
    """One sampler re-run of the report (``fit``: a :class:`glgan.experiment.plan.Fit`) in a worker of
    ``make reproduce``'s pool: the dataset read once per process, BLAS at one thread; cached as the report
    reads it. Returns a summary for the progress line (never raises)."""
    from glgan.experiment.loading import load_once

    start = time.perf_counter()
    try:
        dataset, _ = load_once(fit.dataset, data_dir, allow_partial=fit.allow_partial)
        with threadpool_limits(1):
            if fit.kind == "cgan_history":
                message = _cgan_history(experiment, dataset, fit.dataset, fit.seed, fit.overrides, cache)
            else:
                _, message = _fit_one(experiment, dataset, fit.dataset, fit.method, fit.seed, fit.overrides, cache,
                                      fit.keep_images)
    except Exception as error:  # noqa: BLE001 - the report re-runs what failed, in its own process
        return {"task": fit, "ok": False, "error": f"{type(error).__name__}: {' '.join(str(error).split())}",
                "seconds": time.perf_counter() - start}
    return {"task": fit, "ok": True, "message": message, "seconds": time.perf_counter() - start}
