"""Small fixtures shared by several test files."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from glgan.data import DataFileError, load_dataset
from glgan.networks import AdversarialNetworks


def usps_held():
    """A mark that skips a test, saying why, where the USPS files are not held."""
    try:
        load_dataset("usps", download=False)
    except DataFileError as error:
        return pytest.mark.skip(reason=f"USPS not held here: {error}")
    return pytest.mark.skipif(False, reason="")


def tiny_adversarial_problem(seed=0):
    """6 real rows (4 majority, 2 minority) of 3 features; Z = their 6 codes and 2 synthetic minority codes."""
    rng = np.random.default_rng(seed)
    X = torch.from_numpy(rng.normal(size=(6, 3)))
    Z = torch.from_numpy(rng.normal(size=(8, 2)))
    is_minority = torch.tensor([False, False, False, False, True, True, True, True])
    torch.manual_seed(seed)
    nets = AdversarialNetworks(
        discriminator=nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 2), nn.Softmax(dim=1)).double(),
        classifier=nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 2)).double(),
        generator=nn.Sequential(nn.Linear(2, 5), nn.Tanh(), nn.Linear(5, 3)).double(),
    )
    return X, Z, is_minority, nets
