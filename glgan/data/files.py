"""The one place that finds, downloads and verifies the dataset files (the registry: :mod:`glgan.data.registry`).

A file is addressed by its path relative to the data directory, e.g. ``"gas_drift/Dataset/batch1.dat"``: the
dataset's folder, then the file's own relative path in its original distribution. Each registry entry pins
the file's content, by sha256 where a trustworthy value is published, otherwise by its git blob id
(``sha1(b"blob <size>\\0" + content)``, what ``git hash-object`` prints). Sources and hashes are recorded in
``shared/data/<dataset>/PROVENANCE.md``.

A file that is present is always verified before use and never silently replaced; a missing file is
downloaded with pooch when ``download=True``. Failures raise :class:`MissingDataError` or
:class:`CorruptDataError`, whose messages say which file, from where, and into which folder.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

import pooch

from glgan.data.download_policy import (  # noqa: F401  (cache_dir, offline and the constants: re-exported)
    FAILURES_FILE, RETRY_AFTER_SECONDS, _remember_failures, cache_dir, download_blocked, offline,
)
from glgan.data.registry import REGISTRY, RemoteFile

__all__ = [
    "DataFileError",
    "MissingDataError",
    "CorruptDataError",
    "RemoteFile",
    "REGISTRY",
    "fetch",
    "is_present",
    "fetch_first_form",
    "file_hashes",
    "missing_message",
    "missing_summary",
    "verify",
]

# requests' (connect, read) timeouts: fail fast when offline instead of hanging.
DOWNLOAD_TIMEOUT = (10, 60)


class DataFileError(Exception):
    """A dataset file is missing, could not be downloaded, or does not have the expected content."""


class MissingDataError(DataFileError, FileNotFoundError):
    """A dataset file is absent and could not be downloaded (or ``download=False``).

    ``str(error)`` lists every file with its source; ``error.summary`` says the same in one line (what to
    fetch and where to put it), which is what ``glgan-run`` prints.
    """

    def __init__(self, message: str, summary: str | None = None):
        super().__init__(message)
        self.summary = summary or message.splitlines()[0]

    def __reduce__(self):  # keeps the summary when a worker process sends the error back
        return type(self), (str(self), self.summary)


class CorruptDataError(DataFileError, ValueError):
    """A dataset file does not match its pinned hash, or its content cannot be parsed as expected."""


# (path, mtime_ns, size) -> (sha256, git blob id); files are re-hashed only when they change.
_HASH_CACHE: dict[tuple[str, int, int], tuple[str, str]] = {}


def file_hashes(path: Path) -> tuple[str, str]:
    """Return ``(sha256, git blob id)`` of a file, computed in one pass (cached while the file is unchanged)."""
    stat = path.stat()
    cache_key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    if cache_key not in _HASH_CACHE:
        sha256 = hashlib.sha256()
        blob = hashlib.sha1(b"blob %d\0" % stat.st_size)
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                sha256.update(chunk)
                blob.update(chunk)
        _HASH_CACHE[cache_key] = (sha256.hexdigest(), blob.hexdigest())
    return _HASH_CACHE[cache_key]


def is_present(key: str, data_dir: Path) -> bool:
    """Whether the file exists in ``data_dir`` (its content is checked only by :func:`fetch`)."""
    return (data_dir / key).is_file()


def verify(key: str, data_dir: Path) -> str:
    """Check a present file against its registry hash; return its sha256 or raise :class:`CorruptDataError`."""
    entry = REGISTRY[key]
    path = data_dir / key
    sha256, blob = file_hashes(path)
    kind, expected = entry.expected()
    actual = sha256 if kind == "sha256" else blob
    if actual != expected:
        raise CorruptDataError(
            f"{path} does not match its pinned {kind}: expected {expected}, got {actual}. "
            f"The file is corrupt, truncated or a different version, so it is not used. "
            f"Delete it and download it again from {entry.source_text()} "
            f"(or delete it and rerun with download=True)."
        )
    return sha256


def fetch(keys: Sequence[str], data_dir: Path, *, download: bool, dataset: str) -> dict[str, str]:
    """Make sure every file in ``keys`` is present and verified; return ``{key: sha256}``.

    Missing files are downloaded when ``download`` is true. Raises :class:`MissingDataError` naming every
    file still missing (with its URL and target folder) and :class:`CorruptDataError` for a file whose
    content does not match its pin.
    """
    missing = [key for key in keys if not is_present(key, data_dir)]
    failures: list[str] = []
    if missing and download:
        blocked = download_blocked(missing, data_dir)
        if blocked:
            failures = [blocked]
        else:
            failures = _download(missing, data_dir)
            missing = [key for key in missing if not is_present(key, data_dir)]
            if missing:
                _remember_failures(missing, failures)
    if missing:
        raise MissingDataError(missing_message(dataset, missing, data_dir, failures=failures, download=download),
                               missing_summary(dataset, missing, data_dir, failures=failures))
    return {key: verify(key, data_dir) for key in keys}


def missing_summary(dataset: str, missing: Sequence[str], data_dir: Path, *, failures: Sequence[str] = ()) -> str:
    """One line: which file to fetch from where, the folder to put it in, and why it was not downloaded."""
    first = REGISTRY[missing[0]]
    source = first.urls[0] if first.urls else first.note or "no public download"
    if first.archive_member:
        source += f", zip member {first.archive_member}"
    more = f" (and {len(missing) - 1} more file(s) from the same place)" if len(missing) > 1 else ""
    why = ""
    if failures:
        why = " " + (failures[0] if failures[0].startswith("not attempted") else "automatic download failed")
        why = f" ({why.strip()})"
    return (f"dataset {dataset!r}: data file {missing[0]} is missing{more}{why}; fetch it from {source} and put "
            f"it into {(data_dir / missing[0]).parent}, or set GLGAN_DATA_DIR to a folder that holds "
            f"{dataset}/")


def missing_message(
    dataset: str, missing: Iterable[str], data_dir: Path, *, failures: Sequence[str] = (), download: bool
) -> str:
    """The text of a :class:`MissingDataError`: each file with its source, the folder, and what to do."""
    lines = [f"Dataset {dataset!r}: data file(s) missing under {data_dir}:"]
    for key in missing:
        lines.append(f"  - {data_dir / key}\n      from {REGISTRY[key].source_text()}")
    folders = sorted({str((data_dir / key).parent) for key in missing})
    lines.append(f"Put the file(s) into {' and '.join(folders)} under the names shown.")
    if failures:
        skipped = all(failure.startswith("not attempted") for failure in failures)
        lines.append("Automatic download skipped:" if skipped else "Automatic download failed:")
        lines.extend(f"  - {failure}" for failure in failures)
    elif not download:
        lines.append("Or load it with download=True on a machine with internet access.")
    lines.append("To use another data folder pass data_dir=... or set the GLGAN_DATA_DIR environment variable.")
    return "\n".join(lines)


def _download(keys: Sequence[str], data_dir: Path) -> list[str]:
    """Try to download ``keys`` into ``data_dir``; return one message per failed attempt."""
    failures: list[str] = []
    downloader = pooch.HTTPDownloader(progressbar=False, timeout=DOWNLOAD_TIMEOUT)
    plain = [key for key in keys if REGISTRY[key].archive_member is None]
    archived: dict[tuple[str, ...], list[str]] = {}
    for key in keys:
        if REGISTRY[key].archive_member is not None:
            archived.setdefault(REGISTRY[key].urls, []).append(key)

    for key in plain:
        entry = REGISTRY[key]
        if not entry.urls:
            failures.append(f"{key}: no public download URL ({entry.note})")
            continue
        target = data_dir / key
        kind, expected = entry.expected()
        for url in entry.urls:
            try:
                pooch.retrieve(
                    url,
                    known_hash=f"sha256:{expected}" if kind == "sha256" else None,
                    fname=target.name,
                    path=target.parent,
                    downloader=downloader,
                )
                verify(key, data_dir)
                break
            except CorruptDataError as error:
                target.unlink(missing_ok=True)
                failures.append(f"{url}: downloaded file rejected: {error}")
            except Exception as error:  # network, permission, hash mismatch: try the next mirror
                failures.append(f"{url}: {type(error).__name__}: {error}")

    for urls, group in archived.items():
        for url in urls:
            try:
                _download_from_zip(url, group, data_dir, downloader)
                break
            except Exception as error:
                failures.append(f"{url}: {type(error).__name__}: {error}")
    return failures


def _download_from_zip(url: str, keys: Sequence[str], data_dir: Path, downloader) -> None:
    # The archive's exact layout is not checked here (UCI's legacy Dataset.zip vs the newer bundle), so
    # members are matched by path suffix and nested zips are opened, instead of pooch.Unzip's exact names.
    with tempfile.TemporaryDirectory() as tmp:
        archive = pooch.retrieve(url, known_hash=None, fname="archive.zip", path=tmp, downloader=downloader)
        wanted = {REGISTRY[key].archive_member: key for key in keys}
        with zipfile.ZipFile(archive) as outer:
            found = _extract_members(outer, wanted, data_dir)
    not_found = sorted(set(wanted) - found)
    if not_found:
        raise CorruptDataError(f"archive {url} lacks the member(s) {', '.join(not_found)}")
    for key in keys:
        try:
            verify(key, data_dir)
        except CorruptDataError:
            (data_dir / key).unlink(missing_ok=True)
            raise


def _extract_members(archive: zipfile.ZipFile, wanted: dict[str, str], data_dir: Path) -> set[str]:
    found: set[str] = set()
    for info in archive.infolist():
        name = PurePosixPath(info.filename).as_posix()
        member = next((m for m in wanted if name == m or name.endswith("/" + m)), None)
        if member is not None and member not in found:
            target = data_dir / wanted[member]
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".part")
            with archive.open(info) as source, open(partial, "wb") as sink:
                while chunk := source.read(1 << 20):
                    sink.write(chunk)
            os.replace(partial, target)
            found.add(member)
        elif name.lower().endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(archive.read(info))) as inner:
                found |= _extract_members(inner, {m: k for m, k in wanted.items() if m not in found}, data_dir)
    return found


def fetch_first_form(
    dataset: str, forms: Sequence[Sequence[str]], data_dir: Path, *, download: bool
) -> tuple[int, dict[str, str]]:
    """Pick the first form (a set of files) of a dataset that is complete in ``data_dir``.

    ``forms`` lists equivalent file sets in order of preference. A complete form is verified and used
    (a corrupt file is an error, never a reason to fall back to another form). If no form is complete
    and ``download`` is true, the forms are downloaded in order of preference until one succeeds.
    Returns ``(index of the form used, {key: sha256})``.
    """
    for index, keys in enumerate(forms):
        if all(is_present(key, data_dir) for key in keys):
            return index, fetch(keys, data_dir, download=False, dataset=dataset)
    first_error = None
    if download:
        for index, keys in enumerate(forms):
            try:
                return index, fetch(keys, data_dir, download=True, dataset=dataset)
            except MissingDataError as error:
                first_error = first_error or error
    first_missing = [k for k in forms[0] if not is_present(k, data_dir)]
    message = str(first_error) if first_error else missing_message(dataset, first_missing, data_dir, download=download)
    summary = first_error.summary if first_error else missing_summary(dataset, first_missing, data_dir)
    for keys in forms[1:]:
        message += "\nAlternatively, this form is accepted instead:"
        message += "".join(f"\n  - {data_dir / key}\n      from {REGISTRY[key].source_text()}" for key in keys)
    raise MissingDataError(message, summary)
