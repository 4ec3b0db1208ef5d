import numpy as np
import pytest

from glgan.experiment.protocol import MAJORITY, MINORITY, make_split, minmax_scale


def labelled_rows(counts: dict) -> tuple[np.ndarray, np.ndarray]:
    """X holds each row's index, so rows can be traced through the split."""
    y = np.concatenate([np.full(n, label) for label, n in counts.items()])
    return np.arange(len(y), dtype=float).reshape(-1, 1), y


@pytest.mark.parametrize(
    "class_sizes, expected",
    [
        ((1553, 929), (744, 7)),  # USPS: digit 0 vs digit 2
        ((5319, 5319), (4256, 42)),  # Sensorless
        ((2565, 1936), (1549, 15)),  # Gas drift, all 10 batches
        ((1300, 1300), (1040, 10)),  # Madelon
        ((3500, 3500), (2800, 28)),  # Gisette, train + valid
    ],
)
def test_table1_counts_at_r_001(class_sizes, expected):
    X, y = labelled_rows({"a": class_sizes[0], "b": class_sizes[1]})
    split = make_split(X, y, majority="a", minority="b", ratio=0.01, seed=0)
    assert (split.n_majority, split.n_minority) == expected
    n_per_class = min(class_sizes)
    assert np.bincount(split.y_test).tolist() == [n_per_class // 5] * 2


def test_same_seed_same_split_and_other_seed_differs():
    X, y = labelled_rows({0: 300, 1: 250})
    a = make_split(X, y, majority=0, minority=1, ratio=0.1, seed=7)
    b = make_split(X, y, majority=0, minority=1, ratio=0.1, seed=7)
    c = make_split(X, y, majority=0, minority=1, ratio=0.1, seed=8)
    for name in ("X_train", "y_train", "X_test", "y_test"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert not np.array_equal(a.X_train, c.X_train)


def test_train_and_test_never_share_rows_and_keep_their_class():
    X, y = labelled_rows({"maj": 400, "min": 500})
    split = make_split(X, y, majority="maj", minority="min", ratio=0.05, seed=1)
    train_rows, test_rows = split.X_train[:, 0].astype(int), split.X_test[:, 0].astype(int)
    assert not set(train_rows) & set(test_rows)
    assert len(set(train_rows)) == len(train_rows)
    original = {MAJORITY: "maj", MINORITY: "min"}
    assert all(y[r] == original[label] for r, label in zip(train_rows, split.y_train))
    assert all(y[r] == original[label] for r, label in zip(test_rows, split.y_test))
    # the balanced binary set has 400 rows per class: 80 of each go to the test set
    assert split.n_majority == 320 and split.n_minority == 16


def test_ratio_rounding_is_exact_decimal_floor():
    X, y = labelled_rows({0: 125, 1: 125})  # 100 candidates per class
    assert make_split(X, y, majority=0, minority=1, ratio=0.29, seed=0).n_minority == 29
    assert make_split(X, y, majority=0, minority=1, ratio=1.0, seed=0).n_minority == 100


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(majority=0, minority=0, ratio=0.1), "different classes"),
        (dict(majority=0, minority=5, ratio=0.1), "does not occur"),
        (dict(majority=0, minority=1, ratio=0.0), "ratio must be"),
        (dict(majority=0, minority=1, ratio=0.001), "at least"),
    ],
)
def test_bad_arguments_say_what_to_do(kwargs, message):
    X, y = labelled_rows({0: 50, 1: 50})
    with pytest.raises(ValueError, match=message):
        make_split(X, y, seed=0, **kwargs)


def test_minmax_scaling_is_fit_on_training_rows_only():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 3)) * [1, 10, 100]
    y = np.repeat([0, 1], 200)
    split = minmax_scale(make_split(X, y, majority=0, minority=1, ratio=0.1, seed=0))
    assert split.X_train.min(axis=0) == pytest.approx(0) and split.X_train.max(axis=0) == pytest.approx(1)
    raw = make_split(X, y, majority=0, minority=1, ratio=0.1, seed=0)
    lo, hi = raw.X_train.min(axis=0), raw.X_train.max(axis=0)
    np.testing.assert_allclose(split.X_test, (raw.X_test - lo) / (hi - lo))
