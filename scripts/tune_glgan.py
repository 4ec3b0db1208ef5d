"""Validation-only choice of GL-GAN's defaults on MNIST 4 (majority) vs 7 (minority), r = 0.01.

MNIST is outside the paper's result tables (it is only used for the §5 pictures). Everything here comes
from the 60000 MNIST *training* images; the 10000 test images are never read. Per seed: a balanced
validation set of 500 "4" + 500 "7" images, and disjoint training rows of USPS's size at r = 0.01
(744 "4" + 7 "7"), min-max scaled on the training rows. Each configuration over-samples the training
rows to balance; MLPClassifier and AdaBoostClassifier (scikit-learn defaults, as in the paper) are fitted
on the result and scored by MCC on the validation rows. Reference rows (no over-sampling, SMOTE,
AutoOnly, PlainAE) give context only; nothing is chosen from them.

    OMP_NUM_THREADS=1 python scripts/tune_glgan.py --mnist-dir data/mnist --seeds 0 1 2 [--configs ...]

``--mnist-dir`` holds the LeCun files ``train-images-idx3-ubyte.gz`` and ``train-labels-idx1-ubyte.gz``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
import warnings
from pathlib import Path

import numpy as np
import torch
from imblearn.over_sampling import SMOTE
from sklearn.ensemble import AdaBoostClassifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import matthews_corrcoef
from sklearn.neural_network import MLPClassifier

from baselines.ablations import AutoOnly, PlainAE
from glgan import GLGAN

N_MAJORITY, RATIO, N_VALIDATION = 744, 0.01, 500

CONFIGS = {  # GL-GAN settings tried (each overrides the defaults)
    "default": {},
    "latent32": {"latent_dim": 32},
    "weak_separation": {"separation_weight": 0.1},
    "weak_gan_terms": {"adversarial_weight": 0.1, "classifier_weight": 0.1},
    "gan_lr_1e-3": {"gan_learning_rate": 1e-3},
    "linear_output": {"output_activation": "linear"},
    "long_gan": {"gan_epochs": 100, "patience": None},
    # second round, after the new D/C heads were made to start at zero (first round: random heads)
    "lr_1e-3_weak_gan_terms": {"gan_learning_rate": 1e-3, "adversarial_weight": 0.1, "classifier_weight": 0.1},
}
REFERENCES = {
    "none": None,
    "SMOTE": lambda seed: SMOTE(random_state=seed),
    "AutoOnly": lambda seed: AutoOnly(random_state=seed, device="cpu"),
    "PlainAE": lambda seed: PlainAE(random_state=seed, device="cpu"),
}


def read_idx(path: Path) -> np.ndarray:
    with gzip.open(path, "rb") as handle:
        raw = handle.read()
    n_dims = raw[3]
    shape = tuple(int(n) for n in np.frombuffer(raw, dtype=">u4", count=n_dims, offset=4))
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * n_dims).reshape(shape)


def validation_split(seed: int, mnist_dir: Path):
    """Training rows (744 "4" + 7 "7") and a balanced validation set, all from MNIST's training images."""
    X = read_idx(mnist_dir / "train-images-idx3-ubyte.gz").reshape(60000, -1).astype(np.float64)
    y = read_idx(mnist_dir / "train-labels-idx1-ubyte.gz")
    rng = np.random.RandomState(seed)
    fours, sevens = rng.permutation(np.flatnonzero(y == 4)), rng.permutation(np.flatnonzero(y == 7))
    n_min = int(round(RATIO * N_MAJORITY))
    val = np.r_[fours[:N_VALIDATION], sevens[:N_VALIDATION]]
    train = np.r_[fours[N_VALIDATION : N_VALIDATION + N_MAJORITY], sevens[N_VALIDATION : N_VALIDATION + n_min]]
    low, span = X[train].min(axis=0), np.ptp(X[train], axis=0)
    span[span == 0] = 1.0  # constant pixels stay 0 on the training rows
    scale = lambda rows: (X[rows] - low) / span  # noqa: E731
    return scale(train), (y[train] == 7).astype(int), scale(val), (y[val] == 7).astype(int)


def evaluate(X_tr, y_tr, X_val, y_val, seed: int) -> dict[str, float]:
    scores = {}
    for name, clf in (
        ("MLP", MLPClassifier(random_state=seed)),
        ("AdaBoost", AdaBoostClassifier(random_state=seed)),
    ):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.fit(X_tr, y_tr)
        scores[name] = float(matthews_corrcoef(y_val, clf.predict(X_val)))
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mnist-dir", type=Path, default=Path("data/mnist"))
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--configs", nargs="+", default=list(CONFIGS), choices=list(CONFIGS))
    parser.add_argument("--references", nargs="*", default=list(REFERENCES), choices=list(REFERENCES))
    parser.add_argument("--out", type=Path, help="write all rows as JSON here")
    args = parser.parse_args()
    torch.set_num_threads(1)
    rows = []
    for seed in args.seeds:
        X_tr, y_tr, X_val, y_val = validation_split(seed, args.mnist_dir)
        jobs = [(f"ref:{n}", REFERENCES[n] and (lambda s, n=n: REFERENCES[n](s))) for n in args.references]
        jobs += [(n, lambda s, n=n: GLGAN(random_state=s, device="cpu", **CONFIGS[n])) for n in args.configs]
        for name, make in jobs:
            start = time.perf_counter()
            X_res, y_res = (X_tr, y_tr) if make is None else make(seed).fit_resample(X_tr, y_tr)
            fit_s = time.perf_counter() - start
            row = {"config": name, "seed": seed, "fit_s": round(fit_s, 2), **evaluate(X_res, y_res, X_val, y_val, seed)}
            rows.append(row)
            print(json.dumps(row), flush=True)
    names = dict.fromkeys(r["config"] for r in rows)
    print("\n| config | MLP MCC | AdaBoost MCC | mean | fit s |\n|---|---|---|---|---|")
    for name in names:
        sel = [r for r in rows if r["config"] == name]
        mlp, ada = np.mean([r["MLP"] for r in sel]), np.mean([r["AdaBoost"] for r in sel])
        print(f"| {name} | {mlp:.4f} | {ada:.4f} | {(mlp + ada) / 2:.4f} | {np.mean([r['fit_s'] for r in sel]):.1f} |")
    if args.out:
        args.out.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
