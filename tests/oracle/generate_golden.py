"""Writes the PyTorch golden vectors that the Ppo tests compare against.

Every value is float32 and computed with torch's own operations; every gradient comes from
autograd. The output is deterministic: running the script twice writes the same bytes.

Usage: /usr/bin/python3 tests/oracle/generate_golden.py [--output PATH]
"""

import argparse
import json
import math
import pathlib
from fractions import Fraction

import numpy
import torch
import torch.nn.functional as F
from torch.distributions import Bernoulli, Categorical, Normal, kl_divergence

GENERATOR = "tests/oracle/generate_golden.py"
DEFAULT_OUTPUT = pathlib.Path(__file__).resolve().parent / "golden.json"

# Smallest distance kept between a value and the point where a piecewise function changes
# branch (ReLU at 0, clipping at 1 ± ε or ±εv, the gradient-norm threshold), so that float32
# rounding in another implementation cannot land on the other side.
BRANCH_MARGIN = 1e-3


def scalar(value):
    return torch.tensor(value, dtype=torch.float32)


def flag(value):
    return torch.tensor(int(value), dtype=torch.int64)


def gradients(scalar_output, inputs):
    return torch.autograd.grad(scalar_output, inputs)


def assert_away_from(values, boundary, what):
    distance = (values - boundary).abs().min().item()
    assert distance > BRANCH_MARGIN, f"{what}: a value lies within {distance} of {boundary}"


# Dense layers --------------------------------------------------------------------------------


def case_linear():
    torch.manual_seed(101)
    x = torch.randn(5, 3).requires_grad_()
    weight = (torch.randn(4, 3) * 0.5).requires_grad_()
    bias = (torch.randn(4) * 0.5).requires_grad_()
    grad_output = torch.randn(5, 4)

    output = F.linear(x, weight, bias)
    grad_input, grad_weight, grad_bias = gradients((output * grad_output).sum(), [x, weight, bias])
    return {
        "x": x, "weight": weight, "bias": bias, "grad_output": grad_output,
        "output": output, "grad_input": grad_input, "grad_weight": grad_weight, "grad_bias": grad_bias,
    }


def mlp_case(seed, activation):
    """6 → 8 → 8 → 3 with the activation after both hidden layers and a plain linear output."""
    torch.manual_seed(seed)
    sizes = [6, 8, 8, 3]
    x = torch.randn(5, sizes[0]).requires_grad_()
    weights, biases = [], []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        weights.append((torch.randn(fan_out, fan_in) * 0.5).requires_grad_())
        biases.append((torch.randn(fan_out) * 0.5).requires_grad_())
    grad_output = torch.randn(5, sizes[-1])

    hidden = x
    pre_activations = []
    for weight, bias in zip(weights[:-1], biases[:-1]):
        pre_activation = F.linear(hidden, weight, bias)
        pre_activations.append(pre_activation.detach())
        hidden = activation(pre_activation)
    output = F.linear(hidden, weights[-1], biases[-1])

    parameters = [p for pair in zip(weights, biases) for p in pair]
    grads = gradients((output * grad_output).sum(), [x] + parameters)

    fields = {"x": x}
    for layer, (weight, bias) in enumerate(zip(weights, biases)):
        fields[f"weight{layer}"] = weight
        fields[f"bias{layer}"] = bias
    fields["grad_output"] = grad_output
    fields["output"] = output
    fields["grad_input"] = grads[0]
    for layer in range(len(weights)):
        fields[f"grad_weight{layer}"] = grads[1 + 2 * layer]
        fields[f"grad_bias{layer}"] = grads[2 + 2 * layer]
    return fields, pre_activations


def case_mlp_tanh():
    fields, _ = mlp_case(202, torch.tanh)
    return fields


def case_mlp_relu():
    # Both hidden layers have negative pre-activations (zero gradient) and positive ones,
    # none of them near the kink at 0.
    fields, pre_activations = mlp_case(303, torch.relu)
    for layer, pre_activation in enumerate(pre_activations):
        assert (pre_activation < 0).any() and (pre_activation > 0).any(), f"layer {layer} is one-sided"
        assert_away_from(pre_activation, 0.0, f"ReLU pre-activation in layer {layer}")
    return fields


# Distributions ----------------------------------------------------------------------------------


def case_log_softmax():
    # Row 1 is offset by +60 and row 2 by −60 (a naive exp would overflow or underflow);
    # row 3 is so peaked that its largest probability exceeds 1 − 1e-5.
    torch.manual_seed(404)
    logits = torch.randn(6, 4)
    logits[1] += 60.0
    logits[2] -= 60.0
    logits[3] = torch.tensor([14.0, 0.5, -1.0, 0.25]) + 0.1 * torch.randn(4)
    logits.requires_grad_()
    grad_output = torch.randn(6, 4)

    output = F.log_softmax(logits, dim=-1)
    (grad_logits,) = gradients((output * grad_output).sum(), [logits])

    assert logits[1].min() > 55 and logits[2].max() < -55
    assert output[3].exp().max() > 1 - 1e-5
    assert torch.isfinite(output).all() and torch.isfinite(grad_logits).all()
    return {"logits": logits, "grad_output": grad_output, "output": output, "grad_logits": grad_logits}


def case_categorical():
    # Every action value 0..3 is taken at least once.
    torch.manual_seed(505)
    logits = torch.randn(6, 4).requires_grad_()
    actions = torch.cat([torch.randperm(4), torch.randint(0, 4, (2,))])
    grad_log_prob = torch.randn(6)
    grad_entropy = torch.randn(6)

    distribution = Categorical(logits=logits)
    log_prob = distribution.log_prob(actions)
    entropy = distribution.entropy()
    objective = (log_prob * grad_log_prob + entropy * grad_entropy).sum()
    (grad_logits,) = gradients(objective, [logits])

    assert set(actions.tolist()) == {0, 1, 2, 3}
    return {
        "logits": logits, "actions": actions, "grad_log_prob": grad_log_prob, "grad_entropy": grad_entropy,
        "log_prob": log_prob, "entropy": entropy, "probs": distribution.probs, "grad_logits": grad_logits,
    }


def diagonal_gaussian(mean, log_std):
    """Stable-Baselines3's DiagGaussianDistribution: one log_std per dimension, shared by all rows."""
    return Normal(mean, torch.ones_like(mean) * log_std.exp())


def case_gaussian():
    # One log_std below 0 and one above, so σ < 1 and σ > 1 both occur.
    torch.manual_seed(606)
    mean = torch.randn(6, 2).requires_grad_()
    log_std = torch.tensor([-0.4, 0.3]).requires_grad_()
    actions = (mean + log_std.exp() * torch.randn(6, 2)).detach()
    grad_log_prob = torch.randn(6)
    grad_entropy = torch.randn(6)

    distribution = diagonal_gaussian(mean, log_std)
    log_prob = distribution.log_prob(actions).sum(dim=-1)
    entropy = distribution.entropy().sum(dim=-1)
    objective = (log_prob * grad_log_prob + entropy * grad_entropy).sum()
    grad_mean, grad_log_std = gradients(objective, [mean, log_std])
    return {
        "mean": mean, "log_std": log_std, "actions": actions,
        "grad_log_prob": grad_log_prob, "grad_entropy": grad_entropy,
        "log_prob": log_prob, "entropy": entropy, "grad_mean": grad_mean, "grad_log_std": grad_log_std,
    }


# Losses ---------------------------------------------------------------------------------------


def normalize_advantages(advantages):
    return (advantages - advantages.mean()) / (advantages.std() + 1e-8)


def clipped_surrogate(ratio, advantages, clip_range):
    """Stable-Baselines3's PPO policy loss."""
    unclipped = advantages * ratio
    clipped = advantages * torch.clamp(ratio, 1 - clip_range, 1 + clip_range)
    return -torch.min(unclipped, clipped).mean()


def assert_surrogate_branches(ratio, advantages, clip_range):
    """All four sign/clip combinations occur, as do rows inside the clip range for both signs."""
    low, high = 1 - clip_range, 1 + clip_range
    assert_away_from(ratio, low, "ratio")
    assert_away_from(ratio, high, "ratio")
    positive, negative = advantages > 0, advantages < 0
    inside = (ratio > low) & (ratio < high)
    regions = {"ratio > 1 + ε": ratio > high, "ratio < 1 − ε": ratio < low, "inside": inside}
    for sign_name, sign in (("A > 0", positive), ("A < 0", negative)):
        for region_name, region in regions.items():
            assert (sign & region).any(), f"no row with {sign_name} and {region_name}"


def surrogate_case(seed, normalize):
    """Twelve rows: ratios spread over [0.6, 1.5], three below 1 − ε, six inside, three above 1 + ε,
    with both advantage signs in every region (checked on the advantages the loss actually uses)."""
    torch.manual_seed(seed)
    clip_range = scalar(0.2)
    target_ratio = torch.tensor([0.62, 0.70, 0.76, 0.85, 0.93, 0.98, 1.03, 1.10, 1.16, 1.26, 1.37, 1.48])
    target_ratio = target_ratio * torch.exp(0.01 * torch.randn(12))
    signs = torch.tensor([1.0, -1.0, 1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0, -1.0, 1.0, -1.0])
    advantages = signs * (torch.randn(12).abs() + 0.1)
    if normalize:
        # A shifted and scaled batch: normalization must undo both; centring first keeps the signs
        # of the normalized advantages those chosen above.
        advantages = 2.5 * (advantages - advantages.mean()) + 1.5
    old_log_prob = -torch.rand(12) * 2.0 - 0.1
    new_log_prob = (old_log_prob + target_ratio.log()).requires_grad_()

    used_advantages = normalize_advantages(advantages) if normalize else advantages
    log_ratio = new_log_prob - old_log_prob
    ratio = torch.exp(log_ratio)
    loss = clipped_surrogate(ratio, used_advantages, clip_range)
    (grad_new_log_prob,) = gradients(loss, [new_log_prob])

    ratio = ratio.detach()
    log_ratio = log_ratio.detach()
    assert_surrogate_branches(ratio, used_advantages, clip_range)
    assert ratio.min() > 0.6 and ratio.max() < 1.5

    fields = {
        "new_log_prob": new_log_prob, "old_log_prob": old_log_prob, "advantages": advantages,
        "clip_range": clip_range, "normalize_advantage": flag(normalize),
        "loss": loss, "grad_new_log_prob": grad_new_log_prob,
        "clip_fraction": ((ratio - 1).abs() > clip_range).float().mean(),
        "approx_kl": ((ratio - 1) - log_ratio).mean(),
        "ratio_mean": ratio.mean(),
        "ratio_std": ratio.std(),
    }
    if normalize:
        fields["normalized_advantages"] = used_advantages
    return fields


def case_clipped_surrogate():
    return surrogate_case(707, normalize=False)


def case_clipped_surrogate_normalized():
    return surrogate_case(808, normalize=True)


def case_value_loss():
    torch.manual_seed(909)
    values = torch.randn(10).requires_grad_()
    returns = torch.randn(10)

    loss = F.mse_loss(returns, values)
    (grad_values,) = gradients(loss, [values])
    return {"values": values, "returns": returns, "loss": loss, "grad_values": grad_values}


def case_value_loss_clipped():
    # values − old_values is above +εv in three rows, below −εv in three, inside in four;
    # the clipped rows get no gradient.
    torch.manual_seed(1010)
    clip_range_vf = scalar(0.2)
    target_change = torch.tensor([-0.45, -0.31, -0.24, -0.12, -0.03, 0.05, 0.15, 0.23, 0.34, 0.52])
    old_values = torch.randn(10)
    values = (old_values + target_change * torch.exp(0.02 * torch.randn(10))).requires_grad_()
    returns = torch.randn(10)

    change = values - old_values
    values_pred = old_values + torch.clamp(change, -clip_range_vf, clip_range_vf)
    loss = F.mse_loss(returns, values_pred)
    (grad_values,) = gradients(loss, [values])

    change = change.detach()
    assert_away_from(change.abs(), clip_range_vf, "values − old_values")
    assert (change > clip_range_vf).any() and (change < -clip_range_vf).any()
    assert (change.abs() < clip_range_vf).any()
    return {
        "values": values, "old_values": old_values, "returns": returns, "clip_range_vf": clip_range_vf,
        "loss": loss, "grad_values": grad_values,
    }


# Rollouts -------------------------------------------------------------------------------------


def case_gae():
    # Episode ends mid-rollout (env 0 at t = 2, env 1 at t = 0 and t = 4) cut both the bootstrap
    # and the accumulation; env 2 runs through and every env bootstraps from last_values at t = T − 1.
    torch.manual_seed(1111)
    steps, envs = 6, 3
    rewards = torch.randn(steps, envs)
    values = torch.randn(steps, envs)
    dones = torch.zeros(steps, envs)
    dones[2, 0] = 1.0
    dones[0, 1] = 1.0
    dones[4, 1] = 1.0
    last_values = torch.randn(envs)
    gamma = scalar(0.99)
    gae_lambda = scalar(0.95)

    advantages = torch.zeros(steps, envs)
    next_advantage = torch.zeros(envs)
    for t in reversed(range(steps)):
        next_value = last_values if t == steps - 1 else values[t + 1]
        non_terminal = 1.0 - dones[t]
        delta = rewards[t] + gamma * next_value * non_terminal - values[t]
        next_advantage = delta + gamma * gae_lambda * non_terminal * next_advantage
        advantages[t] = next_advantage
    returns = advantages + values

    assert dones.sum(dim=0).tolist() == [1.0, 2.0, 0.0]
    return {
        "rewards": rewards, "values": values, "dones": dones, "last_values": last_values,
        "gamma": gamma, "gae_lambda": gae_lambda, "advantages": advantages, "returns": returns,
    }


# Optimization -------------------------------------------------------------------------------


def adam_steps(params, grads, lr, beta1, beta2, eps, max_grad_norm=None):
    """Runs one torch.optim.Adam step per row of grads; returns the parameters after each step and,
    when max_grad_norm is given, the total gradient norms clip_grad_norm_ saw before clipping."""
    parameter = params.clone().requires_grad_()
    optimizer = torch.optim.Adam(
        [parameter], lr=lr.item(), betas=(beta1.item(), beta2.item()), eps=eps.item(), foreach=False)
    params_after, grad_norms = [], []
    for grad in grads:
        optimizer.zero_grad()
        parameter.grad = grad.clone()
        if max_grad_norm is not None:
            grad_norms.append(torch.nn.utils.clip_grad_norm_([parameter], max_norm=max_grad_norm.item()))
        optimizer.step()
        params_after.append(parameter.detach().clone())
    return torch.stack(params_after), grad_norms


def adam_inputs(seed, grad_scales):
    torch.manual_seed(seed)
    params = torch.randn(7)
    grads = torch.randn(3, 7) * torch.tensor(grad_scales).unsqueeze(1)
    return {
        "params": params, "grads": grads,
        "lr": scalar(0.01), "beta1": scalar(0.9), "beta2": scalar(0.999), "eps": scalar(1e-5),
    }


def case_adam():
    # Gradients of mixed signs and sizes across steps exercise both moments and the bias correction.
    fields = adam_inputs(1212, [1.0, 0.3, 2.0])
    fields["params_after"], _ = adam_steps(**fields)
    return fields


def case_adam_clipped():
    # Steps 0 and 2 have a gradient norm above max_grad_norm and are scaled down; step 1 is not.
    fields = adam_inputs(1313, [1.0, 0.05, 1.5])
    fields["max_grad_norm"] = scalar(0.5)
    params_after, grad_norms = adam_steps(**fields)
    grad_norms = torch.stack(grad_norms)
    fields["params_after"] = params_after
    fields["grad_norms"] = grad_norms

    assert_away_from(grad_norms, fields["max_grad_norm"], "gradient norm")
    assert (grad_norms > fields["max_grad_norm"]).tolist() == [True, False, True]
    return fields


# Policy divergence ------------------------------------------------------------------------------


def case_categorical_kl():
    torch.manual_seed(1414)
    old_logits = torch.randn(6, 4)
    new_logits = (old_logits + 0.5 * torch.randn(6, 4)).requires_grad_()
    grad_output = torch.randn(6)

    kl = kl_divergence(Categorical(logits=old_logits), Categorical(logits=new_logits))
    (grad_new_logits,) = gradients((kl * grad_output).sum(), [new_logits])

    assert (kl > 0).all()
    return {
        "old_logits": old_logits, "new_logits": new_logits, "grad_output": grad_output,
        "kl": kl, "grad_new_logits": grad_new_logits,
    }


def case_gaussian_kl():
    # The new log_std is smaller in one dimension and larger in the other.
    torch.manual_seed(1515)
    old_mean = torch.randn(6, 2)
    old_log_std = torch.tensor([-0.2, 0.1])
    new_mean = (old_mean + 0.5 * torch.randn(6, 2)).requires_grad_()
    new_log_std = torch.tensor([-0.5, 0.35]).requires_grad_()
    grad_output = torch.randn(6)

    kl = kl_divergence(diagonal_gaussian(old_mean, old_log_std), diagonal_gaussian(new_mean, new_log_std))
    kl = kl.sum(dim=-1)
    grad_new_mean, grad_new_log_std = gradients((kl * grad_output).sum(), [new_mean, new_log_std])
    return {
        "old_mean": old_mean, "old_log_std": old_log_std, "new_mean": new_mean, "new_log_std": new_log_std,
        "grad_output": grad_output,
        "kl": kl, "grad_new_mean": grad_new_mean, "grad_new_log_std": grad_new_log_std,
    }


# Full loss ------------------------------------------------------------------------------------


def case_ppo_total_loss():
    # Stable-Baselines3's PPO loss on a categorical head, advantages normalized. Ratios are placed so
    # that rows are inside the clip range, clipped with no policy gradient, and outside the range with
    # the unclipped term still the minimum (gradient flows); every action 0..2 is taken.
    torch.manual_seed(1616)
    clip_range, ent_coef, vf_coef = scalar(0.2), scalar(0.01), scalar(0.5)
    logits = torch.randn(8, 3).requires_grad_()
    actions = torch.cat([torch.randperm(3), torch.randint(0, 3, (5,))])
    target_ratio = torch.tensor([0.70, 0.90, 1.05, 1.32, 0.74, 1.12, 1.38, 0.95])
    old_log_prob = Categorical(logits=logits.detach()).log_prob(actions) - target_ratio.log()
    advantages = torch.randn(8) * 2.0 + 0.5
    values = torch.randn(8).requires_grad_()
    returns = torch.randn(8)

    distribution = Categorical(logits=logits)
    log_prob = distribution.log_prob(actions)
    entropy = distribution.entropy()
    normalized = normalize_advantages(advantages)
    ratio = torch.exp(log_prob - old_log_prob)
    policy_loss = clipped_surrogate(ratio, normalized, clip_range)
    value_loss = F.mse_loss(returns, values)
    entropy_loss = -entropy.mean()
    loss = policy_loss + vf_coef * value_loss + ent_coef * entropy_loss
    grad_logits, grad_values = gradients(loss, [logits, values])

    ratio = ratio.detach()
    low, high = 1 - clip_range, 1 + clip_range
    assert_away_from(ratio, low, "ratio")
    assert_away_from(ratio, high, "ratio")
    inside = (ratio > low) & (ratio < high)
    gradient_blocked = ((normalized > 0) & (ratio > high)) | ((normalized < 0) & (ratio < low))
    assert inside.any() and gradient_blocked.any() and (~inside & ~gradient_blocked).any()
    assert set(actions.tolist()) == {0, 1, 2}
    return {
        "logits": logits, "actions": actions, "old_log_prob": old_log_prob, "advantages": advantages,
        "values": values, "returns": returns, "clip_range": clip_range, "ent_coef": ent_coef,
        "vf_coef": vf_coef, "normalize_advantage": flag(True),
        "loss": loss, "policy_loss": policy_loss, "value_loss": value_loss, "entropy_loss": entropy_loss,
        "grad_logits": grad_logits, "grad_values": grad_values,
    }


# Masked and multi-component distributions -----------------------------------------------------

MASKED_LOGIT = -1e8


def masked_categorical(logits, mask):
    """sb3-contrib's MaskableCategorical: invalid logits replaced by −1e8, entropy over the valid actions only."""
    distribution = Categorical(logits=torch.where(mask, logits, scalar(MASKED_LOGIT)))
    p_log_p = torch.where(mask, distribution.logits * distribution.probs, scalar(0.0))
    return distribution, -p_log_p.sum(dim=-1)


def random_valid_actions(mask):
    return torch.stack([row.nonzero()[torch.randint(0, int(row.sum()), (1,))].reshape(()) for row in mask])


def case_masked_categorical():
    # Rows leave 1, 2, 3 and 4 of 5 actions valid (all but one), and one row all 5; row 1 masks its largest logit
    # (+6), which must not matter. Gradients with respect to the masked logits are exactly 0.
    torch.manual_seed(1717)
    logits = torch.randn(6, 5)
    logits[1, 4] = 6.0
    logits.requires_grad_()
    mask = torch.tensor([
        [False, False, True, False, False],
        [True, False, True, False, False],
        [True, True, False, True, False],
        [True, True, True, True, False],
        [False, True, True, True, True],
        [True, True, True, True, True],
    ])
    actions = random_valid_actions(mask)
    grad_log_prob = torch.randn(6)
    grad_entropy = torch.randn(6)

    distribution, entropy = masked_categorical(logits, mask)
    log_prob = distribution.log_prob(actions)
    objective = (log_prob * grad_log_prob + entropy * grad_entropy).sum()
    (grad_logits,) = gradients(objective, [logits])

    assert (distribution.probs[~mask] == 0).all() and (grad_logits[~mask] == 0).all()
    assert mask[torch.arange(6), actions].all()
    assert torch.isfinite(entropy).all() and torch.isfinite(grad_logits).all()
    return {
        "logits": logits, "mask": mask.long(), "actions": actions,
        "grad_log_prob": grad_log_prob, "grad_entropy": grad_entropy,
        "log_prob": log_prob, "entropy": entropy, "probs": distribution.probs, "grad_logits": grad_logits,
    }


MULTI_DISCRETE_NVEC = [3, 2, 4]


def multi_categorical_case(seed, mask):
    """Stable-Baselines3's MultiCategoricalDistribution over nvec = [3, 2, 4] (sb3-contrib's masked one when a mask
    is given): one categorical per component, log-probabilities and entropies summed over the components."""
    torch.manual_seed(seed)
    rows = 6
    logits = torch.randn(rows, sum(MULTI_DISCRETE_NVEC)).requires_grad_()
    full_mask = torch.ones(rows, sum(MULTI_DISCRETE_NVEC), dtype=torch.bool) if mask is None else mask
    component_masks = torch.split(full_mask, MULTI_DISCRETE_NVEC, dim=1)
    actions = torch.stack([random_valid_actions(component) for component in component_masks], dim=1)
    grad_log_prob = torch.randn(rows)
    grad_entropy = torch.randn(rows)

    log_prob = torch.zeros(rows)
    entropy = torch.zeros(rows)
    probs = []
    for c, (component_logits, component_mask) in enumerate(zip(torch.split(logits, MULTI_DISCRETE_NVEC, dim=1), component_masks)):
        if mask is None:
            distribution = Categorical(logits=component_logits)
            component_entropy = distribution.entropy()
        else:
            distribution, component_entropy = masked_categorical(component_logits, component_mask)
        log_prob = log_prob + distribution.log_prob(actions[:, c])
        entropy = entropy + component_entropy
        probs.append(distribution.probs)
    objective = (log_prob * grad_log_prob + entropy * grad_entropy).sum()
    (grad_logits,) = gradients(objective, [logits])

    fields = {"nvec": torch.tensor(MULTI_DISCRETE_NVEC), "logits": logits}
    if mask is not None:
        assert (grad_logits[~mask] == 0).all()
        fields["mask"] = mask.long()
    fields.update({
        "actions": actions, "grad_log_prob": grad_log_prob, "grad_entropy": grad_entropy,
        "log_prob": log_prob, "entropy": entropy, "probs": torch.cat(probs, dim=1), "grad_logits": grad_logits,
    })
    return fields


def case_multi_categorical():
    return multi_categorical_case(1818, None)


def case_masked_multi_categorical():
    # Per component, rows leave 1, several or all-but-one categories valid (and all of them in some rows).
    mask = torch.tensor([
        [1, 0, 0, 1, 1, 0, 0, 1, 0],
        [1, 1, 0, 0, 1, 1, 1, 1, 0],
        [0, 1, 1, 1, 0, 1, 0, 1, 1],
        [1, 1, 1, 1, 1, 0, 0, 0, 1],
        [0, 0, 1, 0, 1, 1, 1, 1, 1],
        [1, 0, 1, 1, 1, 0, 1, 1, 1],
    ], dtype=torch.bool)
    return multi_categorical_case(1919, mask)


def case_bernoulli():
    # Logits of both signs, one of them large (|z| = 9); log-probabilities and entropies summed over 3 flags.
    torch.manual_seed(2020)
    logits = torch.randn(6, 3) * 1.5
    logits[2, 1] = 9.0
    logits[4, 0] = -9.0
    logits.requires_grad_()
    actions = torch.randint(0, 2, (6, 3)).float()
    actions[2, 1] = 0.0
    grad_log_prob = torch.randn(6)
    grad_entropy = torch.randn(6)

    distribution = Bernoulli(logits=logits)
    log_prob = distribution.log_prob(actions).sum(dim=-1)
    entropy = distribution.entropy().sum(dim=-1)
    objective = (log_prob * grad_log_prob + entropy * grad_entropy).sum()
    (grad_logits,) = gradients(objective, [logits])
    return {
        "logits": logits, "actions": actions, "grad_log_prob": grad_log_prob, "grad_entropy": grad_entropy,
        "log_prob": log_prob, "entropy": entropy, "grad_logits": grad_logits,
    }


def case_bernoulli_kl():
    torch.manual_seed(2121)
    old_logits = torch.randn(6, 3) * 1.5
    new_logits = (old_logits + 0.5 * torch.randn(6, 3)).requires_grad_()
    grad_output = torch.randn(6)

    kl = kl_divergence(Bernoulli(logits=old_logits), Bernoulli(logits=new_logits)).sum(dim=-1)
    (grad_new_logits,) = gradients((kl * grad_output).sum(), [new_logits])
    return {
        "old_logits": old_logits, "new_logits": new_logits, "grad_output": grad_output,
        "kl": kl, "grad_new_logits": grad_new_logits,
    }


CASES = {
    "linear": case_linear,
    "mlp_tanh": case_mlp_tanh,
    "mlp_relu": case_mlp_relu,
    "log_softmax": case_log_softmax,
    "categorical": case_categorical,
    "gaussian": case_gaussian,
    "clipped_surrogate": case_clipped_surrogate,
    "clipped_surrogate_normalized": case_clipped_surrogate_normalized,
    "value_loss": case_value_loss,
    "value_loss_clipped": case_value_loss_clipped,
    "gae": case_gae,
    "adam": case_adam,
    "adam_clipped": case_adam_clipped,
    "categorical_kl": case_categorical_kl,
    "gaussian_kl": case_gaussian_kl,
    "ppo_total_loss": case_ppo_total_loss,
    "masked_categorical": case_masked_categorical,
    "multi_categorical": case_multi_categorical,
    "masked_multi_categorical": case_masked_multi_categorical,
    "bernoulli": case_bernoulli,
    "bernoulli_kl": case_bernoulli_kl,
}


# Serialization --------------------------------------------------------------------------------


def float32_text(value):
    """The shortest decimal that reads back as this float32, whether a reader rounds the decimal
    straight to float32 or first to float64 and then to float32."""
    assert math.isfinite(value), f"non-finite value {value!r}"
    text = str(value)
    assert numpy.float32(float(text)).tobytes() == value.tobytes(), f"{text} does not round-trip"
    exact = Fraction(text)
    own_distance = abs(exact - Fraction(float(value)))
    for direction in (-numpy.inf, numpy.inf):
        neighbour = numpy.nextafter(value, numpy.float32(direction))
        assert own_distance < abs(exact - Fraction(float(neighbour))), f"{text} is not nearest to {value!r}"
    return text


def field_json(tensor):
    array = tensor.detach().contiguous().numpy()
    if array.dtype == numpy.float32:
        data = [float32_text(value) for value in array.reshape(-1)]
    elif array.dtype == numpy.int64:
        data = [str(int(value)) for value in array.reshape(-1)]
    else:
        raise TypeError(f"unsupported dtype {array.dtype}")
    return f'{{"shape": {json.dumps(list(array.shape))}, "data": [{", ".join(data)}]}}'


def document_text(cases):
    lines = [
        "{",
        f' "generator": {json.dumps(GENERATOR)},',
        f' "torch_version": {json.dumps(torch.__version__)},',
        ' "cases": {',
    ]
    for case_index, (name, fields) in enumerate(cases.items()):
        lines.append(f"  {json.dumps(name)}: {{")
        for field_index, (field, tensor) in enumerate(fields.items()):
            separator = "," if field_index < len(fields) - 1 else ""
            lines.append(f"   {json.dumps(field)}: {field_json(tensor)}{separator}")
        lines.append("  }," if case_index < len(cases) - 1 else "  }")
    lines.extend([" }", "}"])
    return "\n".join(lines) + "\n"


def check_document(text, cases):
    """The written text parses as JSON and holds exactly the computed values."""
    document = json.loads(text)
    assert list(document["cases"]) == list(cases)
    for name, fields in cases.items():
        stored = document["cases"][name]
        assert list(stored) == list(fields), name
        for field, tensor in fields.items():
            expected = tensor.detach().numpy()
            assert stored[field]["shape"] == list(expected.shape), f"{name}.{field}"
            actual = numpy.array(stored[field]["data"], dtype=expected.dtype).reshape(expected.shape)
            assert actual.tobytes() == expected.tobytes(), f"{name}.{field}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=pathlib.Path, default=DEFAULT_OUTPUT)
    arguments = parser.parse_args()

    torch.set_default_dtype(torch.float32)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)

    cases = {name: build() for name, build in CASES.items()}
    for name, fields in cases.items():
        for field, tensor in fields.items():
            assert tensor.dtype in (torch.float32, torch.int64), f"{name}.{field} is {tensor.dtype}"

    text = document_text(cases)
    check_document(text, cases)
    arguments.output.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
