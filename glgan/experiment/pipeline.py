"""One experiment cell: split, scale, resample, evaluate every classifier. No Hydra in here."""

from __future__ import annotations

import datetime as dt
import platform
import subprocess
import time
from importlib import metadata
from pathlib import Path

import numpy as np

from glgan.experiment.evaluation import evaluate_classifier
from glgan.experiment.protocol import MAJORITY, MINORITY, make_split, minmax_scale

PACKAGES = ("torch", "numpy", "scikit-learn", "imbalanced-learn", "smote-variants")
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def run_cell(dataset, sampler, classifiers: dict, *, majority, minority, ratio: float, seed: int,
             scale: str = "minmax") -> list[dict]:
    """Evaluate ``sampler`` on the paper's split of ``dataset``; one record per classifier.

    ``dataset`` is a :class:`glgan.data.Dataset`; ``classifiers`` maps a name to an unfitted estimator.
    """
    split = make_split(dataset.X, dataset.y, majority=majority, minority=minority, ratio=ratio, seed=seed)
    if scale == "minmax":
        split = minmax_scale(split)
    elif scale != "none":
        raise ValueError(f"scale must be 'minmax' or 'none', got {scale!r}.")

    start = time.perf_counter()
    X_res, y_res = sampler.fit_resample(split.X_train, split.y_train)
    sampler_seconds = time.perf_counter() - start
    X_res, y_res = np.asarray(X_res), np.asarray(y_res)
    if not np.isfinite(X_res).all():
        raise FloatingPointError(f"{type(sampler).__name__} returned non-finite samples; refusing to evaluate them.")

    common = {
        "dataset": dataset.name,
        "data_variant": dataset.variant,
        "data_source": dataset.source,
        "majority_class": majority,
        "minority_class": minority,
        "ratio": float(ratio),
        "seed": int(seed),
        "scale": scale,
        "n_features": int(split.X_train.shape[1]),
        "n_train_majority": split.n_majority,
        "n_train_minority": split.n_minority,
        "n_test": int(len(split.y_test)),
        "n_resampled_majority": int(np.sum(y_res == MAJORITY)),
        "n_resampled_minority": int(np.sum(y_res == MINORITY)),
        "n_synthetic": int(len(y_res) - len(split.y_train)),
        "sampler_seconds": sampler_seconds,
    }
    return [
        {**common, "classifier": name,
         **evaluate_classifier(clf, X_res, y_res, split.X_test, split.y_test)}
        for name, clf in classifiers.items()
    ]


def provenance() -> dict:
    """Package versions, git commit and time, stored with every record."""
    versions = {}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "python": platform.python_version(),
        "versions": versions,
        "git_commit": _git_commit(),
        "finished_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }


def _git_commit() -> str | None:
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT_ROOT, capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=PROJECT_ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return head + ("-dirty" if dirty else "")
