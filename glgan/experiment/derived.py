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

from glgan.experiment.cells import cell_hash, cell_split, compose_cell, make_sampler
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


def _fit_one(experiment: str, dataset, name: str, method: str, seed: int, overrides, cache: Path,
             keep_images: bool) -> tuple[dict, str | None]:
    """Fit ``method`` on the split of ``dataset`` for ``seed`` (cached): its interleaving row and a log line
    (None when the row was cached)."""
    cfg = compose_cell(experiment, name, method, seed, PAPER_RATIO, overrides)
    path = cache / name / method / f"seed{seed}-{cell_hash(cfg)}.json"
    images_path = path.with_suffix(".npz")
    if path.is_file() and (not keep_images or images_path.is_file()):
        return json.loads(path.read_text()), None
    split = cell_split(cfg, dataset)
    start = time.perf_counter()
    X_res, y_res = make_sampler(cfg).fit_resample(split.X_train, split.y_train)
    seconds = time.perf_counter() - start
    X_res, y_res = np.asarray(X_res), np.asarray(y_res)
    row = {"dataset": name, "method": method, "seed": seed, "ratio": PAPER_RATIO, "config_hash": cell_hash(cfg),
           "data_variant": dataset.variant, **interleaving(split, X_res, y_res)}
    path.parent.mkdir(parents=True, exist_ok=True)
    if keep_images:
        X_new, y_new = added_rows(split.X_train, split.y_train, X_res, y_res)
        raw = make_split(dataset.X, dataset.y, majority=cfg.dataset.majority, minority=cfg.dataset.minority,
                         ratio=cfg.ratio, seed=cfg.seed)
        synthetic = _pixels(raw, X_new[y_new == MINORITY][:N_IMAGES])
        real = raw.X_train[raw.y_train == MINORITY][:N_IMAGES].astype(np.uint8)
        np.savez_compressed(images_path, synthetic=synthetic, real_minority=real)
    path.write_text(json.dumps(row, indent=1, sort_keys=True))
    share = "n/a" if row["n_synthetic"] == 0 else f"{100 * row['share_majority_nn']:.0f}%"
    return row, (f"{name}/{method} seed={seed}: {row['n_synthetic']} synthetic minority rows, {share} nearest a "
                 f"majority row (sampler {seconds:.1f} s)")


def _fit_one_single_threaded(*args) -> tuple[dict, str | None]:
    """:func:`_fit_one` in a worker process, with BLAS and OpenMP at one thread (torch samplers set their own)."""
    with threadpool_limits(1):
        return _fit_one(*args)


def derive(experiment: str, datasets: dict, methods, seeds, cache: Path, n_jobs: int = 1) -> pd.DataFrame:
    """Interleaving rows for every dataset x method x seed; MNIST image grids cached on the way.

    ``datasets`` maps a dataset name to ``(Dataset, hydra overrides)``. ``imbalanced`` adds no rows and
    is skipped. With ``n_jobs`` > 1 the fits that are not cached run in that many single-threaded worker
    processes (each fit is seeded by its cell, so the rows and caches are the same); the log lines follow
    the cells' order.
    """
    cells = [(name, method, seed, name == "mnist" and method in MNIST_FIGURE_METHODS and seed == seeds[0])
             for name in datasets for method in methods if method != "imbalanced" for seed in seeds]
    args = [(experiment, datasets[name][0], name, method, seed, datasets[name][1], cache, keep)
            for name, method, seed, keep in cells]
    if n_jobs == 1:
        results = (_fit_one(*a) for a in args)
    else:
        results = Parallel(n_jobs=n_jobs, return_as="generator")(delayed(_fit_one_single_threaded)(*a) for a in args)
    rows = []
    for row, message in results:
        if message:
            log.info(message)
        rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)  # fixed order: fresh and cached rows give the same file


def mnist_images(cache: Path, experiment: str, method: str, seed: int, overrides=()) -> dict | None:
    """The cached MNIST arrays (``synthetic``, ``real_minority``) of ``method``, or None if not computed."""
    cfg = compose_cell(experiment, "mnist", method, seed, PAPER_RATIO, overrides)
    path = cache / "mnist" / method / f"seed{seed}-{cell_hash(cfg)}.npz"
    if not path.is_file():
        return None
    with np.load(path) as content:
        return {key: content[key] for key in content.files}


def cgan_histories(experiment: str, datasets: dict, seed: int, cache: Path) -> dict[str, dict]:
    """cGAN's training history (``CGAN.history_``) on the r = 0.01 split of each dataset, for one seed.

    Cached as ``<cache>/<dataset>/cgan/history-seed<seed>-<config hash>.json``. ``datasets`` maps a name
    to ``(Dataset, hydra overrides)``, as for :func:`derive`. Returns ``{dataset: history}``.
    """
    out = {}
    for name, (dataset, overrides) in datasets.items():
        cfg = compose_cell(experiment, name, "cgan", seed, PAPER_RATIO, overrides)
        path = cache / name / "cgan" / f"history-seed{seed}-{cell_hash(cfg)}.json"
        if not path.is_file():
            split = cell_split(cfg, dataset)
            sampler = make_sampler(cfg)
            sampler.fit_resample(split.X_train, split.y_train)
            history = getattr(sampler, "history_", None) or {}
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps({"dataset": name, "seed": seed, "history": history}, indent=1, sort_keys=True))
            log.info("%s/cgan seed=%d: %s updates, stopped: %s", name, seed, history.get("n_updates"),
                     history.get("stopped"))
        out[name] = json.loads(path.read_text())["history"]
    return out
