"""Algorithm 1, lines 5-15 (Wang et al., SDM 2020): which network each optimiser step trains, and on which loss.

Observed from outside :func:`glgan.adversarial.train_adversarial`, through torch's global optimiser step hooks:
before and after every ``optimizer.step()`` the parameters and gradients of D, C and G are snapshotted, and the
gradient the step applies is compared with the gradient of the paper's loss written out independently here:

* D (Eq. 3.4): ``mean (D(x) - 1)^2`` over the real rows (target real = 1) ``+ λ mean (D(G(z)) - 0)^2`` over Z
  (target fake = 0);
* C (Eq. 3.5): ``mean ||C(x) - Γ_x||^2 + λ mean ||C(G(z)) - Γ_z||^2`` with the class labels Γ of the real and
  the synthetic rows (one-hot, column 1 = minority);
* G (Eq. 3.6): ``mean ||G(z_i) - x_i||^2 + Λ1 mean (D(G(z)) - 1)^2 + Λ2 mean ||C(G(z)) - Γ_z||^2`` with D and C
  frozen: G's backward pass puts no gradient into them and its step leaves them unchanged.

One epoch is one minibatch here (the batch holds all of Z and X), so each loss is over the whole tiny problem.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch
from torch.optim.optimizer import (
    register_optimizer_step_post_hook,
    register_optimizer_step_pre_hook,
)

from glgan.adversarial import train_adversarial
from tests.helpers import tiny_adversarial_problem

LAMBDA, LAMBDA1, LAMBDA2 = 0.7, 0.3, 2.5  # λ of Eqs. 3.4/3.5 (synthetic_weight), Λ1 and Λ2 of Eq. 3.7


def _values(net):
    return [p.detach().clone() for p in net.parameters()]


def _grads(net):
    return [None if p.grad is None else p.grad.detach().clone() for p in net.parameters()]


def _same(a, b):
    return all(torch.equal(x, y) for x, y in zip(a, b))


def _recorded_round(max_rounds=1):
    """Run ``train_adversarial`` on the tiny problem; one record per optimiser step, in order."""
    X, Z, is_minority, nets = tiny_adversarial_problem()
    named = {"D": nets.discriminator, "C": nets.classifier, "G": nets.generator}
    owners = {name: {id(p) for p in net.parameters()} for name, net in named.items()}
    steps = []

    def before(optimizer, args, kwargs):
        trained = {id(p) for group in optimizer.param_groups for p in group["params"]}
        steps.append({
            "owner": next((name for name, ids in owners.items() if ids == trained), None),
            "before": {name: _values(net) for name, net in named.items()},
            "grads": {name: _grads(net) for name, net in named.items()},
        })

    def after(optimizer, args, kwargs):
        steps[-1]["after"] = {name: _values(net) for name, net in named.items()}
        steps[-1]["grads_after"] = {name: _grads(net) for name, net in named.items()}

    handles = [register_optimizer_step_pre_hook(before), register_optimizer_step_post_hook(after)]
    try:
        train_adversarial(X, Z, is_minority, nets, max_rounds=max_rounds, discriminator_epochs=1,
                          classifier_epochs=1, generator_epochs=1, batch_size=64, lr=1e-2,
                          synthetic_weight=LAMBDA, adversarial_weight=LAMBDA1, classifier_weight=LAMBDA2,
                          patience=None, tol=0.0, generator=torch.Generator().manual_seed(0))
    finally:
        for handle in handles:
            handle.remove()
    return X, Z, is_minority, nets, steps


@pytest.fixture(scope="module")
def two_rounds():
    return _recorded_round(max_rounds=2)


def _at(net, values):
    """A copy of ``net`` holding ``values``, with fresh gradients."""
    clone = copy.deepcopy(net)
    with torch.no_grad():
        for p, v in zip(clone.parameters(), values):
            p.copy_(v)
            p.requires_grad_(True)
            p.grad = None
    return clone


def _gradient(net, values, loss_of):
    clone = _at(net, values)
    loss_of(clone).backward()
    return [p.grad for p in clone.parameters()]


def _assert_gradients_equal(actual, expected):
    for a, e in zip(actual, expected):
        assert a is not None
        np.testing.assert_allclose(a.numpy(), e.numpy(), rtol=1e-9, atol=1e-12)


def test_each_round_steps_d_then_c_then_g_and_each_step_changes_only_its_own_network(two_rounds):
    *_, steps = two_rounds
    assert [s["owner"] for s in steps] == ["D", "C", "G", "D", "C", "G"]
    for s in steps:
        own = s["owner"]
        assert not _same(s["before"][own], s["after"][own]), f"{own}'s step left {own} unchanged"
        for other in {"D", "C", "G"} - {own}:
            assert _same(s["before"][other], s["after"][other]), f"{own}'s step changed {other}"


def test_discriminator_step_follows_eq_3_4_with_real_rows_one_and_generated_rows_zero(two_rounds):
    X, Z, _, nets, steps = two_rounds
    for s in (s for s in steps if s["owner"] == "D"):
        with torch.no_grad():
            fake = _at(nets.generator, s["before"]["G"])(Z)

        def eq_3_4(D):
            p_real, p_fake = D(X)[:, 1], D(fake)[:, 1]  # softmax column 1 = "real"
            return ((p_real - 1.0) ** 2).mean() + LAMBDA * ((p_fake - 0.0) ** 2).mean()

        _assert_gradients_equal(s["grads"]["D"], _gradient(nets.discriminator, s["before"]["D"], eq_3_4))


def test_classifier_step_follows_eq_3_5_with_the_class_labels_of_real_and_synthetic_rows(two_rounds):
    X, Z, is_minority, nets, steps = two_rounds
    gamma = torch.eye(2, dtype=X.dtype)[is_minority.long()]  # one-hot; column 1 = minority
    gamma_real = gamma[: len(X)]  # the real rows' labels are their codes' labels
    for s in (s for s in steps if s["owner"] == "C"):
        with torch.no_grad():
            fake = _at(nets.generator, s["before"]["G"])(Z)

        def eq_3_5(C):
            real_term = ((C(X) - gamma_real) ** 2).sum(dim=1).mean()
            return real_term + LAMBDA * ((C(fake) - gamma) ** 2).sum(dim=1).mean()

        _assert_gradients_equal(s["grads"]["C"], _gradient(nets.classifier, s["before"]["C"], eq_3_5))


def test_generator_step_follows_eq_3_6_with_d_and_c_frozen(two_rounds):
    X, Z, is_minority, nets, steps = two_rounds
    gamma = torch.eye(2, dtype=X.dtype)[is_minority.long()]
    for i, s in enumerate(steps):
        if s["owner"] != "G":
            continue
        D, C = _at(nets.discriminator, s["before"]["D"]), _at(nets.classifier, s["before"]["C"])

        def eq_3_6(G):
            fake = G(Z)
            reconstruction = ((fake[: len(X)] - X) ** 2).sum(dim=1).mean()
            adversarial = ((D(fake)[:, 1] - 1.0) ** 2).mean()
            classification = ((C(fake) - gamma) ** 2).sum(dim=1).mean()
            return reconstruction + LAMBDA1 * adversarial + LAMBDA2 * classification

        _assert_gradients_equal(s["grads"]["G"], _gradient(nets.generator, s["before"]["G"], eq_3_6))
        # G's backward pass put no gradient into D or C: theirs are still what their own steps left (or none).
        for other in ("D", "C"):
            own_step = max(j for j in range(i) if steps[j]["owner"] == other)
            left = steps[own_step]["grads_after"][other]
            for now, then in zip(s["grads"][other], left):
                assert now is None or (then is not None and torch.equal(now, then)), \
                    f"G's backward pass changed {other}'s gradients"
