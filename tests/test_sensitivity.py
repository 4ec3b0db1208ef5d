"""The sensitivity sweep's grid and its adoption rule (``make sensitivity``)."""

from __future__ import annotations

import pandas as pd
import pytest

from glgan.keel_benchmark import sensitivity as sens


def test_the_grid_runs_each_default_without_override_and_every_other_value_as_one():
    grid, studies = sens.load_grid()
    assert grid["experiment"] == "benchmark-dev" and grid["adopt_gain"] == 0.005
    glgan = [s for s in studies if s.method == "glgan"]
    assert len({s.setting for s in glgan}) >= 6 and all(sum(t.setting == s.setting for t in glgan) >= 3 for s in glgan)
    assert [s.value for s in studies if s.method == "smote"] == [3, 5, 7, 9]
    for study in studies:
        assert (study.overrides == ()) == study.default
    weights = next(s for s in glgan if s.setting == "adversarial_weight=classifier_weight" and s.value == 1.0)
    assert weights.overrides == ("++method.sampler.adversarial_weight=1.0", "++method.sampler.classifier_weight=1.0")
    single = next(s for s in studies if s.method == "threshold" and s.value is None)
    assert single.overrides == ("++method.sampler.cv=null",)


def test_a_grid_without_its_default_is_refused(tmp_path):
    path = tmp_path / "grid.yaml"
    path.write_text("experiment: benchmark-dev\nadopt_gain: 0.005\nsettings:\n  glgan:\n    latent_dim: [8, 32]\n")
    with pytest.raises(ValueError, match="must list its default"):
        sens.load_grid(path)


def _table(rows):
    frame = pd.DataFrame(rows, columns=["method", "setting", "value", "default", "dev_mean_mcc", "gain",
                                        "quality_held", "dev_mean_mcc_all"])
    return frame


def test_a_value_is_adopted_only_with_the_gain_and_the_quality_targets():
    base = ("glgan", "latent_dim", "16", True, 0.50, 0.0, "13 of 14", 0.5)
    lifted = ("glgan", "latent_dim", "32", False, 0.506, 0.006, "13 of 14", 0.5)
    lost = ("glgan", "patience", "5", False, 0.507, 0.007, "12 of 14", 0.5)
    small = ("glgan", "patience", "1", False, 0.504, 0.004, "14 of 14", 0.5)
    assert sens.decision(_table([base, lifted, lost, small]), 0.005) == [
        "Meets the rule on the first repeat: latent_dim = 32 (+0.0060; quality targets 13 of 14)."]
    assert list(sens.qualifying(_table([base, lifted, lost, small]), 0.005)["value"]) == ["32"]
    verdict = sens.decision(_table([base, lost, small]), 0.005)
    assert verdict[0].startswith("No setting qualifies") and "The defaults stay" in verdict[0]


def test_the_threshold_tuner_with_the_higher_dev_mean_is_named():
    rows = [("threshold", "cv", "None", False, 0.50, -0.03, "", 0.518), ("threshold", "cv", "5", True, 0.53, 0.0, "", 0.545)]
    (line,) = sens.threshold_decision(_table(rows))
    assert "with 5 inner folds (0.5450; one 25 % validation split 0.5180)" in line and "(the default)" in line
