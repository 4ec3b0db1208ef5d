"""Dataset loaders: the data folder (a checkout's, an installed package's), held files (skipped when absent), tiny
canonical-format fixtures, hash checks, errors, and downloads (never attempted offline or into a read-only folder,
a failed one not retried until asked)."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import h5py
import numpy as np
import pooch
import pytest
import requests
import scipy.io

from glgan.data import (
    DATASETS,
    CorruptDataError,
    DataFileError,
    Dataset,
    MissingDataError,
    dataset as dataset_module,
    files,
    gas_drift,
    load_dataset,
    resolve_data_dir,
)

ROOT = Path(__file__).resolve().parents[1]
HELD = resolve_data_dir()


def held(*keys: str):
    missing = [k for k in keys if not (HELD / k).is_file()]
    return pytest.mark.skipif(bool(missing), reason=f"not in {HELD}: {', '.join(missing)}")


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pin(monkeypatch, key: str, path: Path, kind: str = "sha256") -> None:
    """Point the registry entry for ``key`` at the content of the fixture file ``path``."""
    data = path.read_bytes()
    if kind == "sha256":
        value = hashlib.sha256(data).hexdigest()
    else:  # what `git hash-object` prints
        value = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
    entry = dataclasses.replace(files.REGISTRY[key], **{kind: value})
    monkeypatch.setitem(files.REGISTRY, key, entry)


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


# ---------------------------------------------------------------- API and data directory


def test_dataset_names():
    assert DATASETS == ("usps", "sensorless", "gas_drift", "madelon", "gisette", "mnist")


def test_unknown_dataset_is_rejected():
    with pytest.raises(ValueError, match="choose one of"):
        load_dataset("cifar10")


def test_resolve_data_dir_precedence(monkeypatch, tmp_path):
    project = tmp_path / "project"  # a checkout: pyproject.toml beside glgan/ (installed: the next test)
    (project / "glgan").mkdir(parents=True)
    (project / "pyproject.toml").touch()
    monkeypatch.setattr(dataset_module, "PROJECT_ROOT", project)
    monkeypatch.delenv("GLGAN_DATA_DIR", raising=False)
    assert resolve_data_dir() == project / "data"
    (tmp_path / "shared" / "data").mkdir(parents=True)
    assert resolve_data_dir() == tmp_path / "shared" / "data"
    monkeypatch.setenv("GLGAN_DATA_DIR", str(tmp_path / "env"))
    assert resolve_data_dir() == tmp_path / "env"
    assert resolve_data_dir(tmp_path / "arg") == tmp_path / "arg"


def test_an_installed_package_uses_the_users_cache_never_its_install_tree(monkeypatch, tmp_path):
    site = tmp_path / "site-packages"  # what PROJECT_ROOT is for an installed package: no pyproject.toml
    (site / "glgan").mkdir(parents=True)
    monkeypatch.setattr(dataset_module, "PROJECT_ROOT", site)
    monkeypatch.delenv("GLGAN_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("GLGAN_OFFLINE", "1")
    if sys.platform.startswith("linux"):
        assert resolve_data_dir() == tmp_path / "cache" / "glgan" / "data"
    assert site not in resolve_data_dir().parents
    with pytest.raises(MissingDataError) as info:
        load_dataset("madelon")
    assert str(resolve_data_dir() / "madelon") in info.value.summary
    assert sorted(p.name for p in site.rglob("*")) == ["glgan"]  # nothing created in the install tree
    monkeypatch.setenv("GLGAN_DATA_DIR", str(tmp_path / "mine"))
    assert resolve_data_dir() == tmp_path / "mine"


def test_a_checkout_keeps_its_data_folders():
    assert dataset_module.is_checkout(ROOT)
    if not os.environ.get("GLGAN_DATA_DIR"):
        assert resolve_data_dir() in (ROOT.parent / "shared" / "data", ROOT / "data")


def test_dataset_enforces_dtypes():
    with pytest.raises(TypeError, match="float64"):
        Dataset("x", np.zeros((2, 2), np.float32), np.zeros(2, np.int64), "", "complete", False, ())
    with pytest.raises(TypeError, match="int64"):
        Dataset("x", np.zeros((2, 2)), np.zeros(2, np.int32), "", "complete", False, ())


def test_git_blob_formula_matches_git(tmp_path):
    git = shutil.which("git")
    if git is None:
        pytest.skip("git not installed")
    path = write(tmp_path / "f.txt", "1 2 3\n4 5 6\n")
    result = subprocess.run([git, "hash-object", str(path)], capture_output=True, text=True, check=True)
    expected = result.stdout.strip()
    assert files.file_hashes(path)[1] == expected


# ---------------------------------------------------------------- files held in the data directory


@held("usps/usps.h5")
def test_usps_h5_form():
    if (HELD / "usps/USPS.mat").is_file():
        pytest.skip("USPS.mat is present, so the loader (correctly) prefers it over usps.h5")
    ds = load_dataset("usps", download=False)
    assert ds.X.shape == (9298, 256) and ds.X.dtype == np.float64 and ds.y.dtype == np.int64
    assert list(ds.class_counts().values()) == [1553, 1269, 929, 824, 852, 716, 834, 792, 708, 821]
    assert 0.0 <= ds.X.min() and ds.X.max() <= 1.0
    assert "ESL/Kaggle" in ds.source and not ds.is_partial
    assert ds.files == (("usps/usps.h5", files.REGISTRY["usps/usps.h5"].sha256),)


MADELON_UCI = [k for k in files.REGISTRY if k.startswith("madelon/") and k != "madelon/madelon.mat"]


@held("madelon/madelon.mat", *MADELON_UCI)
def test_madelon_mat_equals_uci_form(tmp_path):
    ds = load_dataset("madelon", download=False)
    assert ds.X.shape == (2600, 500) and ds.class_counts() == {-1: 1300, 1: 1300}
    assert ds.files == (("madelon/madelon.mat", files.REGISTRY["madelon/madelon.mat"].sha256),)
    for key in MADELON_UCI:  # the UCI files only, linked into an empty data directory
        (tmp_path / key).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / key).symlink_to(HELD / key)
    uci = load_dataset("madelon", tmp_path, download=False)
    assert uci.source.startswith("UCI") and len(uci.files) == 4
    np.testing.assert_array_equal(uci.X, ds.X)
    np.testing.assert_array_equal(uci.y, ds.y)


@held(*(k for k in files.REGISTRY if k.startswith("mnist/")))
def test_mnist():
    ds = load_dataset("mnist", download=False)
    assert ds.X.shape == (70000, 784) and ds.X.dtype == np.float64
    assert ds.X.min() == 0 and ds.X.max() == 255
    counts = ds.class_counts()
    assert list(counts) == list(range(10)) and counts[4] == 5842 + 982 and counts[7] == 6265 + 1028
    assert dict(ds.files) == {k: e.sha256 for k, e in files.REGISTRY.items() if k.startswith("mnist/")}


GAS_HELD = [gas_drift.batch_key(b) for b in (1, 2, 3, 4, 5, 6, 8, 9)]


@held(*GAS_HELD)
def test_gas_drift_partial_refused_then_loaded():
    if all((HELD / gas_drift.batch_key(b)).is_file() for b in (7, 10)):
        pytest.skip("all ten gas drift batches are present")
    with pytest.raises(MissingDataError) as info:
        load_dataset("gas_drift", download=False)
    message = str(info.value)
    for text in ("batch7.dat", "batch10.dat", "gas+sensor+array+drift+dataset.zip",
                 str(HELD / "gas_drift" / "Dataset"), "allow_partial=True"):
        assert text in message
    with pytest.warns(UserWarning, match="only batches 1-6,8,9"):
        ds = load_dataset("gas_drift", allow_partial=True, download=False)
    assert ds.is_partial and ds.variant == "partial: batches 1-6,8,9 of 10 (6697 of 13910 rows)"
    assert ds.X.shape == (6697, 128)
    assert ds.class_counts() == {1: 1316, 2: 1664, 3: 681, 4: 592, 5: 1779, 6: 665}
    assert dict(ds.files) == {k: files.REGISTRY[k].sha256 for k in GAS_HELD}


@held("madelon/madelon.mat")
def test_corrupted_copy_is_rejected_without_fallback(tmp_path):
    target = tmp_path / "madelon" / "madelon.mat"
    target.parent.mkdir()
    data = bytearray((HELD / "madelon/madelon.mat").read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    for key in MADELON_UCI:  # a complete, valid UCI form next to it must not be used silently
        if (HELD / key).is_file():
            (tmp_path / key).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / key).symlink_to(HELD / key)
    with pytest.raises(CorruptDataError) as info:
        load_dataset("madelon", tmp_path, download=True)  # never re-downloaded over a present file
    message = str(info.value)
    assert str(target) in message and "Delete it" in message
    assert files.REGISTRY["madelon/madelon.mat"].sha256 in message and sha256_of(target) in message
    assert files.REGISTRY["madelon/madelon.mat"].urls[0] in message
    assert isinstance(info.value, DataFileError) and isinstance(info.value, ValueError)


# ---------------------------------------------------------------- fixtures in the canonical formats


def sensorless_fixture(root: Path) -> tuple[Path, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    X = np.round(rng.normal(size=(22, 48)) * 1e-3, 8)
    y = np.repeat(np.arange(1, 12), 2)
    lines = "".join(" ".join(f"{v:.4e}" for v in row) + f" {label}\n" for row, label in zip(X, y))
    return write(root / "sensorless/Sensorless_drive_diagnosis.txt", lines), X, y


def test_sensorless_fixture_needs_pin_then_loads(monkeypatch, tmp_path):
    path, X, y = sensorless_fixture(tmp_path)
    canonical = files.REGISTRY["sensorless/Sensorless_drive_diagnosis.txt"].git_blob
    with pytest.raises(CorruptDataError, match=canonical):
        load_dataset("sensorless", tmp_path, download=False)
    pin(monkeypatch, "sensorless/Sensorless_drive_diagnosis.txt", path, kind="git_blob")
    ds = load_dataset("sensorless", tmp_path, download=False)
    np.testing.assert_allclose(ds.X, X, rtol=1e-4)
    np.testing.assert_array_equal(ds.y, y)
    assert ds.files == (("sensorless/Sensorless_drive_diagnosis.txt", sha256_of(path)),)


def gisette_fixture(root: Path) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(1)
    parts = {}
    for split, n, data_key, label_key in (
        ("train", 4, "gisette/GISETTE/gisette_train.data", "gisette/GISETTE/gisette_train.labels"),
        ("valid", 2, "gisette/GISETTE/gisette_valid.data", "gisette/gisette_valid.labels"),
    ):
        X = rng.integers(0, 1000, size=(n, 5000)) * (rng.random((n, 5000)) < 0.1)
        y = np.where(np.arange(n) % 2, 1, -1)
        write(root / data_key, "".join(" ".join(map(str, row)) + " \n" for row in X))
        write(root / label_key, "".join(f"{v}\n" for v in y))
        parts[split] = (X, y)
    return parts


def test_gisette_uci_fixture(monkeypatch, tmp_path):
    parts = gisette_fixture(tmp_path)
    with pytest.raises(CorruptDataError, match="gisette_train"):
        load_dataset("gisette", tmp_path, download=False)
    for key in files.REGISTRY:
        if key.startswith("gisette/") and key != "gisette/gisette.mat":
            pin(monkeypatch, key, tmp_path / key)
    ds = load_dataset("gisette", tmp_path, download=False)
    np.testing.assert_array_equal(ds.X, np.vstack([parts["train"][0], parts["valid"][0]]))
    np.testing.assert_array_equal(ds.y, np.r_[parts["train"][1], parts["valid"][1]])
    assert ds.source.startswith("UCI") and len(ds.files) == 4


def test_uci_rows_labels_mismatch_is_an_error(monkeypatch, tmp_path):
    gisette_fixture(tmp_path)
    write(tmp_path / "gisette/gisette_valid.labels", "1\n-1\n1\n")
    for key in files.REGISTRY:
        if key.startswith("gisette/") and key != "gisette/gisette.mat":
            pin(monkeypatch, key, tmp_path / key)
    with pytest.raises(CorruptDataError, match="2 rows but gisette/gisette_valid.labels has 3"):
        load_dataset("gisette", tmp_path, download=False)


def gas_batch_text(rng, labels) -> str:
    return "".join(
        f"{label} " + " ".join(f"{j}:{v:.6f}" for j, v in enumerate(rng.normal(size=128) * 100, start=1)) + "\n"
        for label in labels
    )


def test_gas_fixture_complete_and_partial(monkeypatch, tmp_path):
    rng = np.random.default_rng(2)
    for b in gas_drift.BATCHES:
        write(tmp_path / gas_drift.batch_key(b), gas_batch_text(rng, [(b % 6) + 1, 1]))
    with pytest.raises(CorruptDataError, match=files.REGISTRY[gas_drift.batch_key(1)].sha256):
        load_dataset("gas_drift", tmp_path, download=False)
    for b in gas_drift.BATCHES:
        pin(monkeypatch, gas_drift.batch_key(b), tmp_path / gas_drift.batch_key(b))
    ds = load_dataset("gas_drift", tmp_path, download=False)
    assert ds.X.shape == (20, 128) and not ds.is_partial and ds.variant == "complete"
    assert ds.y.tolist() == [v for b in gas_drift.BATCHES for v in ((b % 6) + 1, 1)]

    for b in (2, 3, 4, 10):
        (tmp_path / gas_drift.batch_key(b)).unlink()
    with pytest.warns(UserWarning, match="only batches 1,5-9"):
        part = load_dataset("gas_drift", tmp_path, allow_partial=True, download=False)
    assert part.is_partial and part.variant == "partial: batches 1,5-9 of 10 (12 of 13910 rows)"
    assert [key for key, _ in part.files] == [gas_drift.batch_key(b) for b in (1, 5, 6, 7, 8, 9)]


def test_gas_without_any_batch_fails_even_with_allow_partial(tmp_path):
    with pytest.raises(MissingDataError, match="Only 0 of the 10"):
        load_dataset("gas_drift", tmp_path, allow_partial=True, download=False)


def test_gas_bad_label_is_an_error(monkeypatch, tmp_path):
    for b in gas_drift.BATCHES:
        write(tmp_path / gas_drift.batch_key(b), gas_batch_text(np.random.default_rng(b), [7 if b == 3 else 1]))
        pin(monkeypatch, gas_drift.batch_key(b), tmp_path / gas_drift.batch_key(b))
    with pytest.raises(CorruptDataError, match="batch3.dat: labels must be the gas ids 1..6"):
        load_dataset("gas_drift", tmp_path, download=False)


def test_usps_mat_preferred_and_labels_mapped_to_digits(monkeypatch, tmp_path):
    X = np.arange(20 * 256, dtype=np.float64).reshape(20, 256) / 5120
    scipy.io.savemat(tmp_path / "USPS.mat", {"X": X, "Y": (np.arange(20) % 10 + 1).reshape(-1, 1)})
    write(tmp_path / "usps/USPS.mat", (tmp_path / "USPS.mat").read_bytes())
    with h5py.File(tmp_path / "usps/usps.h5", "w") as handle:  # must be ignored when USPS.mat is there
        handle["train/data"] = np.zeros((1, 256), np.float32)
    pin(monkeypatch, "usps/USPS.mat", tmp_path / "usps/USPS.mat", kind="git_blob")
    ds = load_dataset("usps", tmp_path, download=False)
    np.testing.assert_array_equal(ds.X, X)
    assert ds.y.tolist() == [i % 10 for i in range(20)] and "USPS.mat" in ds.source

    scipy.io.savemat(tmp_path / "usps/USPS.mat", {"X": X, "Y": (np.arange(20) % 10).reshape(-1, 1)})
    pin(monkeypatch, "usps/USPS.mat", tmp_path / "usps/USPS.mat", kind="git_blob")
    with pytest.raises(CorruptDataError, match=r"unexpected label\(s\) \[0\]"):
        load_dataset("usps", tmp_path, download=False)


# ---------------------------------------------------------------- missing files and downloads (no network)


def _count_retrieves(monkeypatch):
    tried = []

    def unreachable(url, **kwargs):
        tried.append(url)
        raise requests.ConnectionError(f"cannot reach {url}")

    monkeypatch.setattr(pooch, "retrieve", unreachable)
    return tried


def test_offline_flag_means_no_network_attempt(monkeypatch, tmp_path):
    tried = _count_retrieves(monkeypatch)
    monkeypatch.setenv("GLGAN_OFFLINE", "1")
    with pytest.raises(MissingDataError, match="not attempted: GLGAN_OFFLINE is set"):
        load_dataset("sensorless", tmp_path, download=True)
    assert tried == []


def test_a_failed_download_is_not_retried_until_asked(monkeypatch, tmp_path):
    tried = _count_retrieves(monkeypatch)
    with pytest.raises(MissingDataError, match="Automatic download failed"):
        load_dataset("sensorless", tmp_path, download=True)
    assert len(tried) == 1
    assert (files.cache_dir() / files.FAILURES_FILE).is_file()
    assert not (tmp_path / files.FAILURES_FILE).exists()  # remembered outside the data folder
    with pytest.raises(MissingDataError, match="GLGAN_RETRY_DOWNLOADS=1"):
        load_dataset("sensorless", tmp_path, download=True)
    assert len(tried) == 1  # the second load did not touch the network
    monkeypatch.setenv("GLGAN_RETRY_DOWNLOADS", "1")
    with pytest.raises(MissingDataError):
        load_dataset("sensorless", tmp_path, download=True)
    assert len(tried) == 2


def test_a_read_only_data_folder_is_never_written(monkeypatch, tmp_path):
    tried = _count_retrieves(monkeypatch)
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o555)
    try:
        with pytest.raises(MissingDataError, match="is not writable"):
            load_dataset("sensorless", shared, download=True)
    finally:
        shared.chmod(0o755)
    assert tried == [] and list(shared.iterdir()) == []


def test_read_only_check_follows_permissions(monkeypatch, tmp_path):
    monkeypatch.setattr(files.os, "access", lambda path, mode: False)
    assert "is not writable" in files.download_blocked(["sensorless/x.txt"], tmp_path)


def test_missing_file_message(tmp_path):
    with pytest.raises(MissingDataError) as info:
        load_dataset("usps", tmp_path, download=False)
    message = str(info.value)
    assert "USPS.mat" in message and files.REGISTRY["usps/USPS.mat"].urls[0] in message
    assert str(tmp_path / "usps") in message and "usps.h5" in message
    assert isinstance(info.value, FileNotFoundError) and isinstance(info.value, DataFileError)


def test_failed_download_tries_every_mirror_then_explains(monkeypatch, tmp_path):
    tried = []

    def offline(url, **kwargs):
        tried.append(url)
        raise requests.ConnectionError(f"cannot reach {url}")

    monkeypatch.setattr(pooch, "retrieve", offline)
    with pytest.raises(MissingDataError) as info:
        load_dataset("mnist", tmp_path, download=True)
    mirrors = files.REGISTRY["mnist/train-images-idx3-ubyte.gz"].urls
    assert len(mirrors) == 3 and set(mirrors) <= set(tried) and len(tried) == 12
    message = str(info.value)
    assert "train-images-idx3-ubyte.gz" in message and mirrors[0] in message
    assert str(tmp_path / "mnist") in message and "download failed" in message


def test_downloaded_file_is_verified(monkeypatch, tmp_path):
    source, X, y = sensorless_fixture(tmp_path / "remote")
    pin(monkeypatch, "sensorless/Sensorless_drive_diagnosis.txt", source, kind="git_blob")
    content = {"data": source.read_bytes()}

    def fake_retrieve(url, known_hash, fname, path, **kwargs):
        Path(path).mkdir(parents=True, exist_ok=True)
        (Path(path) / fname).write_bytes(content["data"])
        return str(Path(path) / fname)

    monkeypatch.setattr(pooch, "retrieve", fake_retrieve)
    ds = load_dataset("sensorless", tmp_path / "local", download=True)
    np.testing.assert_array_equal(ds.y, y)

    content["data"] = content["data"].replace(b"e-", b"e+", 1)  # a server sending different bytes
    other = tmp_path / "other"
    with pytest.raises(MissingDataError, match="downloaded file rejected"):
        load_dataset("sensorless", other, download=True)
    assert not (other / "sensorless/Sensorless_drive_diagnosis.txt").exists()


def test_gas_zip_download_with_nested_archive(monkeypatch, tmp_path):
    rng = np.random.default_rng(3)
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        for b in gas_drift.BATCHES:
            archive.writestr(f"Dataset/batch{b}.dat", gas_batch_text(rng, [b % 6 + 1]))
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w") as archive:
        archive.writestr("Dataset.zip", inner.getvalue())
    with zipfile.ZipFile(inner) as archive:
        for b in gas_drift.BATCHES:
            key = gas_drift.batch_key(b)
            digest = hashlib.sha256(archive.read(f"Dataset/batch{b}.dat")).hexdigest()
            monkeypatch.setitem(files.REGISTRY, key, dataclasses.replace(files.REGISTRY[key], sha256=digest))

    def fake_retrieve(url, known_hash, fname, path, **kwargs):
        Path(path, fname).write_bytes(outer.getvalue())
        return str(Path(path, fname))

    monkeypatch.setattr(pooch, "retrieve", fake_retrieve)
    ds = load_dataset("gas_drift", tmp_path, download=True)
    assert ds.variant == "complete" and ds.X.shape == (10, 128)
    assert sorted(p.name for p in (tmp_path / "gas_drift/Dataset").iterdir()) == sorted(
        f"batch{b}.dat" for b in gas_drift.BATCHES
    )


def test_the_runner_loads_a_held_dataset_once_while_its_files_are_unchanged(tmp_path, monkeypatch):
    import glgan.data
    from glgan.experiment import loading

    calls = []

    def fake_load(name, data_dir=None, allow_partial=False):
        calls.append(name)
        import warnings
        warnings.warn("partial", UserWarning)
        return glgan.data.Dataset(name, np.zeros((3, 2)), np.arange(3), "src", "complete", False, ())

    monkeypatch.setattr(glgan.data, "load_dataset", fake_load)
    loading._load.cache_clear()
    (tmp_path / "usps").mkdir()
    (tmp_path / "usps" / "usps.h5").write_bytes(b"1")
    first, caught = loading.load_once("usps", tmp_path)
    again, _ = loading.load_once("usps", tmp_path)
    assert again is first and len(calls) == 1 and [str(w.message) for w in caught] == ["partial"]
    with pytest.raises(ValueError, match="read-only"):
        first.X[0, 0] = 1.0
    (tmp_path / "usps" / "usps.h5").write_bytes(b"22")  # a changed file is read again
    assert loading.load_once("usps", tmp_path)[0] is not first and len(calls) == 2
    loading._load.cache_clear()
