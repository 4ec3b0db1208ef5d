"""The results store: one small JSON file per (dataset, method, ratio, seed, config) run.

A run's records (one per classifier) are written together to a temporary file in the same folder and
moved into place with :func:`os.replace`, which is atomic on POSIX file systems (NFS included). A run
killed halfway therefore leaves either no file or a complete one, and any number of workers can write
at once without locks because no two runs share a file. A file that exists is never recomputed.

Layout: ``<root>/<dataset>/<method>/r<ratio>/seed<seed>-<config hash>.json`` for the paper's splits
(:class:`RunKey`) and ``<root>/<dataset>/<method>/cv<folds>/rep<repeat>-fold<fold>-<config hash>.json`` for
one cross-validation fold of the KEEL benchmark (:class:`FoldKey`).

Every record written carries ``glgan_version``, the installed ``glgan-repro`` version (None when the
package runs uninstalled); the runner adds the git commit (``git_commit``) where there is one. Records
written before this field existed have no such key, and every reader accepts them (the column is then
missing or NaN). The field is not part of a run's key or configuration hash.
"""

from __future__ import annotations

import json
import os
import tempfile
import warnings
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pandas as pd

KEY_COLUMNS = ("dataset", "method", "ratio", "seed", "classifier")
CV_KEY_COLUMNS = ("dataset", "method", "repeat", "fold", "classifier")
PATTERNS = ("*/*/r*/seed*.json", "*/*/cv*/rep*.json")
DISTRIBUTION = "glgan-repro"


def package_version() -> str | None:
    """The installed version of this project (``glgan-repro``), or None when it is not installed."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return None


@dataclass(frozen=True)
class RunKey:
    dataset: str
    method: str
    ratio: float
    seed: int
    config_hash: str

    @property
    def relative_path(self) -> Path:
        return Path(self.dataset, self.method, f"r{self.ratio:g}", f"seed{self.seed}-{self.config_hash}.json")


@dataclass(frozen=True)
class FoldKey:
    """One fold of a repeated k-fold cross-validation (the KEEL benchmark)."""

    dataset: str
    method: str
    n_folds: int
    repeat: int
    fold: int
    config_hash: str

    @property
    def relative_path(self) -> Path:
        return Path(self.dataset, self.method, f"cv{self.n_folds}", f"rep{self.repeat}-fold{self.fold}-{self.config_hash}.json")


class ResultStore:
    """Read and write run records under ``root``."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def path_for(self, key: RunKey | FoldKey) -> Path:
        return self.root / key.relative_path

    def has(self, key: RunKey) -> bool:
        return self.path_for(key).is_file()

    def read(self, key: RunKey) -> list[dict]:
        return json.loads(self.path_for(key).read_text())["records"]

    def write(self, key: RunKey, records: list[dict]) -> Path:
        """Store ``records`` (each given ``glgan_version`` unless it has one) atomically; return the file."""
        version = package_version()
        records = [{"glgan_version": version, **record} for record in records]
        path = self.path_for(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = json.dumps({"key": key.__dict__, "records": records}, indent=1, sort_keys=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path

    def load(self) -> pd.DataFrame:
        """All records as a DataFrame, one row per (run, classifier).

        If the same (dataset, method, ratio, seed, classifier) was run under several configurations (an
        edited method config, say), the newest run is kept and the older files are named in a warning;
        fold records (those with a ``fold``) are matched on (dataset, method, repeat, fold, classifier).
        """
        files = sorted(path for pattern in PATTERNS for path in self.root.glob(pattern))
        rows = [
            {**record, "record_file": str(path.relative_to(self.root))}
            for path in files
            for record in json.loads(path.read_text())["records"]
        ]
        if not rows:
            return pd.DataFrame(columns=[*KEY_COLUMNS, "record_file"])
        frame = pd.DataFrame(rows).sort_values("finished_at", kind="stable")
        folds = frame["fold"].notna() if "fold" in frame else pd.Series(False, index=frame.index)
        stale = pd.Series(False, index=frame.index)
        for rows, keys in ((~folds, KEY_COLUMNS), (folds, CV_KEY_COLUMNS)):
            if rows.any():
                stale |= frame[rows].duplicated(list(keys), keep="last").reindex(frame.index, fill_value=False)
        if stale.any():
            old = sorted(set(frame.loc[stale, "record_file"]))
            warnings.warn(
                f"{len(old)} record file(s) under {self.root} were superseded by a newer run of the same "
                f"dataset/method/ratio/seed (or repeat/fold) with another configuration and are ignored: {old[:5]}"
                + (" ..." if len(old) > 5 else "")
                + ". Delete them to silence this warning.",
                stacklevel=2,
            )
        return frame.loc[~stale].reset_index(drop=True)
