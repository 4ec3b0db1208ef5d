"""Which datasets are held here, and one line that says what is missing and where to get it."""

from __future__ import annotations

import contextlib
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

PARTIAL_OVERRIDE = "dataset.allow_partial=true"


@dataclass(frozen=True)
class DataStatus:
    """Whether ``name`` can be run; ``overrides`` are the Hydra overrides its runs need."""

    name: str
    held: bool
    partial: bool
    line: str
    overrides: tuple[str, ...] = ()


def _one_line(message: str, data_dir: Path) -> str:
    """The first missing file and its source from a :class:`MissingDataError` message, on one line.

    The path is given relative to the data folder so that committed reports hold no machine's paths.
    """
    pairs = re.findall(r"^\s+- (\S.*)\n\s+from (.+)$", message, flags=re.MULTILINE)
    if not pairs:
        return message.splitlines()[0] if message else "data files missing"
    path, source = pairs[0]
    with contextlib.suppress(ValueError):
        path = Path(path).relative_to(data_dir).as_posix()
    more = f" (+{len(pairs) - 1} more: other files or another accepted form, listed by glgan.data.load_dataset)" \
        if len(pairs) > 1 else ""
    return f"missing <data>/{path}, get it from {source}{more}"


def check_dataset(name: str, data_dir=None, download: bool = False) -> DataStatus:
    """Try to load ``name``; a dataset held only in part (gas drift) is run with ``allow_partial``."""
    from glgan.data import DataFileError, load_dataset, resolve_data_dir

    root = resolve_data_dir(data_dir)

    try:
        data = load_dataset(name, data_dir, download=download)
        return DataStatus(name, True, False, f"{name}: held ({data.source}; {data.variant})")
    except DataFileError as error:
        first_error = str(error)
    if "allow_partial" in first_error:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                data = load_dataset(name, data_dir, allow_partial=True, download=download)
        except DataFileError:
            pass
        else:
            return DataStatus(name, True, True,
                              f"{name}: PARTIAL data, run with {PARTIAL_OVERRIDE} ({data.variant}; "
                              f"{_one_line(first_error, root)})", (PARTIAL_OVERRIDE,))
    return DataStatus(name, False, False, f"{name}: SKIPPED, not held: {_one_line(first_error, root)}")
