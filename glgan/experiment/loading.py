"""A held dataset loaded once per process: the runner's parallel workers run many cells of one dataset."""

from __future__ import annotations

import functools
import warnings

__all__ = ["load_once", "load_noting"]


def _files_state(name: str, data_dir) -> tuple:
    """(path, size, mtime) of every file under ``<data_dir>/<name>``: a loaded copy is reused only while
    they are unchanged."""
    from glgan.data.dataset import resolve_data_dir

    folder = resolve_data_dir(data_dir) / name
    if not folder.is_dir():
        return ()
    return tuple(sorted((str(path.relative_to(folder)), stat.st_size, stat.st_mtime_ns)
                        for path in folder.rglob("*") if path.is_file() for stat in [path.stat()]))


@functools.lru_cache(maxsize=4)  # make reproduce's workers run cells of four datasets
def _load(name: str, data_dir, allow_partial: bool, files_state: tuple):
    from glgan.data import load_dataset

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        dataset = load_dataset(name, data_dir, allow_partial=allow_partial)
    dataset.X.flags.writeable = False  # shared by every cell of this process; each cell copies its rows
    dataset.y.flags.writeable = False
    return dataset, tuple(caught)


def load_once(name: str, data_dir=None, *, allow_partial: bool = False):
    """``glgan.data.load_dataset(name, data_dir, allow_partial=...)`` and the warnings it raised, read from
    disk once per process while the dataset's files are unchanged (reading USPS takes 0.4 s, the partial
    Gas drift 0.8 s; a sweep runs 100 and more cells of each). The arrays are read-only."""
    return _load(name, None if data_dir is None else str(data_dir), allow_partial, _files_state(name, data_dir))


def load_noting(name: str, data_dir, *, allow_partial: bool, note):
    """:func:`load_once`, its UserWarnings (the partial-data note) handed to ``note(text)``, every other warning
    raised again as it was."""
    dataset, caught = load_once(name, data_dir, allow_partial=allow_partial)
    for w in caught:
        if issubclass(w.category, UserWarning):
            note(str(w.message))
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return dataset
