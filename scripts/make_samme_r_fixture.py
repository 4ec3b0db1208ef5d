"""Write a fixture of scikit-learn's own SAMME.R AdaBoost for ``tests/test_real_adaboost.py``.

Run it with a Python whose scikit-learn still has ``algorithm="SAMME.R"`` (<= 1.5), in an environment of
its own, not the project's venv (the project pins a scikit-learn without SAMME.R). The fixtures in
``tests/fixtures/`` were made with

    /root/.pyenv/versions/3.8.18/bin/python -m venv /tmp/sk22
    /tmp/sk22/bin/pip install scikit-learn==0.22.2.post1 numpy==1.18.5 scipy==1.4.1
    /tmp/sk22/bin/python scripts/make_samme_r_fixture.py      # -> samme_r_sklearn-0.22.2.post1.npz

    python3 -m venv /tmp/sk15 && /tmp/sk15/bin/pip install scikit-learn==1.5.2 numpy
    /tmp/sk15/bin/python scripts/make_samme_r_fixture.py      # -> samme_r_sklearn-1.5.2.npz

0.22.2.post1 is the release the paper's "default settings" most likely meant (current in 2020); 1.5.2
is the last release with SAMME.R (deprecated, so it warns). The data are generated here and stored in the
fixture (features quantised to multiples of 1/256, exact in float64), so the test does not depend on
``make_classification`` staying the same across versions.
"""

import sys
import warnings
from pathlib import Path

import numpy as np
import sklearn
from sklearn.datasets import make_classification
from sklearn.ensemble import AdaBoostClassifier

# name: (make_classification arguments, number of test rows, AdaBoost random_state)
CASES = {
    "balanced": (dict(n_samples=300, n_features=20, n_informative=5, random_state=0), 100, 0),
    "imbalanced": (dict(n_samples=400, n_features=10, n_informative=4, weights=[0.95], flip_y=0.02,
                        random_state=1), 150, 3),
    "wide": (dict(n_samples=220, n_features=256, n_informative=10, weights=[0.9], random_state=2), 70, 7),
    "three_class": (dict(n_samples=300, n_features=8, n_informative=5, n_classes=3, n_clusters_per_class=1,
                         random_state=4), 100, 11),
    "separable": (dict(n_samples=120, n_features=5, n_informative=2, n_redundant=0, class_sep=5.0,
                       flip_y=0.0, random_state=5), 40, 1),  # a perfect stump: stops after one round
}


def main(out_dir: Path) -> Path:
    arrays = {"sklearn_version": np.array(sklearn.__version__)}
    for name, (params, n_test, seed) in CASES.items():
        X, y = make_classification(**params)
        X = np.clip(np.round(X * 256), -32768, 32767).astype(np.int16)  # exact in float64 after / 256
        Xf = X.astype(np.float64) / 256
        n_train = len(y) - n_test
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # 1.4-1.5: SAMME.R is deprecated
            model = AdaBoostClassifier(algorithm="SAMME.R", n_estimators=50, learning_rate=1.0, random_state=seed)
            model.fit(Xf[:n_train], y[:n_train])
        arrays[f"{name}__X"] = X
        arrays[f"{name}__y"] = y.astype(np.int64)
        arrays[f"{name}__n_train"] = np.array(n_train)
        arrays[f"{name}__seed"] = np.array(seed)
        arrays[f"{name}__n_estimators_fitted"] = np.array(len(model.estimators_))
        arrays[f"{name}__predict"] = model.predict(Xf[n_train:])
        arrays[f"{name}__decision_function"] = model.decision_function(Xf[n_train:])
        arrays[f"{name}__predict_proba"] = model.predict_proba(Xf[n_train:])
        arrays[f"{name}__train_predict"] = model.predict(Xf[:n_train])
    path = out_dir / f"samme_r_sklearn-{sklearn.__version__}.npz"
    np.savez_compressed(path, **arrays)
    return path


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "tests" / "fixtures"
    out.mkdir(parents=True, exist_ok=True)
    print(main(out))
