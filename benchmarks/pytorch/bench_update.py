"""One PPO minibatch update as Stable-Baselines3's `PPO.train` does it: evaluate the actor and critic, Categorical
log-probabilities and entropy, the clipped surrogate, value and entropy losses, backward, `clip_grad_norm_` and an
Adam step. The minibatch is already in tensors (the gather from the rollout buffer is not timed)."""

import numpy as np
import torch
import torch.nn.functional as F

from cases import Case
from sb3_policy import ActorCritic

OBSERVATION_SIZE = 8
ACTION_COUNT = 4
CLIP_RANGE = 0.2
ENT_COEF = 0.01
VF_COEF = 0.5
MAX_GRAD_NORM = 0.5
LEARNING_RATE = 3e-4


class Minibatch:
    def __init__(self, rng, batch_size):
        self.observations = torch.tensor(rng.uniform(-1, 1, (batch_size, OBSERVATION_SIZE)), dtype=torch.float32)
        self.actions = torch.tensor(rng.integers(0, ACTION_COUNT, (batch_size, 1)), dtype=torch.float32)
        uniform_log_prob = -np.log(ACTION_COUNT)
        self.old_log_prob = torch.tensor(rng.uniform(uniform_log_prob - 0.1, uniform_log_prob + 0.1, batch_size), dtype=torch.float32)
        self.advantages = torch.tensor(rng.uniform(-2, 2, batch_size), dtype=torch.float32)
        self.returns = torch.tensor(rng.uniform(-1, 1, batch_size), dtype=torch.float32)
        self.old_values = torch.tensor(rng.uniform(-1, 1, batch_size), dtype=torch.float32)


def train_step(policy, optimizer, data):
    actions = data.actions.long().flatten()
    values, log_prob, entropy = policy.evaluate_actions(data.observations, actions)
    values = values.flatten()
    advantages = data.advantages
    if len(advantages) > 1:
        advantages = (advantages - advantages.mean()) / (advantages.std() + 1e-8)

    ratio = torch.exp(log_prob - data.old_log_prob)
    policy_loss_1 = advantages * ratio
    policy_loss_2 = advantages * torch.clamp(ratio, 1 - CLIP_RANGE, 1 + CLIP_RANGE)
    policy_loss = -torch.min(policy_loss_1, policy_loss_2).mean()
    policy_loss_value = policy_loss.item()
    clip_fraction = torch.mean((torch.abs(ratio - 1) > CLIP_RANGE).float()).item()

    value_loss = F.mse_loss(data.returns, values)
    value_loss_value = value_loss.item()
    entropy_loss = -torch.mean(entropy)
    entropy_loss_value = entropy_loss.item()
    loss = policy_loss + ENT_COEF * entropy_loss + VF_COEF * value_loss

    with torch.no_grad():
        log_ratio = log_prob - data.old_log_prob
        approx_kl_div = torch.mean((torch.exp(log_ratio) - 1) - log_ratio).cpu().numpy()

    optimizer.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(policy.parameters(), MAX_GRAD_NORM)
    optimizer.step()
    return policy_loss_value, value_loss_value, entropy_loss_value, clip_fraction, approx_kl_div


def update_case(rng, hidden, batch_size, threads):
    policy = ActorCritic(OBSERVATION_SIZE, ACTION_COUNT, [hidden, hidden])
    optimizer = torch.optim.Adam(policy.parameters(), lr=LEARNING_RATE, eps=1e-5)
    data = Minibatch(rng, batch_size)
    return Case(f"update/h{hidden}/b{batch_size}/t{threads}", lambda: train_step(policy, optimizer, data), threads=threads)


def cases(rng):
    return [
        update_case(rng, 64, 64, threads=1),
        update_case(rng, 256, 2048, threads=1),
        update_case(rng, 256, 2048, threads=2),
    ]
