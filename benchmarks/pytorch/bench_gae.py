"""GAE over a rollout of steps x environments, as Stable-Baselines3 and CleanRL compute it."""

import numpy as np
import torch

from cases import Case

GAMMA = 0.99
LAMBDA = 0.95
EPISODE_END_PROBABILITY = 0.01
ROLLOUTS = [(32, 8), (1024, 16), (2048, 8), (2048, 64)]


def gae_sb3(rewards, values, episode_starts, last_values, last_dones, advantages, gamma, gae_lambda):
    """`RolloutBuffer.compute_returns_and_advantage` of Stable-Baselines3: a Python loop over time on numpy arrays."""
    buffer_size = rewards.shape[0]
    last_gae_lam = 0
    for step in reversed(range(buffer_size)):
        if step == buffer_size - 1:
            next_non_terminal = 1.0 - last_dones.astype(np.float32)
            next_values = last_values
        else:
            next_non_terminal = 1.0 - episode_starts[step + 1]
            next_values = values[step + 1]
        delta = rewards[step] + gamma * next_values * next_non_terminal - values[step]
        last_gae_lam = delta + gamma * gae_lambda * next_non_terminal * last_gae_lam
        advantages[step] = last_gae_lam
    return advantages + values


def gae_torch(rewards, values, dones, last_values, advantages, gamma, gae_lambda):
    """CleanRL's GAE: a Python loop over time on torch tensors, vectorized across environments."""
    with torch.no_grad():
        steps = rewards.shape[0]
        last_gae_lam = 0
        for t in reversed(range(steps)):
            if t == steps - 1:
                next_values = last_values
            else:
                next_values = values[t + 1]
            next_non_terminal = 1.0 - dones[t]
            delta = rewards[t] + gamma * next_values * next_non_terminal - values[t]
            advantages[t] = last_gae_lam = delta + gamma * gae_lambda * next_non_terminal * last_gae_lam
        return advantages + values


def cases(rng):
    result = []
    for steps, envs in ROLLOUTS:
        rewards = rng.uniform(-1, 1, (steps, envs)).astype(np.float32)
        values = rng.uniform(-1, 1, (steps, envs)).astype(np.float32)
        dones = (rng.random((steps, envs)) < EPISODE_END_PROBABILITY).astype(np.float32)
        last_values = rng.uniform(-1, 1, envs).astype(np.float32)
        advantages = np.zeros((steps, envs), dtype=np.float32)

        # Stable-Baselines3 stores episode starts: the step after an episode ended, and the dones of the last step.
        episode_starts = np.zeros_like(dones)
        episode_starts[1:] = dones[:-1]
        last_dones = dones[-1].astype(bool)

        rewards_t, values_t, dones_t = torch.from_numpy(rewards), torch.from_numpy(values), torch.from_numpy(dones)
        last_values_t, advantages_t = torch.from_numpy(last_values), torch.zeros(steps, envs)

        shape = f"{steps}x{envs}"
        result.append(Case(f"gae/sb3-numpy/{shape}", lambda r=rewards, v=values, s=episode_starts, lv=last_values, ld=last_dones, a=advantages:
                           gae_sb3(r, v, s, lv, ld, a, GAMMA, LAMBDA)))
        result.append(Case(f"gae/torch/{shape}", lambda r=rewards_t, v=values_t, d=dones_t, lv=last_values_t, a=advantages_t:
                           gae_torch(r, v, d, lv, a, GAMMA, LAMBDA)))
    return result
