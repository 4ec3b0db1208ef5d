"""scripts/compare_methods.py: a method's mean MCC, quality targets and sampler time in two benchmark stores."""

import importlib.util
from pathlib import Path

import pandas as pd

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "compare_methods.py"
spec = importlib.util.spec_from_file_location("compare_methods", SCRIPT)
compare_methods = importlib.util.module_from_spec(spec)
spec.loader.exec_module(compare_methods)


def _records(method: str, mcc: float, spread: float, seconds: float) -> pd.DataFrame:
    rows = []
    for dataset in ("a", "b"):
        for fold in (0, 1):
            for classifier in ("mlp", "adaboost", "lightgbm"):
                rows.append({"dataset": dataset, "method": method, "repeat": 0, "fold": fold,
                             "classifier": classifier, "mcc": mcc + (classifier == "lightgbm"),
                             "sampler_seconds": seconds, "quality_spread_ratio": spread,
                             "quality_cover": 0.5, "quality_near_majority": 0.1})
    return pd.DataFrame(rows)


def test_mean_mcc_over_common_cells_quality_targets_and_seconds():
    smote = _records("smote", 0.3, 1.0, 0.01)
    old = pd.concat([smote, _records("glgan", 0.5, 1.0, 2.0)])
    new = _records("glgan", 0.4, 0.1, 1.0)  # collapsed: spread 0.1 is outside [0.5, 1.5]
    result = compare_methods.compare(old, new, "glgan", ("mlp", "adaboost"))
    assert result["cells"] == 4  # 2 sets x 2 classifiers; LightGBM left out
    assert result["mcc_old"] == 0.5 and abs(result["mcc_new"] - 0.4) < 1e-12
    assert result["quality_old"] == "2 of 2" and result["quality_new"] == "0 of 2"
    assert result["sampler_seconds_old"] == 8.0 and result["sampler_seconds_new"] == 4.0
