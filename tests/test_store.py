import json
import os

import pytest

from glgan.experiment.store import ResultStore, RunKey, package_version


def records(key, mcc, finished_at="2026-01-01T00:00:00+00:00"):
    return [{"dataset": key.dataset, "method": key.method, "ratio": key.ratio, "seed": key.seed,
             "classifier": c, "mcc": mcc, "finished_at": finished_at} for c in ("mlp", "adaboost")]


def test_write_then_read_and_load(tmp_path):
    store = ResultStore(tmp_path)
    key = RunKey("usps", "smote", 0.01, 3, "abc")
    assert not store.has(key)
    path = store.write(key, records(key, 0.5))
    assert path == tmp_path / "usps" / "smote" / "r0.01" / "seed3-abc.json"
    assert store.has(key) and store.read(key)[0]["mcc"] == 0.5
    frame = store.load()
    assert len(frame) == 2 and set(frame["classifier"]) == {"mlp", "adaboost"}


def test_write_is_atomic_and_leaves_no_temporary_files(tmp_path, monkeypatch):
    store = ResultStore(tmp_path)
    key = RunKey("usps", "smote", 0.01, 0, "abc")

    def crash(*_):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        store.write(key, records(key, 0.1))
    assert not store.has(key)
    assert list(tmp_path.rglob("*")) == [p for p in tmp_path.rglob("*") if p.is_dir()]


def test_superseded_configuration_is_ignored_with_a_warning(tmp_path):
    store = ResultStore(tmp_path)
    old, new = RunKey("usps", "glgan", 0.01, 0, "old"), RunKey("usps", "glgan", 0.01, 0, "new")
    store.write(old, records(old, 0.1, "2026-01-01T00:00:00+00:00"))
    store.write(new, records(new, 0.9, "2026-02-01T00:00:00+00:00"))
    with pytest.warns(UserWarning, match="superseded"):
        frame = store.load()
    assert frame["mcc"].tolist() == [0.9, 0.9]


def test_empty_store_loads_as_empty_frame(tmp_path):
    assert len(ResultStore(tmp_path / "missing").load()) == 0


def test_file_content_is_plain_json(tmp_path):
    store = ResultStore(tmp_path)
    key = RunKey("madelon", "random", 0.05, 1, "h")
    payload = json.loads(store.write(key, records(key, 0.2)).read_text())
    assert payload["key"]["config_hash"] == "h" and len(payload["records"]) == 2


def test_records_carry_the_package_version_and_old_records_still_load(tmp_path):
    store = ResultStore(tmp_path)
    old = RunKey("usps", "smote", 0.01, 0, "abc")
    store.path_for(old).parent.mkdir(parents=True)
    store.path_for(old).write_text(json.dumps({"key": old.__dict__, "records": [
        {"dataset": "usps", "method": "smote", "ratio": 0.01, "seed": 0, "classifier": "mlp", "mcc": 0.5,
         "finished_at": "2026-01-01T00:00:00+00:00"}]}))
    new = RunKey("usps", "smote", 0.01, 1, "abc")
    store.write(new, [{"dataset": "usps", "method": "smote", "ratio": 0.01, "seed": 1, "classifier": "mlp",
                       "mcc": 0.6, "finished_at": "2026-01-02T00:00:00+00:00"}])
    assert package_version() and store.read(new)[0]["glgan_version"] == package_version()
    assert store.read(new)[0]["mcc"] == 0.6
    frame = store.load()
    assert len(frame) == 2 and frame.set_index("seed")["glgan_version"].isna().tolist() == [True, False]
