"""The PPO loss terms of Stable-Baselines3's `PPO.train` on one minibatch, each with its gradient with respect to the
network outputs (log-probabilities, values, entropies), and the distribution heads from network output to gradient."""

import torch
import torch.nn.functional as F
from torch.distributions import Categorical, Normal

from cases import Case

BATCH_SIZES = [64, 256, 2048]
CLIP_RANGE = 0.2
VALUE_CLIP_RANGE = 0.2
ENT_COEF = 0.01
VF_COEF = 0.5
CLASS_COUNT = 4
GAUSSIAN_SIZE = 2

def normalized(advantages):
    return (advantages - advantages.mean()) / (advantages.std() + 1e-8)

def surrogate(log_prob, old_log_prob, advantages):
    """Loss and diagnostics (clip fraction, approximate KL, ratio mean and standard deviation)."""
    advantages = normalized(advantages)
    ratio = torch.exp(log_prob - old_log_prob)
    policy_loss_1 = advantages * ratio
    policy_loss_2 = advantages * torch.clamp(ratio, 1 - CLIP_RANGE, 1 + CLIP_RANGE)
    policy_loss = -torch.min(policy_loss_1, policy_loss_2).mean()
    with torch.no_grad():
        clip_fraction = torch.mean((torch.abs(ratio - 1) > CLIP_RANGE).float())
        log_ratio = log_prob - old_log_prob
        approx_kl = torch.mean((torch.exp(log_ratio) - 1) - log_ratio)
        diagnostics = (clip_fraction, approx_kl, ratio.mean(), ratio.std())
    return policy_loss, diagnostics

def clipped_surrogate_case(log_prob, old_log_prob, advantages):
    loss, diagnostics = surrogate(log_prob, old_log_prob, advantages)
    return torch.autograd.grad(loss, log_prob), diagnostics

def value_case(values, returns):
    loss = F.mse_loss(returns, values)
    return torch.autograd.grad(loss, values)

def value_clipped_case(values, old_values, returns):
    values_pred = old_values + torch.clamp(values - old_values, -VALUE_CLIP_RANGE, VALUE_CLIP_RANGE)
    loss = F.mse_loss(returns, values_pred)
    return torch.autograd.grad(loss, values)

def entropy_case(entropy):
    loss = -torch.mean(entropy)
    return torch.autograd.grad(loss, entropy)

def fused_case(log_prob, old_log_prob, advantages, values, returns, entropy):
    policy_loss, diagnostics = surrogate(log_prob, old_log_prob, advantages)
    value_loss = F.mse_loss(returns, values)
    entropy_loss = -torch.mean(entropy)
    loss = policy_loss + ENT_COEF * entropy_loss + VF_COEF * value_loss
    return torch.autograd.grad(loss, (log_prob, values, entropy)), diagnostics

def categorical_head(logits, actions, log_prob_grad, entropy_grad):
    distribution = Categorical(logits=logits)
    log_prob = distribution.log_prob(actions)
    entropy = distribution.entropy()
    return torch.autograd.grad((log_prob, entropy), logits, (log_prob_grad, entropy_grad))

def gaussian_head(mean, log_std, actions, log_prob_grad, entropy_grad):
    """Stable-Baselines3's `DiagGaussianDistribution`: a Normal per dimension, summed over the action dimensions."""
    action_std = torch.ones_like(mean) * log_std.exp()
    distribution = Normal(mean, action_std)
    log_prob = distribution.log_prob(actions).sum(dim=1)
    entropy = distribution.entropy().sum(dim=1)
    return torch.autograd.grad((log_prob, entropy), (mean, log_std), (log_prob_grad, entropy_grad))

def tensor(array, requires_grad=False):
    return torch.tensor(array, dtype=torch.float32, requires_grad=requires_grad)

def cases(rng):
    result = []
    for batch in BATCH_SIZES:
        new_lp = rng.uniform(-2, -0.1, batch)
        log_prob = tensor(new_lp, requires_grad=True)
        old_log_prob = tensor(new_lp + rng.uniform(-0.3, 0.3, batch))
        advantages = tensor(rng.uniform(-2, 2, batch))
        value_array = rng.uniform(-1, 1, batch)
        values = tensor(value_array, requires_grad=True)
        old_values = tensor(value_array + rng.uniform(-0.4, 0.4, batch))
        returns = tensor(rng.uniform(-1, 1, batch))
        entropy = tensor(rng.uniform(0.5, 1.4, batch), requires_grad=True)

        result.append(Case(f"loss/clipped-surrogate/{batch}", lambda a=log_prob, b=old_log_prob, c=advantages: clipped_surrogate_case(a, b, c)))
        result.append(Case(f"loss/value/{batch}", lambda v=values, r=returns: value_case(v, r)))
        result.append(Case(f"loss/value-clipped/{batch}", lambda v=values, o=old_values, r=returns: value_clipped_case(v, o, r)))
        result.append(Case(f"loss/entropy/{batch}", lambda e=entropy: entropy_case(e)))
        result.append(Case(f"loss/fused/{batch}", lambda a=log_prob, b=old_log_prob, c=advantages, v=values, r=returns, e=entropy:
                           fused_case(a, b, c, v, r, e)))

        logits = tensor(rng.uniform(-2, 2, (batch, CLASS_COUNT)), requires_grad=True)
        discrete_actions = torch.tensor(rng.integers(0, CLASS_COUNT, batch), dtype=torch.long)
        log_prob_grad = tensor(rng.uniform(-0.01, 0.01, batch))
        entropy_grad = torch.full((batch,), -0.01 / batch)
        result.append(Case(f"head/categorical4/{batch}", lambda l=logits, a=discrete_actions, g=log_prob_grad, h=entropy_grad:
                           categorical_head(l, a, g, h)))

        mean = tensor(rng.uniform(-1, 1, (batch, GAUSSIAN_SIZE)), requires_grad=True)
        log_std = tensor(rng.uniform(-0.5, 0, GAUSSIAN_SIZE), requires_grad=True)
        continuous_actions = tensor(rng.uniform(-1.5, 1.5, (batch, GAUSSIAN_SIZE)))
        result.append(Case(f"head/gaussian2/{batch}", lambda m=mean, s=log_std, a=continuous_actions, g=log_prob_grad, h=entropy_grad:
                           gaussian_head(m, s, a, g, h)))
    return result
