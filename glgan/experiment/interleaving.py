"""The paper's motivation, measured: do synthetic minority rows fall among the majority class?

For each synthetic minority row we find its nearest real training row (Euclidean distance in the runner's
min-max scaled feature space). ``share_majority_nn`` is the share whose nearest real row is a majority row
("interleaved"), ``mean_dist_minority`` the mean distance to the nearest real minority row. The same two
numbers for the held-out real minority rows of the test set give the level real data shows (with 7 real
minority rows among 744 majority rows, even genuine minority samples often sit closest to a majority row).
"""

from __future__ import annotations

import numpy as np
from sklearn.neighbors import NearestNeighbors

from glgan.experiment.protocol import MAJORITY, MINORITY


def added_rows(X: np.ndarray, y: np.ndarray, X_res: np.ndarray, y_res: np.ndarray):
    """The rows a sampler added: everything after the unchanged input, else the rows not in the input.

    Unlike :func:`glgan.diagnostics.synthetic_rows` (one class, appending samplers only) it returns rows and
    labels of every class and also serves samplers that change the input.

    Most samplers return ``X`` followed by the new rows. NRAS drops some original minority rows, so when the
    output does not start with the input the synthetic rows are the minority rows of the output that do not
    occur in the input (byte-exact row comparison).
    """
    X, X_res = np.ascontiguousarray(X), np.ascontiguousarray(X_res)
    n = len(X)
    if len(X_res) >= n and np.array_equal(X_res[:n], X) and np.array_equal(y_res[:n], y):
        return X_res[n:], y_res[n:]
    seen = {row.tobytes() for row in X.astype(X_res.dtype)}
    new = np.array([row.tobytes() not in seen for row in X_res], dtype=bool)
    return X_res[new], y_res[new]


def nearest_real(X_train: np.ndarray, y_train: np.ndarray, queries: np.ndarray) -> dict:
    """Share of ``queries`` whose nearest training row is majority; mean distance to the nearest minority row."""
    if len(queries) == 0:
        return {"n": 0, "share_majority_nn": np.nan, "mean_dist_minority": np.nan}
    queries = np.asarray(queries, dtype=np.float64)
    X_train = np.asarray(X_train, dtype=np.float64)
    # brute force: exact, deterministic tie-breaking by row order, and fast enough for these sizes.
    any_nn = NearestNeighbors(n_neighbors=1, algorithm="brute").fit(X_train)
    nearest = any_nn.kneighbors(queries, return_distance=False)[:, 0]
    minority = X_train[y_train == MINORITY]
    min_nn = NearestNeighbors(n_neighbors=1, algorithm="brute").fit(minority)
    dist_min = min_nn.kneighbors(queries)[0][:, 0]
    return {
        "n": int(len(queries)),
        "share_majority_nn": float(np.mean(y_train[nearest] == MAJORITY)),
        "mean_dist_minority": float(np.mean(dist_min)),
    }


def interleaving(split, X_res: np.ndarray, y_res: np.ndarray) -> dict:
    """Interleaving of a sampler's synthetic minority rows on ``split`` (a scaled runner split).

    Returns the statistics of the synthetic minority rows (``n_synthetic``, ``share_majority_nn``,
    ``mean_dist_minority``) and of the real test minority rows (``real_*``) as a reference.
    """
    X_new, y_new = added_rows(split.X_train, split.y_train, np.asarray(X_res), np.asarray(y_res))
    ours = nearest_real(split.X_train, split.y_train, X_new[y_new == MINORITY])
    real = nearest_real(split.X_train, split.y_train, split.X_test[split.y_test == MINORITY])
    return {
        "n_synthetic": ours["n"],
        "share_majority_nn": ours["share_majority_nn"],
        "mean_dist_minority": ours["mean_dist_minority"],
        "real_n": real["n"],
        "real_share_majority_nn": real["share_majority_nn"],
        "real_mean_dist_minority": real["mean_dist_minority"],
    }
