"""The report's sampler re-runs (glgan.experiment.derived): parallel workers give the serial rows and caches."""

import numpy as np
import pandas as pd

from glgan.data.dataset import Dataset
from glgan.experiment.derived import derive


def _digits(seed=0, n_per_class=300, d=16):
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal(loc, 1.0, size=(n_per_class, d)) for loc in (0.0, 1.5)])
    y = np.repeat(np.array([0, 2], dtype=np.int64), n_per_class)  # configs/dataset/usps.yaml: 0 vs 2
    return Dataset(name="usps", X=X, y=y, source="synthetic test data", variant="complete", is_partial=False, files=())


def test_parallel_fits_give_the_serial_rows_caches_and_log_order(tmp_path, caplog):
    datasets = {"usps": (_digits(), ())}
    methods, seeds = ["imbalanced", "smote", "glgan"], [0, 1]
    with caplog.at_level("INFO", logger="glgan.report"):
        serial = derive("quick", datasets, methods, seeds, tmp_path / "serial")
        serial_log = [r.getMessage().split(" (sampler")[0] for r in caplog.records]
    caplog.clear()
    with caplog.at_level("INFO", logger="glgan.report"):
        parallel = derive("quick", datasets, methods, seeds, tmp_path / "parallel", n_jobs=2)
        parallel_log = [r.getMessage().split(" (sampler")[0] for r in caplog.records]
    pd.testing.assert_frame_equal(serial, parallel)
    assert list(serial["method"]) == ["smote", "smote", "glgan", "glgan"]  # imbalanced adds no rows: skipped
    files = sorted(p.relative_to(tmp_path / "serial") for p in (tmp_path / "serial").rglob("*.json"))
    assert len(files) == 4
    for rel in files:
        assert (tmp_path / "serial" / rel).read_bytes() == (tmp_path / "parallel" / rel).read_bytes()
    assert serial_log == parallel_log and len(serial_log) == 4
    caplog.clear()
    with caplog.at_level("INFO", logger="glgan.report"):  # cached: same rows, nothing fitted, nothing logged
        pd.testing.assert_frame_equal(derive("quick", datasets, methods, seeds, tmp_path / "parallel", n_jobs=2),
                                      serial)
    assert not caplog.records
