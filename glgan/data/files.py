"""Registry of every dataset file the loaders read, and the one place that finds, downloads and verifies them.

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
import json
import os
import tempfile
import time
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pooch

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


@dataclass(frozen=True)
class RemoteFile:
    """One dataset file: where it comes from and how its content is pinned.

    Parameters
    ----------
    urls : tuple of str
        Canonical URL first, then byte-identical mirrors. Empty when there is no public download.
    sha256, git_blob : str or None
        Exactly one should be set; ``git_blob`` is used where only a git blob id is published.
    archive_member : str or None
        When set, ``urls`` point to a zip archive and this is the member's path inside it (it may sit
        under an extra top folder or inside a nested zip; the member is matched by its path suffix).
    note : str
        Where to obtain the file by hand when ``urls`` is empty.
    """

    urls: tuple[str, ...]
    sha256: str | None = None
    git_blob: str | None = None
    archive_member: str | None = None
    note: str = ""

    def expected(self) -> tuple[str, str]:
        """``(hash kind, expected hex digest)``; sha256 wins when both are pinned."""
        if self.sha256:
            return "sha256", self.sha256
        if self.git_blob:
            return "git blob", self.git_blob
        raise ValueError("registry entry pins no hash; every dataset file must be verifiable")

    def source_text(self) -> str:
        if not self.urls:
            return self.note or "no public download URL"
        text = self.urls[0] + (f" (zip archive, member {self.archive_member})" if self.archive_member else "")
        if len(self.urls) > 1:
            text += "; mirrors: " + ", ".join(self.urls[1:])
        return text


_UCI = "https://archive.ics.uci.edu/ml/machine-learning-databases"
_ASU = "https://jundongl.github.io/scikit-feature/files/datasets"
_MNIST_MIRRORS = (
    "http://yann.lecun.com/exdb/mnist",
    "https://ossci-datasets.s3.amazonaws.com/mnist",
    "https://storage.googleapis.com/cvdf-datasets/mnist",
)
_GAS_ZIPS = (
    "https://archive.ics.uci.edu/static/public/224/gas+sensor+array+drift+dataset.zip",
    f"{_UCI}/00224/Dataset.zip",
)
_GAS_SHA256 = {
    1: "f346beee8e0c5e31ac5961845b6d96a70dc1ccf799481592fb2f0d96a81952e6",
    2: "07f7e94a9bf4377240f9b230d20c750932fc785d4766b6a4b7fc370a035c825a",
    3: "a4c7a1a6744df32f0ca139c75c3b4dade7cc99f57a7785d28cb0f62577dd2061",
    4: "bd76f86be34ffe89f46a27c6fc2b5b8c6ebfcf984dff4b3e5befc76d98034b7f",
    5: "3f95cb6e4a39a94bbacd2f1984f1754c9fb5eb3221812975ad70edbcea7abaec",
    6: "83348c504105a5aa5264d1209f2a5d7ba7d9c8bcae60290395f201ac4708ff95",
    7: "3168cb56d5c9bc29c36184e2e73c9f3474adb3c4a893b1ce0d88b6c47698cfdb",
    8: "296346b932893ea18c513e23ac5b660f35e1c499fde8254d4804a2ce8a1b4ca7",
    9: "e019f11f4fa8336ab1f41f7503eb456b3679da0a84eb8032fe6cef90f0547826",
    10: "30011067c7c05c2b01038f84c73af0c6f1820b622fa2b0ad89111cb4c649f791",
}

#: Keyed by path relative to the data directory. Tests may patch entries (e.g. to pin fixture files).
REGISTRY: dict[str, RemoteFile] = {
    # USPS: ASU/scikit-feature .mat (preferred), else the ESL/Kaggle HDF5 variant.
    "usps/USPS.mat": RemoteFile(
        urls=(f"{_ASU}/USPS.mat",), git_blob="ba84f0e79d4cb653e8e6b6b1d31e3ed0c5a7bff0"
    ),
    "usps/usps.h5": RemoteFile(
        urls=(),
        sha256="734f88c541104a956d88be2c95d03b4a463ffd74ccc2ba9c80841fb98e3fcb36",
        note="Kaggle dataset bistaumanga/usps-dataset (login needed), file usps.h5",
    ),
    # MNIST: LeCun's idx files, canonical host first, then the torchvision and TF mirrors.
    **{
        f"mnist/{name}": RemoteFile(urls=tuple(f"{base}/{name}" for base in _MNIST_MIRRORS), sha256=digest)
        for name, digest in {
            "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
            "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
            "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
            "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
        }.items()
    },
    # Madelon: ASU .mat (= UCI train followed by UCI valid), else the UCI files.
    "madelon/madelon.mat": RemoteFile(
        urls=(
            f"{_ASU}/madelon.mat",
            "https://github.com/jundongl/scikit-feature/raw/master/skfeature/data/madelon.mat",
        ),
        sha256="7dc9c9ff8d902651948e2df7f9cb6ed38c5d91e4c4159914cecb1ddbc7def12c",
    ),
    "madelon/MADELON/madelon_train.data": RemoteFile(
        urls=(f"{_UCI}/madelon/MADELON/madelon_train.data",),
        sha256="0b6e37711efdc7ab74250c51e7d6966bffd9f8f2b0e9971e882c3a7a380c2314",
    ),
    "madelon/MADELON/madelon_train.labels": RemoteFile(
        urls=(f"{_UCI}/madelon/MADELON/madelon_train.labels",),
        sha256="10bffcc3b017467cb810d326b931951adcbde2b4870faf981da2991993b48689",
    ),
    "madelon/MADELON/madelon_valid.data": RemoteFile(
        urls=(f"{_UCI}/madelon/MADELON/madelon_valid.data",),
        sha256="cb9a46475147de1a58d9f15ef4c318e5b85de344e0f9ab92626fa446aa815dc9",
    ),
    "madelon/madelon_valid.labels": RemoteFile(
        urls=(f"{_UCI}/madelon/madelon_valid.labels",),
        sha256="fbac32fa87fac41ab731994a1c824e7b25396069bff6df242c01fe240fcb34dc",
    ),
    # Gisette: ASU .mat, else the UCI files (valid labels sit outside GISETTE/, as on the UCI server).
    "gisette/gisette.mat": RemoteFile(
        urls=(f"{_ASU}/gisette.mat",), git_blob="09251d363e834a5cec17634245f09ae33f8c2f3b"
    ),
    "gisette/GISETTE/gisette_train.data": RemoteFile(
        urls=(f"{_UCI}/gisette/GISETTE/gisette_train.data",),
        sha256="6d4c5e998afe67937b9e77a3334e03c85e545ebc65a6eb1333ffc14125cfc389",
    ),
    "gisette/GISETTE/gisette_train.labels": RemoteFile(
        urls=(f"{_UCI}/gisette/GISETTE/gisette_train.labels",),
        sha256="42bd681fe51b161f033df773df14a0116e492676555ab14616c1b72edc054075",
    ),
    "gisette/GISETTE/gisette_valid.data": RemoteFile(
        urls=(f"{_UCI}/gisette/GISETTE/gisette_valid.data",),
        sha256="5cea897956dd172a006132738254a27a8f61ecc1ceb6f5b20639c281d2942254",
    ),
    "gisette/gisette_valid.labels": RemoteFile(
        urls=(f"{_UCI}/gisette/gisette_valid.labels",),
        sha256="a6b857a0448023f033c4dda2ef848714b4be2ae45ce598d088fb3efb406e08c5",
    ),
    # Sensorless drive diagnosis: only a git blob id is published for the UCI text file.
    "sensorless/Sensorless_drive_diagnosis.txt": RemoteFile(
        urls=(f"{_UCI}/00325/Sensorless_drive_diagnosis.txt",),
        git_blob="9101c388dfa5ccd3bfbec96c00efe2b1d7c36f32",
    ),
    # Gas sensor array drift (UCI 224): ten batch files shipped in one zip.
    **{
        f"gas_drift/Dataset/batch{i}.dat": RemoteFile(
            urls=_GAS_ZIPS, sha256=digest, archive_member=f"Dataset/batch{i}.dat"
        )
        for i, digest in _GAS_SHA256.items()
    },
}

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
