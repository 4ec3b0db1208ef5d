"""Whether a missing dataset file is worth a download attempt: offline mode, read-only folders, recent failures.

Failed downloads are remembered in the user's cache folder (never the data folder), so a file that could
not be fetched is not tried again for a day.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

#: A file whose download failed is not tried again for this long (GLGAN_RETRY_DOWNLOADS=1 retries at once).
RETRY_AFTER_SECONDS = 24 * 3600
FAILURES_FILE = "download-failures.json"


def offline() -> bool:
    """``GLGAN_OFFLINE=1``: never try the network; missing files are reported at once."""
    return os.environ.get("GLGAN_OFFLINE", "").strip().lower() in {"1", "true", "yes", "on"}


def cache_dir() -> Path:
    """Where the loaders remember failed downloads: ``$GLGAN_CACHE_DIR``, else ``$XDG_CACHE_HOME/glgan``,
    else ``~/.cache/glgan``. Never the data folder, which may be a read-only shared one."""
    if os.environ.get("GLGAN_CACHE_DIR"):
        return Path(os.environ["GLGAN_CACHE_DIR"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "glgan"


def _failures_path() -> Path:
    return cache_dir() / FAILURES_FILE


def _recent_failures() -> dict[str, dict]:
    try:
        entries = json.loads(_failures_path().read_text())
    except (OSError, ValueError):
        return {}
    now = time.time()
    return {key: entry for key, entry in entries.items() if now - float(entry.get("time", 0)) < RETRY_AFTER_SECONDS}


def _remember_failures(keys: Sequence[str], failures: Sequence[str]) -> None:
    """Record that ``keys`` could not be downloaded (best effort: an unwritable cache just forgets)."""
    entries = _recent_failures()
    stamp = time.time()
    for key in keys:
        entries[key] = {"time": stamp, "error": "; ".join(failures)[:500]}
    path = _failures_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w") as handle:
            json.dump(entries, handle, indent=1, sort_keys=True)
        os.replace(tmp, path)
    except OSError:
        pass


def _writable(folder: Path) -> bool:
    """Whether files can be created in ``folder`` (or, if it does not exist yet, its nearest existing parent)."""
    folder = Path(folder).absolute()
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    # The mode bits count too: root may write anywhere, but a folder marked read-only (a shared data folder)
    # is meant to stay untouched.
    return os.access(folder, os.W_OK | os.X_OK) and bool(folder.stat().st_mode & 0o222)


def download_blocked(keys: Sequence[str], data_dir: Path) -> str | None:
    """Why downloading ``keys`` into ``data_dir`` is pointless (offline, read-only, failed before), or None."""
    if offline():
        return "not attempted: GLGAN_OFFLINE is set"
    targets = sorted({(data_dir / key).parent for key in keys})
    read_only = [str(t) for t in targets if not _writable(t)]
    if read_only:
        return f"not attempted: {', '.join(read_only)} is not writable (a shared data folder is never written)"
    if os.environ.get("GLGAN_RETRY_DOWNLOADS", "").strip().lower() in {"1", "true", "yes", "on"}:
        return None
    failed = _recent_failures()
    if keys and all(key in failed for key in keys):
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(min(failed[k]["time"] for k in keys)))
        return (f"not attempted: the download failed at {when} (recorded in {_failures_path()}); set "
                f"GLGAN_RETRY_DOWNLOADS=1 or delete that file to try again")
    return None
