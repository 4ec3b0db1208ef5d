"""GL-GAN's global distribution learning networks, initialised from the pretrained autoencoder (§3.4).

"The discriminator D and the classifier C have the same architecture with the encoder E except both D
and C have one more layer [...] The parameters learned by the encoder E will be used to initialize the
discriminator D and the classifier C [...] the generator G is initialized by the weight parameters
learned by the decoder Q since they have the same architecture." (Wang et al., SDM 2020, §3.4.)
BAGAN does the same for its discriminator (IBM/BAGAN balancing_gan.py:383-387, encoder body copied into
D before a fresh softmax head).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import torch
from torch import nn

from glgan.autoencoder import Autoencoder

__all__ = [
    "AdversarialNetworks",
    "build_discriminator",
    "build_classifier",
    "build_generator",
    "init_adversarial_networks",
    "real_probability",
]


def _latent_dim(encoder: nn.Sequential) -> int:
    return [m for m in encoder if isinstance(m, nn.Linear)][-1].out_features


def _encoder_plus_layer(encoder: nn.Sequential, n_outputs: int, activation: type[nn.Module]) -> list[nn.Module]:
    # The activation keeps the extra dense layer from collapsing into E's linear latent layer. The new
    # layer starts at zero (D: p_real = 0.5, C: scores 0): a randomly initialised head on E's unscaled codes
    # gave C losses near 60 on MNIST and pushed G with large, meaningless gradients in the first rounds.
    head = nn.Linear(_latent_dim(encoder), n_outputs)
    nn.init.zeros_(head.weight)
    nn.init.zeros_(head.bias)
    return [*copy.deepcopy(encoder), activation(), head]


def build_discriminator(encoder: nn.Sequential, activation: type[nn.Module] = nn.ReLU) -> nn.Sequential:
    """D = a copy of the trained E, then one more dense layer with a 2-way softmax ("fake", "real").

    The paper's D ends in "a dense layer with a softmax activation function for producing binary outputs"
    while Eq. 3.4 regresses D's output on 1 (real) / 0 (fake); the losses use the softmax's "real"
    column (see :func:`real_probability`).
    """
    return nn.Sequential(*_encoder_plus_layer(encoder, 2, activation), nn.Softmax(dim=1))


def build_classifier(
    encoder: nn.Sequential, n_classes: int = 2, activation: type[nn.Module] = nn.ReLU
) -> nn.Sequential:
    """C = a copy of the trained E, then one more dense layer with ``n_classes`` linear outputs.

    The paper gives C's last layer no activation; Eq. 3.5 fits its outputs to one-hot labels by least squares.
    """
    return nn.Sequential(*_encoder_plus_layer(encoder, n_classes, activation))


def build_generator(decoder: nn.Sequential) -> nn.Sequential:
    """G = a copy of the trained decoder Q (same architecture and weights)."""
    return copy.deepcopy(decoder)


def real_probability(discriminator: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """D's probability that ``x`` is real: the "real" column of its softmax output."""
    return discriminator(x)[:, 1]


@dataclass
class AdversarialNetworks:
    """D, C and G of GL-GAN's global distribution learning module."""

    discriminator: nn.Sequential
    classifier: nn.Sequential
    generator: nn.Sequential


def init_adversarial_networks(
    autoencoder: Autoencoder, n_classes: int = 2, activation: type[nn.Module] = nn.ReLU
) -> AdversarialNetworks:
    """D and C from E's trained weights, G from Q's (independent deep copies; E and Q are untouched).

    The new last layers of D and C start at zero, so D first says 0.5 and C first scores 0 for every input.
    """
    device = next(autoencoder.parameters()).device
    nets = AdversarialNetworks(
        discriminator=build_discriminator(autoencoder.encoder, activation),
        classifier=build_classifier(autoencoder.encoder, n_classes, activation),
        generator=build_generator(autoencoder.decoder),
    )
    for net in (nets.discriminator, nets.classifier, nets.generator):
        net.to(device).train()
    return nets
