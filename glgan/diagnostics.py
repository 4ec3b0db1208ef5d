"""Sample-quality diagnostics for any over-sampler: does the synthetic minority look like the real one?

Everything here takes plain arrays, so it works for every sampler of the project (and any imblearn
sampler): pass the training rows, the rows the sampler returned, and real minority rows it never saw.

* :func:`synthetic_rows` — the rows ``fit_resample`` added for one class.
* :func:`spread_ratio` — RMS distance of the synthetic rows to their mean over the same for the real
  training minority (1 = same spread; near 0 = collapsed).
* :func:`neighbour_shares` — "cover" (share of held-out real minority rows whose nearest synthetic row is
  closer than their nearest majority training row) and "near-majority" (share of synthetic rows whose
  nearest training row is a majority row).
* :func:`prdc_scores` — precision, recall, density and coverage (Naeem et al., ICML 2020) of the
  synthetic rows against held-out real minority rows, from the ``prdc`` package.
* :func:`sample_quality` — all of the above (and nearest-neighbour distances) in one dict.
* :func:`reconstruction_errors` and :func:`latent_codes` — for a fitted latent sampler
  (:class:`glgan.GLGAN`, ``AutoOnly``, ``PlainAE``): per-class reconstruction error and the codes
  ``Z_maj``, ``Z_min``, ``Z_syn`` that :func:`glgan.plotting.plot_latent` draws.
"""

from __future__ import annotations

import contextlib
import io

import numpy as np
from sklearn.neighbors import NearestNeighbors

__all__ = [
    "COLLAPSE_SPREAD_RATIO",
    "synthetic_rows",
    "spread_ratio",
    "neighbour_shares",
    "prdc_scores",
    "sample_quality",
    "reconstruction_errors",
    "latent_codes",
]

#: Below this spread ratio the synthetic minority counts as collapsed (GLGAN warns at fit time).
COLLAPSE_SPREAD_RATIO = 0.25


def synthetic_rows(X, X_resampled, y_resampled, label) -> np.ndarray:
    """The rows a sampler appended for class ``label``.

    imbalanced-learn's over-samplers (and every sampler here) return the original rows first, then the
    synthetic ones; this checks that the first ``len(X)`` rows are unchanged before slicing.
    """
    X, X_resampled, y_resampled = np.asarray(X), np.asarray(X_resampled), np.asarray(y_resampled)
    n = len(X)
    if len(X_resampled) < n or not np.array_equal(X_resampled[:n], X):
        raise ValueError(
            "X_resampled does not start with the original rows X; synthetic rows can only be told apart for "
            "samplers that append them (over-samplers such as SMOTE or GLGAN, not cleaning methods)."
        )
    tail = slice(n, None)
    return X_resampled[tail][y_resampled[tail] == label]


def _rms_spread(X: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.sum((X - X.mean(axis=0)) ** 2, axis=1))))


def _rms_spread_in_chunks(X: np.ndarray, chunk_rows: int) -> float:
    """:func:`_rms_spread` in float64 over ``chunk_rows`` rows at a time: no temporary larger than a chunk.

    The same quantity, summed in another order, so it can differ from :func:`_rms_spread` in the last bits.
    """
    n = len(X)
    mean = sum(X[i : i + chunk_rows].sum(axis=0, dtype=np.float64) for i in range(0, n, chunk_rows)) / n
    squares = sum(float(np.sum((X[i : i + chunk_rows].astype(np.float64) - mean) ** 2))
                  for i in range(0, n, chunk_rows))
    return float(np.sqrt(squares / n))


def spread_ratio(X_synthetic, X_minority, chunk_rows: int | None = None) -> float:
    """RMS distance of ``X_synthetic`` to its mean divided by the same for ``X_minority``.

    NaN when the real minority has no spread (a single row). With ``chunk_rows`` the synthetic rows are read
    that many at a time (GL-GAN's own collapse check does, so that 10^6 rows need no float64 copy of them all).
    """
    real = _rms_spread(np.asarray(X_minority, dtype=float))
    if real <= 0:
        return float("nan")
    if chunk_rows is not None:
        return _rms_spread_in_chunks(np.asarray(X_synthetic), int(chunk_rows)) / real
    return _rms_spread(np.asarray(X_synthetic, dtype=float)) / real


def _nearest(reference: np.ndarray, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    nn = NearestNeighbors(n_neighbors=1).fit(reference)
    dist, idx = nn.kneighbors(query)
    return dist[:, 0], idx[:, 0]


def neighbour_shares(X_synthetic, X_train, y_train, X_holdout_minority, *, minority_label=1) -> dict:
    """Cover and near-majority shares, with the nearest-neighbour distances behind them.

    Returns
    -------
    dict
        ``cover``: share of ``X_holdout_minority`` rows whose nearest synthetic row is closer than their
        nearest majority training row. ``near_majority``: share of synthetic rows whose nearest training
        row is not of ``minority_label``. ``syn_to_minority`` / ``syn_to_majority``: median distance of a
        synthetic row to its nearest real training minority / majority row. ``holdout_to_syn``: median
        distance of a held-out minority row to its nearest synthetic row.
    """
    X_syn = np.asarray(X_synthetic, dtype=float)
    X_train, y_train = np.asarray(X_train, dtype=float), np.asarray(y_train)
    X_hold = np.asarray(X_holdout_minority, dtype=float)
    is_min = y_train == minority_label
    hold_to_syn, _ = _nearest(X_syn, X_hold)
    hold_to_maj, _ = _nearest(X_train[~is_min], X_hold)
    _, nearest_train = _nearest(X_train, X_syn)
    syn_to_min, _ = _nearest(X_train[is_min], X_syn)
    syn_to_maj, _ = _nearest(X_train[~is_min], X_syn)
    return {
        "cover": float(np.mean(hold_to_syn < hold_to_maj)),
        "near_majority": float(np.mean(~is_min[nearest_train])),
        "syn_to_minority": float(np.median(syn_to_min)),
        "syn_to_majority": float(np.median(syn_to_maj)),
        "holdout_to_syn": float(np.median(hold_to_syn)),
    }


def prdc_scores(X_real, X_synthetic, *, k: int = 5) -> dict:
    """Precision, recall, density and coverage of ``X_synthetic`` against ``X_real`` (Naeem et al. 2020).

    ``k`` is clipped to ``len(X_real) - 2`` and ``len(X_synthetic) - 2`` (prdc's k-NN radii count the row
    itself and need k other rows); with fewer than three rows on either side every score is NaN. The
    scores, their ranges and why recall needs equal sample sizes: :func:`sample_quality`.
    """
    from prdc import compute_prdc

    X_real, X_syn = np.asarray(X_real, dtype=float), np.asarray(X_synthetic, dtype=float)
    k = min(int(k), len(X_real) - 2, len(X_syn) - 2)  # prdc takes the (k+1)-th distance, self included
    if k < 1:
        return dict.fromkeys(("precision", "recall", "density", "coverage"), float("nan"))
    with contextlib.redirect_stdout(io.StringIO()):  # prdc prints the two sample counts
        scores = compute_prdc(X_real, X_syn, nearest_k=k)
    return {name: float(value) for name, value in scores.items()}


def sample_quality(X_train, y_train, X_synthetic, X_holdout_minority, *, minority_label=1, k: int = 5) -> dict:
    """Every diagnostic of this module for one sampler's synthetic rows of one class.

    Parameters
    ----------
    X_train, y_train : arrays
        The rows the sampler was fitted on.
    X_synthetic : array
        Its synthetic rows of ``minority_label`` (see :func:`synthetic_rows`).
    X_holdout_minority : array
        Real minority rows the sampler never saw (e.g. the test fold's minority rows).
    minority_label : default=1
        The class the synthetic rows belong to.
    k : int, default=5
        Neighbourhood size of precision, recall, density and coverage (clipped, see :func:`prdc_scores`).

    Returns
    -------
    dict
        Distances are Euclidean in the space of ``X_train`` (scale the features first).

        ``n_synthetic`` : int
            Number of synthetic rows.
        ``spread_ratio`` : float in [0, inf)
            RMS distance of the synthetic rows to their mean over the same for the real training minority.
            1 is best (same spread); below 0.25 (:data:`COLLAPSE_SPREAD_RATIO`) the rows have collapsed,
            well above 1 they scatter wider than the real ones. Defined here.
        ``cover`` : float in [0, 1], higher is better
            Share of held-out real minority rows whose nearest synthetic row is closer than their nearest
            majority training row: how much of the unseen minority the samples reach first. Defined here.
        ``near_majority`` : float in [0, 1], lower is better
            Share of synthetic rows whose nearest training row is a majority row (samples drawn into the
            majority). Defined here.
        ``syn_to_minority``, ``syn_to_majority`` : float >= 0
            Median distance of a synthetic row to its nearest real training minority / majority row; the
            first small against the second is good.
        ``holdout_to_syn`` : float >= 0, lower is better
            Median distance of a held-out minority row to its nearest synthetic row.
        ``precision`` : float in [0, 1], higher is better
            Share of synthetic rows inside the real manifold: within the k-NN radius of some held-out real
            row (Kynkäänniemi et al., NeurIPS 2019, as computed by Naeem et al., ICML 2020).
        ``recall`` : float in [0, 1], higher is better, **but compare it only between equal sample sizes**
            Share of held-out real rows inside the synthetic manifold: within the k-NN radius of some
            synthetic row, the radius measured among the synthetic rows (same references). With many more
            synthetic than held-out rows (an over-sampler adds hundreds of rows, a test fold holds a
            dozen) those radii are tiny and recall falls towards 0 whatever the quality: on
            ``make_classification(weights=[0.95])`` SMOTE's 668 rows score recall 0.0 beside coverage 1.0,
            and 13 of them drawn at random score 1.0. This is the definition, not a bug; Naeem et al.
            introduce coverage because recall rests on the generated rows' neighbourhoods. Read coverage.
        ``density`` : float in [0, inf), about 1 when the two distributions match
            Mean number of held-out real k-NN balls holding a synthetic row, divided by k (Naeem et al.,
            ICML 2020). Above 1: samples crowd where the real rows are dense; below 1: they sit in sparse
            regions or outside.
        ``coverage`` : float in [0, 1], higher is better
            Share of held-out real rows whose k-NN ball (radius among the real rows) holds at least one
            synthetic row (Naeem et al., ICML 2020): the robust replacement for recall.

    References
    ----------
    Naeem, Oh, Uh, Choi, Yoo, "Reliable Fidelity and Diversity Metrics for Generative Models", ICML 2020
    (the ``prdc`` package computes precision, recall, density and coverage). Kynkäänniemi, Karras, Laine,
    Lehtinen, Aila, "Improved Precision and Recall Metric for Assessing Generative Models", NeurIPS 2019.
    """
    X_train, y_train = np.asarray(X_train, dtype=float), np.asarray(y_train)
    if len(X_synthetic) == 0:
        raise ValueError("X_synthetic is empty: the sampler generated no rows of this class.")
    return {
        "n_synthetic": int(len(X_synthetic)),
        "spread_ratio": spread_ratio(X_synthetic, X_train[y_train == minority_label]),
        **neighbour_shares(X_synthetic, X_train, y_train, X_holdout_minority, minority_label=minority_label),
        **prdc_scores(X_holdout_minority, X_synthetic, k=k),
    }


def fitted_model(sampler, label=None):
    """``sampler.models_[label]``; ``label`` may be omitted when one class was grown."""
    models = getattr(sampler, "models_", None)
    if models is None:
        raise ValueError(f"{type(sampler).__name__} has no fitted latent models: call fit_resample first.")
    if label is None:
        if len(models) != 1:
            raise ValueError(f"Several classes were grown ({sorted(models)}); pass label=.")
        label = next(iter(models))
    if label not in models:
        raise ValueError(f"Class {label!r} was not grown; grown classes: {sorted(models)}.")
    return models[label]


def reconstruction_errors(sampler, X, y, *, label=None) -> dict:
    """Mean ``‖Q(E(x)) − x‖²`` (Eq. 3.1's summand) over the minority rows and over the other rows.

    ``sampler`` is a fitted :class:`glgan.GLGAN`, ``AutoOnly`` or ``PlainAE``; ``label`` the grown class
    (optional when only one was grown). A minority error far above the majority's means the
    autoencoder gave the minority up (its rows weigh little in Eq. 3.1's average).
    """
    model = fitted_model(sampler, label)
    error = model.reconstruction_error(np.asarray(X))
    is_min = np.asarray(y) == model.label
    return {"minority": float(error[is_min].mean()), "majority": float(error[~is_min].mean())}


def latent_codes(sampler, X, y, *, label=None) -> dict[str, np.ndarray]:
    """``Z_maj``, ``Z_min`` (the encoder's codes of ``X``) and ``Z_syn`` (the latent SMOTE codes)."""
    model = fitted_model(sampler, label)
    Z = model.encode(np.asarray(X))
    is_min = np.asarray(y) == model.label
    return {"Z_maj": Z[~is_min], "Z_min": Z[is_min], "Z_syn": model.synthetic_codes()}
