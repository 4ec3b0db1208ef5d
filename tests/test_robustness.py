"""Bad input for every sampler of ``configs/method/*.yaml``: a clear error that says what to do, or a correct
result, never a silently wrong one. Also divergence, extreme magnitudes, determinism and pinned outputs.

Samplers are built the way the runner builds them (Hydra ``instantiate`` of the method's config with
``sampler_overrides``), so a yaml list reaches them as an OmegaConf ``ListConfig``. Neural samplers get
test-sized networks and two epochs. imbalanced-learn's estimator checks run in tests/test_common.py.

"Correct" means: the original rows first and unchanged (NRAS: those it does not drop as noise,
``removed_indices_``), then the synthetic rows, with exactly ``n_c + sampling_strategy_[c]`` rows per class,
finite synthetic values, X's dtype and container (numpy, pandas, the same sparse format) and y's dtype.
"""

from __future__ import annotations

import copy
import functools
import re
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch
from hydra import compose, initialize_config_dir
from hydra.utils import instantiate
from imblearn.over_sampling import RandomOverSampler as ImblearnRandomOverSampler
from omegaconf import open_dict
from scipy import sparse

from baselines import RandomOverSampler
from glgan.run import sampler_config
from glgan.torch_utils import TrainingDivergedError

ROOT = Path(__file__).resolve().parents[1]
METHODS = sorted(path.stem for path in (ROOT / "configs" / "method").glob("*.yaml"))
AUTOENCODER = {"latent_dim": 2, "hidden_dims": [8], "ae_epochs": 2, "ae_min_steps": 0, "batch_size": 64, "device": "cpu"}
TINY = {
    "glgan": {**AUTOENCODER, "gan_epochs": 2},
    "glgan_paper": {**AUTOENCODER, "gan_epochs": 2},
    "auto_only": AUTOENCODER,
    "plain_ae": AUTOENCODER,
    "bagan": {"hidden_dims": [8], "latent_dim": 4, "epochs": 2, "batch_size": 64, "device": "cpu"},
    "cgan": {"latent_dim": 4, "generator_units": 8, "discriminator_units": 8, "epochs": 2, "batch_size": 64,
             "device": "cpu"},
}
NEURAL = sorted(TINY)
LATENT_SMOTE = {"glgan", "glgan_paper", "auto_only", "plain_ae"}
#: Methods whose fit_resample is imbalanced-learn's FunctionSampler without a function: the rows stay as they are
#: (class_weight and threshold change how the KEEL benchmark's classifiers are trained, not the rows).
UNCHANGED = {"imbalanced", "class_weight", "threshold"}
IMBLEARN_OWN = {*UNCHANGED, "random"}  # imbalanced-learn's input handling (random: plus a length check)
DENSE_ONLY = {"mdo", "nras", "polynom_fit_smote_star", "prowsyn", "smote_ipf", "swim", "swim_published"}
# smote-variants returns its input for classes it cannot grow (warned)
SMOTE_VARIANTS = {"mdo", "nras", "polynom_fit_smote_star", "prowsyn", "smote_ipf"}


@functools.lru_cache(maxsize=None)
def _composed(method: str, seed: int):
    with initialize_config_dir(config_dir=str(ROOT / "configs"), version_base="1.3"):
        return compose("config", overrides=[f"method={method}", f"seed={seed}"])


def make_sampler(method: str, seed: int = 0, **overrides):
    """The method's sampler as ``python -m glgan.run`` instantiates it, with test-sized training."""
    cfg = copy.deepcopy(_composed(method, seed))
    with open_dict(cfg):
        cfg.sampler_overrides[method] = {**TINY.get(method, {}), **overrides}
    return instantiate(sampler_config(cfg))


# ------------------------------------------------------------------------------------------------------
# Data and the definition of a correct result
# ------------------------------------------------------------------------------------------------------


def blobs(n_per_class=(40, 10), n_features=4, seed=0):
    """Well-separated classes in [0, 1]^d (so that no smote-variants noise rule discards a class)."""
    rng = np.random.RandomState(seed)
    shapes = [(2, 6), (6, 2), (12, 12)]
    X = np.vstack([rng.beta(*shapes[c], (n, n_features)) for c, n in enumerate(n_per_class)])
    y = np.repeat(np.arange(len(n_per_class), dtype=np.int64), n_per_class)
    return X, y


def as_numpy(X):
    if sparse.issparse(X):
        return X.toarray()
    return X.to_numpy() if isinstance(X, (pd.DataFrame, pd.Series)) else np.asarray(X)


def assert_correct(sampler, X, y, X_res, y_res):
    if isinstance(X, pd.DataFrame):
        assert isinstance(X_res, pd.DataFrame) and list(X_res.columns) == list(X.columns)
        assert isinstance(y_res, pd.Series) and y_res.name == y.name
    if sparse.issparse(X):
        assert sparse.issparse(X_res) and X_res.format == X.format
    X, y, X_res, y_res = map(as_numpy, (X, y, X_res, y_res))
    assert X_res.dtype == X.dtype and y_res.dtype == y.dtype
    assert len(X_res) == len(y_res)
    removed = getattr(sampler, "removed_indices_", np.empty(0, dtype=np.intp))
    kept = np.setdiff1d(np.arange(len(y)), removed)
    np.testing.assert_array_equal(X_res[: kept.size], X[kept])  # NaN compares equal to NaN here
    np.testing.assert_array_equal(y_res[: kept.size], y[kept])
    strategy = sampler.sampling_strategy_
    strategy = strategy if isinstance(strategy, dict) else {}  # FunctionSampler keeps the string "auto"
    labels, counts = np.unique(y, return_counts=True)
    assert Counter(y_res.tolist()) == {c: int(n) + strategy.get(c, 0) for c, n in zip(labels.tolist(), counts)}
    synthetic, synthetic_labels = X_res[kept.size :], y_res[kept.size :]
    assert set(synthetic_labels.tolist()) <= {c for c, n in strategy.items() if n > 0}
    if np.isfinite(X).all():
        assert np.isfinite(synthetic).all()
    else:  # only random over-sampling accepts non-finite X: its new rows are copies of rows of their class
        for row, label in zip(synthetic, synthetic_labels):
            same_class = X[y == label]
            assert any(np.array_equal(row, other, equal_nan=True) for other in same_class)


# ------------------------------------------------------------------------------------------------------
# The bad-input matrix
# ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Raises:
    error: type[Exception]
    message: str  # regex that the message must match: what went wrong and what to do


@dataclass(frozen=True)
class Correct:
    warns: str | None = None  # regex of a UserWarning that must be emitted


@dataclass(frozen=True)
class Unchanged:
    warns: str  # the class cannot be grown: input returned as is, and a warning says so


def _with_value(value):
    def case(X, y):
        X = X.copy()
        X[3, 1] = value
        return X, y
    return case


def _minority_rows(n):
    def case(X, y):
        keep = np.r_[np.flatnonzero(y == 0), np.flatnonzero(y == 1)[:n]]
        return X[keep], y[keep]
    return case


CASES = {
    "nan": _with_value(np.nan),
    "inf": _with_value(np.inf),
    "one_class": lambda X, y: (X, np.zeros_like(y)),
    "one_minority_row": _minority_rows(1),
    "two_minority_rows": _minority_rows(2),
    "three_classes": lambda X, y: blobs((40, 16, 10)),
    "string_labels": lambda X, y: (X, np.array(["common", "rare"], dtype=object)[y]),
    "length_mismatch": lambda X, y: (X, y[:-1]),
    "empty": lambda X, y: (X[:0], y[:0]),
    "float32": lambda X, y: (X.astype(np.float32), y),
    "pandas": lambda X, y: (pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])]), pd.Series(y, name="label")),
    "sparse_csr": lambda X, y: (sparse.csr_matrix(X), y),
    "sparse_csc": lambda X, y: (sparse.csc_matrix(X), y),
}


def expected(method: str, case: str):
    ours = method not in IMBLEARN_OWN
    if case in ("nan", "inf"):
        if method == "random":
            return Correct()  # copies rows as they are (imbalanced-learn accepts NaN/inf here by design)
        if method in UNCHANGED:  # imbalanced-learn's validation of FunctionSampler
            return Raises(ValueError, "(?s)contains NaN.*imputer" if case == "nan" else "contains infinity")
        return Raises(ValueError, "1 NaN .*Impute missing values" if case == "nan"
                      else "1 inf .*replace or drop infinite")
    if case == "one_class":
        return Raises(ValueError, "one class only.*stratify" if ours else "needs to have more than 1 class")
    if case == "one_minority_row":
        if method == "smote":
            return Raises(ValueError, "single row. Grow it with imblearn.over_sampling.RandomOverSampler")
        if method in ("swim", "swim_published"):
            return Raises(ValueError, "at least 2 rows in class 1.*RandomOverSampler")
    if case in ("one_minority_row", "two_minority_rows"):
        if method in SMOTE_VARIANTS:
            return Unchanged(warns="generated no rows for class 1")
        if method in LATENT_SMOTE and case == "one_minority_row":
            return Correct(warns="one minority sample")
        if method == "smote":
            return Correct(warns=r"k = n_class - 1 per class: \{[^:]*1\)?: 1\}")
        return Correct()
    if case == "length_mismatch":
        return Raises(ValueError, "X has 50 rows but y has 49 labels; pass exactly one label per row"
                      if method not in UNCHANGED else "inconsistent numbers of samples")
    if case == "empty":
        return Raises(ValueError, "X is empty" if method not in UNCHANGED else "0 sample")
    if case.startswith("sparse") and method in DENSE_ONLY:
        return Raises(TypeError, r"dense data is required. Use '.toarray\(\)'")
    return Correct()


MATRIX = [(method, case) for method in METHODS for case in CASES]


@pytest.mark.parametrize("method, case", MATRIX, ids=[f"{m}-{c}" for m, c in MATRIX])
def test_bad_input_matrix(method, case):
    X, y = CASES[case](*blobs())
    sampler = make_sampler(method)
    outcome = expected(method, case)
    if isinstance(outcome, Raises):
        with pytest.raises(outcome.error, match=outcome.message):
            sampler.fit_resample(X, y)
        return
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        X_res, y_res = sampler.fit_resample(X, y)
    messages = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    if outcome.warns is not None:
        assert any(re.search(outcome.warns, m) for m in messages), messages
    if isinstance(outcome, Unchanged):
        assert any("stays at" in m for m in messages), messages
        np.testing.assert_array_equal(as_numpy(X_res), as_numpy(X))
        np.testing.assert_array_equal(as_numpy(y_res), as_numpy(y))
        return
    assert_correct(sampler, X, y, X_res, y_res)
    if case == "three_classes" and method not in UNCHANGED:
        assert len(set(Counter(as_numpy(y_res).tolist()).values())) == 1  # balanced


# ------------------------------------------------------------------------------------------------------
# Divergence and extreme magnitudes
# ------------------------------------------------------------------------------------------------------

# An absurd learning rate makes the first steps overflow; every neural sampler must stop with
# TrainingDivergedError, never return NaN rows.
DIVERGING = [
    ("glgan", {"ae_learning_rate": 1e30}), ("glgan", {"gan_learning_rate": 1e30}),
    ("glgan_paper", {"ae_learning_rate": 1e30}), ("glgan_paper", {"gan_learning_rate": 1e30}),
    ("auto_only", {"ae_learning_rate": 1e30}), ("plain_ae", {"ae_learning_rate": 1e30}),
    ("bagan", {"ae_learning_rate": 1e30}), ("bagan", {"gan_learning_rate": 1e30}),
    ("cgan", {"learning_rate": 1e30}),
]


@pytest.mark.parametrize("method, overrides", DIVERGING, ids=[f"{m}-{next(iter(o))}" for m, o in DIVERGING])
def test_diverging_training_raises(method, overrides):
    X, y = blobs()
    with pytest.raises(TrainingDivergedError, match="became (nan|inf).*lower the learning rate"):
        make_sampler(method, **overrides).fit_resample(X, y)


@pytest.mark.parametrize("scale", [1e200, 1e-300])
@pytest.mark.parametrize("method", METHODS)
def test_extreme_magnitudes_never_give_non_finite_rows(method, scale):
    """Finite but extreme features: an error that says to scale them, a warned fall-back, or finite rows."""
    X, y = blobs()
    X = X * scale
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            X_res, y_res = make_sampler(method).fit_resample(X, y)
        except (ValueError, TrainingDivergedError) as error:
            assert re.search(r"Scale the features|Standardise the features", str(error)), error
            return
    assert np.isfinite(X_res).all()
    if len(y_res) == len(y):  # nothing generated: only the imbalanced baseline or a warned fall-back
        assert method in UNCHANGED or any("generated no rows" in str(w.message) for w in caught)
        np.testing.assert_array_equal(X_res, X)


# ------------------------------------------------------------------------------------------------------
# Determinism: same input and seed give bit-identical output, whatever the container or memory layout
# ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_same_seed_same_output_in_any_layout_and_no_rng_leak(method):
    X, y = blobs()
    np.random.seed(12345)
    numpy_state, torch_state = np.random.get_state()[1].copy(), torch.get_rng_state()
    first = make_sampler(method, seed=3).fit_resample(X, y)
    np.testing.assert_array_equal(np.random.get_state()[1], numpy_state)
    assert torch.equal(torch.get_rng_state(), torch_state)
    for X_variant in (X.copy(), np.asfortranarray(X), pd.DataFrame(X)):
        X_res, y_res = make_sampler(method, seed=3).fit_resample(X_variant, y)
        np.testing.assert_array_equal(as_numpy(X_res), first[0])
        np.testing.assert_array_equal(as_numpy(y_res), first[1])


# ------------------------------------------------------------------------------------------------------
# Pinned output: a refactoring of shared plumbing must not change any sampler's numbers
# ------------------------------------------------------------------------------------------------------

# (synthetic rows, their sum, their position-weighted mean) for blobs() and seed 0 at the test sizes above,
# recorded when the input checks were consolidated into glgan/sampler_contract.py (every sampler's output
# was bit-identical before and after). If a deliberate change of a method alters its numbers, record the
# new values here and say why in the commit.
PINNED = {
    "auto_only": (30, 62.76426076889038, 31.658070348699887),  # variant="balanced" is the default
    "bagan": (30, 60.996905049345884, 30.74898417939216),
    "cgan": (30, 45.46896786080938, 22.716370361223866),
    "glgan": (30, 62.7506967484951, 31.65103981321057),  # variant="balanced" is the default
    # variant="paper" is the earlier GLGAN: its pin is glgan's from before the balanced default
    "glgan_paper": (30, 62.611257404088974, 31.5808346045514),
    "imbalanced": (0, 0.0, 0.0),
    "class_weight": (0, 0.0, 0.0),  # no oversampling (KEEL benchmark): the rows stay as they are
    "threshold": (0, 0.0, 0.0),
    "mdo": (30, 93.45331021164256, 46.9802899739671),
    "nras": (30, 92.3746258648936, 46.522165519390526),
    "plain_ae": (30, 62.76829072833061, 31.659747244169314),  # variant="balanced" is the default
    "polynom_fit_smote_star": (30, 91.97813422742198, 46.786770636153214),  # a KEEL benchmark sampler
    "prowsyn": (30, 92.97205055994141, 47.94088551610334),  # a KEEL benchmark sampler
    "random": (30, 93.55671626260109, 46.98969787262993),
    "smote": (30, 91.09033494447137, 45.97520132693418),
    "smote_ipf": (30, 91.9858066614324, 46.54880490961387),  # a KEEL benchmark sampler
    "swim": (30, 93.49221459674246, 46.95577095472594),
    "swim_published": (30, 93.50526840648452, 46.96113573187661),  # SWIM as its published code behaves
}


@pytest.mark.parametrize("method", METHODS)
def test_output_is_pinned_for_a_fixed_seed(method):
    X, y = blobs()
    X_res, _ = make_sampler(method, seed=0).fit_resample(X, y)
    synthetic = X_res[len(X):]
    weights = np.arange(1, synthetic.size + 1).reshape(synthetic.shape) / max(synthetic.size, 1)
    # float32 networks: allow for another CPU's rounding; float64 numpy: near bit-exact
    rtol = 1e-4 if method in NEURAL else 1e-9
    n, total, weighted = PINNED[method]
    assert len(synthetic) == n
    assert synthetic.sum() == pytest.approx(total, rel=rtol, abs=1e-12)
    assert (synthetic * weights).sum() == pytest.approx(weighted, rel=rtol, abs=1e-12)


# ------------------------------------------------------------------------------------------------------
# baselines.RandomOverSampler: imbalanced-learn's, plus the length check (its estimator checks run in
# tests/test_common.py)
# ------------------------------------------------------------------------------------------------------


def test_random_over_sampler_is_imblearns_for_valid_input():
    X, y = blobs((40, 16, 10))
    ours = RandomOverSampler(random_state=5, shrinkage=0.5).fit_resample(X, y)
    theirs = ImblearnRandomOverSampler(random_state=5, shrinkage=0.5).fit_resample(X, y)
    np.testing.assert_array_equal(ours[0], theirs[0])
    np.testing.assert_array_equal(ours[1], theirs[1])
