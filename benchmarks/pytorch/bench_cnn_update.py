"""One PPO minibatch update of Stable-Baselines3's CnnPolicy on MinAtar Breakout's observations, the same work as the
TorchSharp engine's `TorchSharpUpdateBenchmarks.CnnBreakoutBatch256`: 4×10×10 binary images (about a tenth of the
cells set), `Discrete(3)`, minibatch 256.

The extractor is the Nature CNN with the kernels the TorchSharp engine's `NatureCnn` chooses for images under 36×36:
three 3×3 convolutions of stride 1 with 32, 64 and 64 channels and ReLU, then a linear layer to 512 features with ReLU,
shared by a linear policy head and a linear value head (orthogonal initialization, gains sqrt(2), 0.01 and 1). The
loss, backward, `clip_grad_norm_` and the Adam step are those of `bench_update.train_step`."""

import math

import numpy as np
import torch
from torch import nn
from torch.distributions import Categorical

from bench_update import LEARNING_RATE, train_step
from cases import Case

CHANNELS = 4
SIDE = 10
ACTION_COUNT = 3
BATCH_SIZE = 256
FEATURES = 512


def _orthogonal(module, gain):
    for layer in module.modules():
        if isinstance(layer, (nn.Linear, nn.Conv2d)):
            nn.init.orthogonal_(layer.weight, gain=gain)
            layer.bias.data.fill_(0.0)


class CnnActorCritic(nn.Module):
    def __init__(self):
        super().__init__()
        side = SIDE - 3 * 2
        self.features = nn.Sequential(
            nn.Conv2d(CHANNELS, 32, 3, 1), nn.ReLU(),
            nn.Conv2d(32, 64, 3, 1), nn.ReLU(),
            nn.Conv2d(64, 64, 3, 1), nn.ReLU(),
            nn.Flatten(),
            nn.Linear(64 * side * side, FEATURES), nn.ReLU())
        self.action_net = nn.Linear(FEATURES, ACTION_COUNT)
        self.value_net = nn.Linear(FEATURES, 1)
        _orthogonal(self.features, math.sqrt(2))
        _orthogonal(self.action_net, 0.01)
        _orthogonal(self.value_net, 1.0)

    def evaluate_actions(self, observations, actions):
        """The training forward pass (`ActorCriticPolicy.evaluate_actions`): values, log-probabilities and entropy."""
        features = self.features(observations.reshape(-1, CHANNELS, SIDE, SIDE))
        distribution = Categorical(logits=self.action_net(features))
        return self.value_net(features), distribution.log_prob(actions), distribution.entropy()


class ImageMinibatch:
    def __init__(self, rng):
        size = CHANNELS * SIDE * SIDE
        self.observations = torch.tensor(rng.uniform(0, 1, (BATCH_SIZE, size)) < 0.1, dtype=torch.float32)
        self.actions = torch.tensor(rng.integers(0, ACTION_COUNT, (BATCH_SIZE, 1)), dtype=torch.float32)
        uniform_log_prob = -np.log(ACTION_COUNT)
        self.old_log_prob = torch.tensor(rng.uniform(uniform_log_prob - 0.1, uniform_log_prob + 0.1, BATCH_SIZE), dtype=torch.float32)
        self.advantages = torch.tensor(rng.uniform(-2, 2, BATCH_SIZE), dtype=torch.float32)
        self.returns = torch.tensor(rng.uniform(-1, 1, BATCH_SIZE), dtype=torch.float32)
        self.old_values = torch.tensor(rng.uniform(-1, 1, BATCH_SIZE), dtype=torch.float32)


def cnn_case(rng, threads):
    policy = CnnActorCritic()
    optimizer = torch.optim.Adam(policy.parameters(), lr=LEARNING_RATE, eps=1e-5)
    data = ImageMinibatch(rng)
    return Case(f"update/cnn/b{BATCH_SIZE}/t{threads}", lambda: train_step(policy, optimizer, data), threads=threads)


def cases(rng):
    return [cnn_case(rng, threads=1), cnn_case(rng, threads=2)]
