"""The actor-critic network Stable-Baselines3 builds for PPO's MlpPolicy with a Discrete action space.

Separate actor and critic MLPs with tanh (`MlpExtractor`), a linear `action_net` producing Categorical logits and a
linear `value_net`, orthogonally initialized with gains sqrt(2), 0.01 and 1 (`ActorCriticPolicy._build`).
"""

import math

import torch
from torch import nn
from torch.distributions import Categorical


def _mlp(input_size, hidden_sizes):
    layers = []
    width = input_size
    for size in hidden_sizes:
        layers += [nn.Linear(width, size), nn.Tanh()]
        width = size
    return nn.Sequential(*layers)


def _orthogonal(module, gain):
    for layer in module.modules():
        if isinstance(layer, nn.Linear):
            nn.init.orthogonal_(layer.weight, gain=gain)
            layer.bias.data.fill_(0.0)


class ActorCritic(nn.Module):
    def __init__(self, observation_size, action_count, hidden_sizes):
        super().__init__()
        self.policy_net = _mlp(observation_size, hidden_sizes)
        self.value_net_body = _mlp(observation_size, hidden_sizes)
        self.action_net = nn.Linear(hidden_sizes[-1], action_count)
        self.value_net = nn.Linear(hidden_sizes[-1], 1)
        _orthogonal(self.policy_net, math.sqrt(2))
        _orthogonal(self.value_net_body, math.sqrt(2))
        _orthogonal(self.action_net, 0.01)
        _orthogonal(self.value_net, 1.0)

    def _latent(self, observations):
        features = observations.float().flatten(1)
        return self.policy_net(features), self.value_net_body(features)

    def forward(self, observations):
        """The rollout step (`ActorCriticPolicy.forward`): sampled actions, values and log-probabilities."""
        latent_pi, latent_vf = self._latent(observations)
        values = self.value_net(latent_vf)
        distribution = Categorical(logits=self.action_net(latent_pi))
        actions = distribution.sample()
        log_prob = distribution.log_prob(actions)
        return actions.reshape(-1), values, log_prob

    def evaluate_actions(self, observations, actions):
        """The training forward pass (`ActorCriticPolicy.evaluate_actions`): values, log-probabilities and entropy."""
        latent_pi, latent_vf = self._latent(observations)
        distribution = Categorical(logits=self.action_net(latent_pi))
        log_prob = distribution.log_prob(actions)
        values = self.value_net(latent_vf)
        return values, log_prob, distribution.entropy()

    def predict_actions(self, observations):
        """The deterministic action of each observation (`ActorCriticPolicy._predict`, deterministic=True)."""
        latent_pi = self.policy_net(observations.float().flatten(1))
        distribution = Categorical(logits=self.action_net(latent_pi))
        return torch.argmax(distribution.probs, dim=1)
