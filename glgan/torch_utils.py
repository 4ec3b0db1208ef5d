"""Machinery shared by every neural sampler (GL-GAN, its ablations, BAGAN, cGAN).

One place for device selection, seeding, the MLP builder, minibatching, the training progress bar and
divergence detection, so the samplers only describe their networks and losses (cf. CTGAN's single
device helper in ``ctgan/synthesizers/base.py``).
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator, Sequence

import numpy as np
import torch
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import StrOptions
from torch import nn
from tqdm.auto import tqdm

__all__ = [
    "DEVICE_OPTIONS",
    "TrainingDivergedError",
    "resolve_device",
    "seed_from",
    "seeded",
    "mlp",
    "minibatches",
    "steps_per_epoch",
    "EpochLosses",
    "epochs_bar",
    "check_finite",
    "check_all_finite",
    "as_tensor",
    "torch_threads",
]

#: The ``device`` parameter constraint of every neural sampler (with ``torch.device``).
DEVICE_OPTIONS = StrOptions({"auto", "cpu", "cuda"})


class TrainingDivergedError(RuntimeError):
    """Raised when a loss becomes NaN or infinite during training.

    Returning samples from a diverged network would silently poison downstream classifiers, so training
    stops with this error instead. Lowering the learning rate or scaling the features usually helps.
    """


def resolve_device(device: str | torch.device = "auto") -> torch.device:
    """Map ``"auto"`` / ``"cpu"`` / ``"cuda"`` (or ``"cuda:N"``) to a :class:`torch.device`.

    ``"auto"`` picks CUDA when available, else the CPU. Asking for CUDA without a GPU is an error
    rather than a silent fallback.
    """
    if isinstance(device, torch.device):
        return device
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if str(device).startswith("cuda") and not torch.cuda.is_available():
        raise ValueError(f"device={device!r} was requested but CUDA is not available; use 'auto' or 'cpu'.")
    return torch.device(device)


def seed_from(random_state) -> int:
    """Draw a torch seed from an sklearn-style ``random_state`` (None, int or RandomState)."""
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))


@contextlib.contextmanager
def seeded(seed: int, device: torch.device | None = None):
    """Run a block with torch's global RNG seeded, restoring the caller's RNG state afterwards.

    Weight initialisation in ``torch.nn`` uses the global generator; forking it keeps a sampler's
    randomness fully determined by its ``random_state`` without leaking state into user code.
    """
    devices = [device.index or 0] if device is not None and device.type == "cuda" else []
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(seed)
        yield


def mlp(
    sizes: Sequence[int],
    activation: type[nn.Module] = nn.ReLU,
    out_activation: type[nn.Module] | None = None,
    dropout: float = 0.0,
) -> nn.Sequential:
    """A multilayer perceptron ``sizes[0] -> ... -> sizes[-1]``.

    Hidden layers are ``Linear -> activation [-> Dropout]``; the last layer is ``Linear`` followed by
    ``out_activation`` when given. Every ``Linear`` is a direct child, so ``mlp[i]`` indexing and
    weight copying between networks of the same shape are straightforward.
    """
    if len(sizes) < 2:
        raise ValueError(f"an MLP needs at least an input and an output size, got {list(sizes)}")
    layers: list[nn.Module] = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(n_in, n_out))
        if i < len(sizes) - 2:
            layers.append(activation())
            if dropout > 0:
                layers.append(nn.Dropout(dropout))
    if out_activation is not None:
        layers.append(out_activation())
    return nn.Sequential(*layers)


def adam(parameters, **kwargs) -> torch.optim.Adam:
    """Adam with its fused kernel (one pass over each parameter instead of a dozen small operations).

    The same update rule as the default implementation, up to the order of floating-point operations; on one
    CPU core it cut a GL-GAN fit of the USPS split from 2.0 to 1.7 s (docs/REPRODUCTION.md §13).
    """
    return torch.optim.Adam(parameters, fused=True, **kwargs)


def steps_per_epoch(n: int, batch_size: int, max_rows: int | None = None) -> int:
    """Minibatches in one epoch over ``n`` rows: ``ceil(n / batch_size)``, at most ``ceil(max_rows / batch_size)``
    (the training budget: an epoch over more than ``max_rows`` rows visits about ``max_rows`` of them)."""
    step = max(1, min(int(batch_size), n))
    full = math.ceil(n / step)
    return full if max_rows is None else min(full, math.ceil(max_rows / step))


def minibatches(
    n: int,
    batch_size: int,
    generator: torch.Generator,
    shuffle: bool = True,
    device: torch.device | None = None,
    max_rows: int | None = None,
) -> Iterator[torch.Tensor]:
    """Yield index tensors covering ``range(n)`` in batches of at most ``batch_size`` (last kept).

    The permutation comes from ``generator`` so batching is reproducible and independent of global
    state. ``batch_size`` larger than ``n`` gives one full batch. With ``max_rows`` only the first
    :func:`steps_per_epoch` batches of the permutation are yielded (an epoch over a fresh random subset of
    about ``max_rows`` rows); the permutation is drawn in full either way, so where the cap does not bind
    the batches are exactly those without it.
    """
    order = torch.randperm(n, generator=generator) if shuffle else torch.arange(n)
    if device is not None:
        order = order.to(device)
    step = max(1, min(int(batch_size), n))
    for start in range(0, min(n, step * steps_per_epoch(n, batch_size, max_rows)), step):
        yield order[start : start + step]


class EpochLosses:
    """The minibatch losses of one epoch, kept as tensors and read once at its end.

    Reading a loss with ``float()`` after every step costs a host round trip (a device sync on CUDA) and
    a Python float conversion per step; here the losses are stacked and checked for NaN/inf once per
    epoch. Training that diverges therefore raises :class:`TrainingDivergedError` at the end of the epoch
    in which it diverged, naming the first non-finite value, instead of at that step.
    """

    def __init__(self, what: str):
        self.what = what
        self._losses: list[torch.Tensor] = []

    def add(self, loss: torch.Tensor) -> None:
        self._losses.append(loss.detach())

    def values(self) -> list[float]:
        """The epoch's losses as Python floats (exactly as ``float(loss)`` per step would give them)."""
        values = torch.stack(self._losses).tolist() if self._losses else []
        for value in values:
            if not math.isfinite(value):
                _diverged(value, self.what)
        return values


def epochs_bar(n_epochs: int, verbose: bool, desc: str):
    """``range(n_epochs)`` wrapped in a tqdm bar when ``verbose``; callers set ``postfix`` losses."""
    return tqdm(range(n_epochs), desc=desc, disable=not verbose, leave=False, dynamic_ncols=True)


def check_finite(loss: torch.Tensor, what: str) -> torch.Tensor:
    """Raise :class:`TrainingDivergedError` if ``loss`` is NaN or infinite."""
    value = float(loss.detach())
    if not math.isfinite(value):
        _diverged(value, what)
    return loss


def _diverged(value: float, what: str):
    raise TrainingDivergedError(
        f"{what} became {value} during training. Scale the features (e.g. to [0, 1]), lower the "
        "learning rate, or check the input for extreme values."
    )


def check_all_finite(values: torch.Tensor | np.ndarray, what: str) -> None:
    """:func:`check_finite` on ``max |values|``, computed from the minimum and maximum.

    Both propagate NaN and show ±inf, so no temporary as large as ``values`` is made (``abs()`` would
    make one the size of the synthetic data).
    """
    values = torch.as_tensor(values)  # shares a NumPy array's memory
    if values.numel() == 0:
        return
    low, high = float(values.min()), float(values.max())
    largest = math.nan if math.isnan(low) or math.isnan(high) else max(abs(low), abs(high))
    check_finite(torch.tensor(largest), what)


def as_tensor(X, device: torch.device) -> torch.Tensor:
    """A C-contiguous float32 tensor on ``device`` (dense input expected).

    C order matters: a column-major array (what pandas hands over) gives a tensor with column-major
    strides, and matmuls on it take another kernel path whose float rounding differs, so the same
    values in another memory layout would train a different model.
    """
    return torch.as_tensor(np.ascontiguousarray(X, dtype=np.float32), device=device)


@contextlib.contextmanager
def torch_threads(n_threads: int | None):
    """Run a block with ``torch.set_num_threads(n_threads)``, restoring the caller's setting afterwards.

    The networks here are small: torch's default of one thread per core spins against every other busy
    process (GL-GAN took 136 s instead of 6.9 s beside two busy processes on 2 cores), while one thread
    loses little on an idle machine. None leaves torch's setting alone.
    """
    if n_threads is None:
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(int(n_threads))
    try:
        yield
    finally:
        torch.set_num_threads(before)
