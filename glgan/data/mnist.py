"""MNIST handwritten digits (LeCun et al.), the 60000 training and 10000 test images together."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np

from glgan.data.dataset import Dataset
from glgan.data.files import CorruptDataError, fetch

SPLITS = ("train", "t10k")
IMAGES = "mnist/{}-images-idx3-ubyte.gz"
LABELS = "mnist/{}-labels-idx1-ubyte.gz"
IMAGE_MAGIC, LABEL_MAGIC = 0x803, 0x801
FORMS = (tuple(pattern.format(split) for split in SPLITS for pattern in (IMAGES, LABELS)),)


def load(data_dir: Path, *, allow_partial: bool = False, download: bool = True) -> Dataset:
    """Load MNIST as 70000 x 784 float64 pixels in 0..255 with digit labels; ``allow_partial`` has no effect."""
    hashes = fetch(FORMS[0], data_dir, download=download, dataset="mnist")
    X = np.concatenate([_read_idx(data_dir / IMAGES.format(s), IMAGE_MAGIC) for s in SPLITS])
    y = np.concatenate([_read_idx(data_dir / LABELS.format(s), LABEL_MAGIC) for s in SPLITS])
    if X.shape[0] != y.shape[0]:
        raise CorruptDataError(f"mnist: {X.shape[0]} images but {y.shape[0]} labels.")
    source = "MNIST idx files (LeCun), train 60000 followed by t10k 10000"
    X, y = X.astype(np.float64), y.astype(np.int64)
    return Dataset("mnist", X, y, source, "complete", False, tuple(hashes.items()))


def _read_idx(path: Path, magic: int) -> np.ndarray:
    """Parse a gzipped idx file: big-endian magic, one uint32 per dimension, then uint8 values."""
    with gzip.open(path, "rb") as handle:
        raw = handle.read()
    n_dims = 3 if magic == IMAGE_MAGIC else 1
    header = np.frombuffer(raw, dtype=">u4", count=1 + n_dims)
    if header[0] != magic:
        raise CorruptDataError(f"{path}: idx magic number {int(header[0]):#x}, expected {magic:#x}.")
    shape = tuple(int(n) for n in header[1:])
    values = np.frombuffer(raw, dtype=np.uint8, offset=4 * (1 + n_dims))
    if values.size != int(np.prod(shape)):
        raise CorruptDataError(f"{path}: {values.size} values for a {shape} array.")
    return values.reshape(shape[0], -1) if n_dims == 3 else values
