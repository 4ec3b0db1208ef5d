"""Classical baselines: clipped SMOTE, smote-variants' MDO and NRAS, and SWIM (Mahalanobis); the wrappers of
smote-variants (MDO, NRAS, polynom-fit-SMOTE star, ProWSyn, SMOTE-IPF) against the library's own ``sample``."""

import math
import warnings
from collections import Counter

import numpy as np
import pandas as pd
import pytest
import smote_variants as sv
from imblearn.over_sampling import SMOTE as ImblearnSMOTE
from imblearn.pipeline import Pipeline
from scipy import sparse
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_score

from baselines import MDO, NRAS, SMOTE, SMOTEIPF, SWIM, PolynomFitSMOTEStar, ProWSyn

SAMPLERS = [SMOTE, MDO, NRAS, SWIM]
DENSE_ONLY = [MDO, NRAS, SWIM]


@pytest.fixture(scope="module")
def three_classes():
    X, y = make_classification(
        n_samples=300, n_features=6, n_informative=4, n_redundant=0, n_classes=3,
        weights=[0.15, 0.25, 0.6], class_sep=1.5, random_state=0,
    )
    return X, y


@pytest.fixture(scope="module")
def binary():
    X, y = make_classification(
        n_samples=400, n_features=8, n_informative=5, n_redundant=0, weights=[0.88],
        flip_y=0.03, random_state=1,
    )
    # Unequal, shifted feature scales so that the Mahalanobis geometry is not the identity.
    return X * np.array([1, 10, 0.1, 3, 1, 2, 5, 1]) + 4.0, y


def _kept_rows(sampler, n_rows):
    removed = getattr(sampler, "removed_indices_", np.empty(0, dtype=int))
    return np.setdiff1d(np.arange(n_rows), removed)


def _mahalanobis(A, mean, precision):
    centred = A - mean
    return np.sqrt(np.einsum("ij,jk,ik->i", centred, precision, centred))


# ------------------------------------------------------------------------------------------------------
# Contract shared by every sampler
# ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_balanced_exact_counts_and_originals_first(Sampler, three_classes):
    X, y = three_classes
    sampler = Sampler(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    n_major = max(Counter(y).values())
    assert Counter(y_res) == {c: n_major for c in np.unique(y)}
    kept = _kept_rows(sampler, len(y))
    # Originals (NRAS: those not dropped as noise) come first and unchanged, in their input order.
    np.testing.assert_array_equal(X_res[: kept.size], X[kept])
    np.testing.assert_array_equal(y_res[: kept.size], y[kept])
    assert len(y_res) == kept.size + sum(n_major - np.count_nonzero(y[kept] == c) for c in np.unique(y))
    synthetic = X_res[kept.size :]
    assert np.isfinite(synthetic).all()
    # New rows, not copies of training rows.
    assert not (synthetic[:, None, :] == X[None, :, :]).all(axis=2).any()


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_dict_strategy_exact_counts_even_for_the_larger_side(Sampler, binary):
    X, y = binary
    counts = Counter(y)
    # Class 0 is the larger side of class-vs-rest; the library alone would grow class 1 instead.
    target = {0: counts[0] + 37, 1: counts[1] + 11}
    sampler = Sampler(sampling_strategy=target, random_state=0)
    _, y_res = sampler.fit_resample(X, y)
    assert Counter(y_res) == target


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_deterministic_and_no_global_rng_leak(Sampler, three_classes):
    X, y = three_classes
    np.random.seed(123)
    before = np.random.get_state()[1].copy()
    first = Sampler(random_state=7).fit_resample(X, y)
    second = Sampler(random_state=7).fit_resample(X, y)
    np.testing.assert_array_equal(np.random.get_state()[1], before)
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])
    other = Sampler(random_state=8).fit_resample(X, y)[0]
    assert other.shape != first[0].shape or not np.array_equal(other, first[0])
    from_state = Sampler(random_state=np.random.RandomState(3)).fit_resample(X, y)[0]
    np.testing.assert_array_equal(from_state, Sampler(random_state=np.random.RandomState(3)).fit_resample(X, y)[0])


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_clone_pipeline_and_cross_validation(Sampler, binary):
    X, y = binary
    sampler = Sampler(random_state=0)
    assert clone(sampler).get_params() == sampler.get_params()
    pipeline = Pipeline([("sampler", sampler), ("clf", LogisticRegression(max_iter=500))])
    scores = cross_val_score(pipeline, X, y, cv=3, scoring="f1_macro")
    # Each fold resamples its training rows only and scores the untouched test rows.
    expected = []
    for train, test in StratifiedKFold(3).split(X, y):
        X_res, y_res = Sampler(random_state=0).fit_resample(X[train], y[train])
        model = LogisticRegression(max_iter=500).fit(X_res, y_res)
        expected.append(f1_score(y[test], model.predict(X[test]), average="macro"))
    np.testing.assert_allclose(scores, expected, rtol=1e-12)


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_pandas_in_pandas_out(Sampler, three_classes):
    X, y = three_classes
    X_df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    y_s = pd.Series(y, name="label")
    X_res, y_res = Sampler(random_state=0).fit_resample(X_df, y_s)
    assert isinstance(X_res, pd.DataFrame) and isinstance(y_res, pd.Series)
    assert list(X_res.columns) == list(X_df.columns) and y_res.name == "label"
    X_np, y_np = Sampler(random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(X_res.to_numpy(), X_np)
    np.testing.assert_array_equal(y_res.to_numpy(), y_np)


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_float32_and_label_dtype_kept(Sampler, three_classes):
    X, y = three_classes
    X_res, y_res = Sampler(random_state=0).fit_resample(X.astype(np.float32), y.astype(np.int16))
    assert X_res.dtype == np.float32 and y_res.dtype == np.int16


@pytest.mark.parametrize("Sampler", DENSE_ONLY)
def test_dense_only_samplers_reject_sparse_and_convert_integers(Sampler, three_classes):
    X, y = three_classes
    with pytest.raises(TypeError, match="dense data is required"):
        Sampler(random_state=0).fit_resample(sparse.csr_matrix(X), y)
    X_res, _ = Sampler(random_state=0).fit_resample(np.round(X * 100).astype(np.int64), y)
    assert X_res.dtype == np.float64


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_string_labels(Sampler, three_classes):
    X, y = three_classes
    names = np.array(["rare", "mid", "common"], dtype=object)[y]
    _, y_res = Sampler(random_state=0).fit_resample(X, names)
    assert set(Counter(y_res).values()) == {np.count_nonzero(names == "common")}


# ------------------------------------------------------------------------------------------------------
# SMOTE with clipped k
# ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 5])
def test_smote_is_imblearn_smote_when_nothing_is_clipped(seed, three_classes):
    X, y = three_classes
    ours = SMOTE(random_state=seed)
    X_ours, y_ours = ours.fit_resample(X, y)
    X_ref, y_ref = ImblearnSMOTE(random_state=seed).fit_resample(X, y)
    np.testing.assert_array_equal(X_ours, X_ref)
    np.testing.assert_array_equal(y_ours, y_ref)
    assert ours.clipped_k_neighbors_ == {}


def test_smote_clips_k_for_three_minority_rows():
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(size=(40, 2)), [[5.0, 5.0], [6.0, 5.0], [5.0, 7.0]]])
    y = np.array([0] * 40 + [1] * 3)
    sampler = SMOTE(random_state=0)
    with pytest.warns(UserWarning, match="k = n_class - 1"):
        X_res, y_res = sampler.fit_resample(X, y)
    assert sampler.clipped_k_neighbors_ == {1: 2}
    assert Counter(y_res) == {0: 40, 1: 40}
    # Every synthetic row lies on a segment between two of the three minority rows.
    corners = X[40:]
    for point in X_res[43:]:
        on_segment = []
        for i in range(3):
            for j in range(i + 1, 3):
                a, b = corners[i], corners[j]
                step = np.dot(point - a, b - a) / np.dot(b - a, b - a)
                on_segment.append(0 <= step <= 1 and np.allclose(a + step * (b - a), point))
        assert any(on_segment)


def test_smote_rejects_a_single_row_class():
    X = np.arange(20.0).reshape(10, 2)
    y = np.array([0] * 9 + [1])
    with pytest.raises(ValueError, match="single row"):
        SMOTE(random_state=0).fit_resample(X, y)


# ------------------------------------------------------------------------------------------------------
# smote-variants wrappers
# ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("Sampler, Library", [(MDO, sv.MDO), (NRAS, sv.NRAS)])
def test_wrapper_reproduces_the_library_on_binary_data(Sampler, Library, binary):
    X, y = binary
    wrapper = Sampler(random_state=3)
    X_res, y_res = wrapper.fit_resample(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        X_lib, y_lib = Library(random_state=3).sample(X, y)
    n_synthetic = len(y_res) - (len(y) - wrapper.removed_indices_.size)
    np.testing.assert_array_equal(X_res[-n_synthetic:], X_lib[-n_synthetic:])
    assert Counter(y_res) == Counter(y_lib)


def _library_sample(library_sampler, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        return library_sampler.sample(X, y)


@pytest.mark.parametrize("Sampler, Library", [(ProWSyn, sv.ProWSyn), (SMOTEIPF, sv.SMOTE_IPF)])
def test_top_ranked_wrapper_returns_the_librarys_rows_on_binary_data(Sampler, Library, binary):
    # On a binary problem the library's default (proportion 1: grow the minority to the majority) is exactly
    # what imbalanced-learn's "auto" asks for, so the wrapper's whole output is the library's, row for row.
    X, y = binary
    X_res, y_res = Sampler(random_state=3).fit_resample(X, y)
    X_lib, y_lib = _library_sample(Library(random_state=3), X, y)
    np.testing.assert_array_equal(X_res, X_lib)
    np.testing.assert_array_equal(y_res, y_lib)
    assert Counter(y_res) == {0: np.count_nonzero(y == 0), 1: np.count_nonzero(y == 0)}


def test_smote_ipf_wrapper_drops_the_rows_the_librarys_filter_drops():
    # Four minority rows sit exactly on majority rows: no tree can separate them, so the filter removes them.
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(size=(120, 2)), rng.normal(size=(26, 2)) + 2.0])
    X = np.vstack([X, X[:4]])
    y = np.r_[np.zeros(120, dtype=int), np.ones(30, dtype=int)]
    sampler = SMOTEIPF(random_state=3)
    X_res, y_res = sampler.fit_resample(X, y)
    X_lib, y_lib = _library_sample(sv.SMOTE_IPF(random_state=3), X, y)
    np.testing.assert_array_equal(X_res, X_lib)
    np.testing.assert_array_equal(y_res, y_lib)
    np.testing.assert_array_equal(sampler.removed_indices_, [146, 147, 148, 149])


def test_polynom_fit_star_wrapper_keeps_an_exact_count_of_the_librarys_star_points(binary):
    X, y = binary
    n_min, n_new = np.count_nonzero(y == 1), np.count_nonzero(y == 0) - np.count_nonzero(y == 1)
    # The library puts rint(n_new / n_min) points on each segment, the wrapper ceil(n_new / n_min) and keeps n_new
    # of them; with 298 / 51 = 5.84 both put 6, so the wrapper's rows are n_new of the library's, in its order.
    assert round(n_new / n_min) == math.ceil(n_new / n_min) and n_new % n_min
    X_res, y_res = PolynomFitSMOTEStar(random_state=3).fit_resample(X, y)
    X_lib, _ = _library_sample(sv.polynom_fit_SMOTE_star(random_state=3), X, y)
    np.testing.assert_array_equal(X_res[: len(X)], X_lib[: len(X)])
    synthetic, library_points = X_res[len(X):], X_lib[len(X):]
    assert len(synthetic) == n_new and (y_res[len(X):] == 1).all()
    match = (synthetic[:, None, :] == library_points[None, :, :]).all(axis=2)
    assert (match.sum(axis=1) == 1).all()  # each row is one of the library's points...
    assert (np.diff(match.argmax(axis=1)) > 0).all()  # ...each a different one, in the library's order
    # With n_new a multiple of n_min nothing is left out: the output is the library's.
    keep = np.r_[np.flatnonzero(y == 0)[: 6 * n_min], np.flatnonzero(y == 1)]  # n_new = 5 * n_min
    X_res, y_res = PolynomFitSMOTEStar(random_state=3).fit_resample(X[keep], y[keep])
    X_lib, y_lib = _library_sample(sv.polynom_fit_SMOTE_star(random_state=3), X[keep], y[keep])
    np.testing.assert_array_equal(X_res, X_lib)
    np.testing.assert_array_equal(y_res, y_lib)


def test_nras_drops_noise_rows_of_the_grown_class_only(binary):
    X, y = binary
    sampler = NRAS(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    removed = sampler.removed_indices_
    assert removed.size > 0  # flip_y puts minority rows among the majority
    assert set(y[removed]) == {1}
    assert Counter(y_res) == {0: np.count_nonzero(y == 0), 1: np.count_nonzero(y == 0)}
    assert len(y_res) == len(y) - removed.size + (np.count_nonzero(y == 0) - np.count_nonzero(y == 1)) + removed.size
    assert not (X_res[:, None, :] == X[None, removed, :]).all(axis=2).any()


def test_mdo_keeps_every_row(binary):
    X, y = binary
    sampler = MDO(random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    assert sampler.removed_indices_.size == 0
    np.testing.assert_array_equal(X_res[: len(X)], X)


@pytest.mark.parametrize("Sampler", [MDO, NRAS])
def test_library_fallback_is_reported_not_hidden(Sampler):
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(size=(30, 3)), rng.normal(size=(2, 3)) + 4])
    y = np.array([0] * 30 + [1] * 2)
    with pytest.warns(UserWarning, match="generated no rows for class 1"):
        X_res, y_res = Sampler(random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X)
    assert Counter(y_res) == {0: 30, 1: 2}


def test_nras_fallback_when_almost_every_row_is_noise():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 2))
    y = np.zeros(60, dtype=int)
    y[rng.choice(60, 6, replace=False)] = 1  # minority scattered through the majority: all noise
    with pytest.warns(UserWarning, match="noise"):
        _, y_res = NRAS(random_state=0).fit_resample(X, y)
    assert Counter(y_res) == Counter(y)


def test_library_logging_is_silenced(binary, caplog):
    X, y = binary
    with caplog.at_level("INFO"):
        MDO(random_state=0).fit_resample(X, y)
        NRAS(random_state=0).fit_resample(X, y)
    assert not [r for r in caplog.records if r.name.startswith("smote_variants")]


# ------------------------------------------------------------------------------------------------------
# SWIM
# ------------------------------------------------------------------------------------------------------


def _reference_swim(X_min, X_maj, n, sd, rng):
    """The post-e7f4101 reference algorithm (cbellinger27/SWIM Swim_Maha.py), loop for loop, with
    numpy draws in the order the vectorised port makes them."""
    mean = X_maj.mean(axis=0)
    C_inv = np.linalg.inv(np.cov((X_maj - mean).T))
    values, vectors = np.linalg.eigh(C_inv)
    M = vectors @ np.diag(np.sqrt(values)) @ vectors.T
    M_inv = np.linalg.inv(M)
    W_min = M @ (X_min - mean).T
    stds = W_min.std(axis=1)
    picked = rng.randint(X_min.shape[0], size=n)
    u = rng.random_sample((n, X_min.shape[1]))
    out = []
    for row, smp in enumerate(W_min[:, picked].T):
        new = (smp - sd * stds) + 2 * sd * stds * u[row]
        new = new / (np.linalg.norm(new) / np.linalg.norm(smp))
        out.append(M_inv @ new + mean)
    return picked, np.array(out)


def test_swim_matches_the_reference_algorithm(binary):
    X, y = binary
    sampler = SWIM(random_state=4, sd=0.5)
    X_res, _ = sampler.fit_resample(X, y)
    rows = np.flatnonzero(y == 1)
    n_new = len(X_res) - len(X)
    picked, expected = _reference_swim(X[rows], X[y == 0], n_new, 0.5, np.random.RandomState(4))
    np.testing.assert_array_equal(sampler.seed_indices_, rows[picked])
    np.testing.assert_allclose(X_res[len(X):], expected, rtol=1e-9, atol=1e-9)


def test_swim_preserves_mahalanobis_distance_on_full_rank_data(binary):
    X, y = binary
    sampler = SWIM(random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    assert sampler.covariance_rank_ == {1: X.shape[1]}
    majority = X[y == 0]
    precision = np.linalg.inv(np.cov(majority.T))
    mean = majority.mean(axis=0)
    synthetic = X_res[len(X):]
    np.testing.assert_allclose(
        _mahalanobis(synthetic, mean, precision), _mahalanobis(X[sampler.seed_indices_], mean, precision),
        rtol=1e-9,
    )
    assert set(y[sampler.seed_indices_]) == {1}
    assert np.all(np.linalg.norm(synthetic - X[sampler.seed_indices_], axis=1) > 0)


def test_swim_multiclass_uses_all_other_rows_as_majority(three_classes):
    X, y = three_classes
    sampler = SWIM(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    synthetic, labels = X_res[len(X):], y_res[len(X):]
    for c in (0, 1):
        rest = X[y != c]
        precision, mean = np.linalg.inv(np.cov(rest.T)), rest.mean(axis=0)
        seeds = sampler.seed_indices_[labels == c]
        assert set(y[seeds]) == {c}
        np.testing.assert_allclose(
            _mahalanobis(synthetic[labels == c], mean, precision), _mahalanobis(X[seeds], mean, precision),
            rtol=1e-9,
        )


@pytest.mark.parametrize("case", ["duplicated_column", "more_features_than_rows", "constant_column"])
def test_swim_singular_covariance(case):
    rng = np.random.RandomState(0)
    if case == "more_features_than_rows":
        X = rng.normal(size=(50, 60))
        X[40:] += 1.5
    else:
        X = rng.normal(size=(120, 5)) * [1, 2, 3, 1, 1]
        X[110:] += 1.0
        X = np.column_stack([X, X[:, 1]]) if case == "duplicated_column" else np.column_stack([X, np.ones(120)])
        if case == "constant_column":
            X[110:, -1] = 3.0  # the minority differs from the majority along the null direction
    y = np.array([0] * (len(X) - 10) + [1] * 10)
    sampler = SWIM(random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    synthetic, seeds = X_res[len(X):], X[sampler.seed_indices_]
    assert sampler.covariance_rank_[1] < X.shape[1]
    assert np.isfinite(synthetic).all()
    assert not (synthetic[:, None, :] == X[None, :, :]).all(axis=2).any()

    majority = X[y == 0]
    mean = majority.mean(axis=0)
    covariance = np.cov(majority.T)
    # Distance under the pseudo-inverse covariance is preserved ...
    precision = np.linalg.pinv(covariance, hermitian=True)
    np.testing.assert_allclose(_mahalanobis(synthetic, mean, precision), _mahalanobis(seeds, mean, precision),
                               rtol=1e-6)
    # ... and the offset along the covariance's null space is the seed's.
    null_projector = np.eye(X.shape[1]) - covariance @ precision
    np.testing.assert_allclose((synthetic - mean) @ null_projector, (seeds - mean) @ null_projector, atol=1e-8)
    if case == "duplicated_column":
        np.testing.assert_allclose(synthetic[:, -1], synthetic[:, 1], atol=1e-10)
    if case == "constant_column":
        np.testing.assert_allclose(synthetic[:, -1], 3.0)


def test_swim_needs_two_rows_per_side():
    X = np.arange(20.0).reshape(10, 2)
    with pytest.raises(ValueError, match="at least 2 rows"):
        SWIM(random_state=0).fit_resample(X, np.array([0] * 9 + [1]))


def test_swim_warns_when_the_majority_has_no_spread():
    X = np.vstack([np.zeros((8, 2)), [[1.0, 2.0], [2.0, 1.0], [1.5, 1.0]]])
    y = np.array([0] * 8 + [1] * 3)
    sampler = SWIM(random_state=0)
    with pytest.warns(UserWarning, match="all identical"):
        X_res, _ = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(X_res[len(X):], X[sampler.seed_indices_])


@pytest.mark.parametrize("Sampler, bad", [(SWIM, {"sd": 0}), (MDO, {"K1_frac": 1.5}), (NRAS, {"t": -0.1}),
                                          (NRAS, {"n_neighbors": 0}), (MDO, {"K2": 2.5})])
def test_invalid_parameters_are_rejected(Sampler, bad, binary):
    with pytest.raises(ValueError, match=list(bad)[0]):
        Sampler(**bad).fit_resample(*binary)
