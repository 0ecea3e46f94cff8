"""Policy inference for 8 observations (observation size 8, Discrete(4), actor and critic [64, 64]) under no_grad."""

import numpy as np
import torch

from cases import Case
from sb3_policy import ActorCritic

OBSERVATION_SIZE = 8
ACTION_COUNT = 4
ROW_COUNT = 8


def act(policy, observations):
    """The rollout step of `OnPolicyAlgorithm.collect_rollouts`: numpy observations in, sampled numpy actions out."""
    with torch.no_grad():
        observation_tensor = torch.as_tensor(observations)
        actions, values, log_probs = policy(observation_tensor)
    return actions.cpu().numpy(), values, log_probs


def predict(policy, observations):
    """`BasePolicy.predict(observations, deterministic=True)` without the input checks: the most probable actions."""
    with torch.no_grad():
        actions = policy.predict_actions(torch.as_tensor(observations))
    return actions.cpu().numpy().reshape(-1)


def cases(rng):
    policy = ActorCritic(OBSERVATION_SIZE, ACTION_COUNT, [64, 64])
    policy.train(False)
    observations = rng.uniform(-1, 1, (ROW_COUNT, OBSERVATION_SIZE)).astype(np.float32)
    return [
        Case(f"inference/act/{ROW_COUNT}", lambda: act(policy, observations)),
        Case(f"inference/predict/{ROW_COUNT}", lambda: predict(policy, observations)),
    ]
