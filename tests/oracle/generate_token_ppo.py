"""Writes the PyTorch golden vectors of token-level PPO, the loss of RLHF fine-tuning, written as
Hugging Face TRL's PPOTrainer computes it (compute_rewards, compute_advantages, loss).

A fixed small GPT-style model with a value head (the layout of Ppo's TransformerLanguageModel, the
same parameter names) and a fixed batch of right-padded prompt + response rows; the rollout's
log-probabilities and values, the reference's log-probabilities and the scores are given inputs.
Outputs: per-token rewards, whitened advantages, returns, the current log-probabilities and values,
the losses and diagnostics, and the gradient of the total loss with respect to every parameter.

Usage: /usr/bin/python3 tests/oracle/generate_token_ppo.py [--output PATH]
"""

import argparse
import math
import pathlib

import torch
import torch.nn as nn
import torch.nn.functional as F

import generate_golden as golden

GENERATOR = "tests/oracle/generate_token_ppo.py"
DEFAULT_OUTPUT = pathlib.Path(__file__).resolve().parent / "token_ppo.json"

VOCABULARY, CONTEXT, WIDTH, HEADS, LAYERS = 11, 9, 8, 2, 2
PROMPT_LENGTHS = [2, 3, 1, 2]
RESPONSE_LENGTHS = [4, 6, 3, 7]
PADDING = 0
TEMPERATURE, KL_COEF, GAMMA, LAM = 0.7, 0.1, 1.0, 0.95
CLIPRANGE, CLIPRANGE_VALUE, VF_COEF = 0.2, 0.2, 0.1


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1 = nn.LayerNorm(WIDTH)
        self.qkv = nn.Linear(WIDTH, 3 * WIDTH)
        self.attention_projection = nn.Linear(WIDTH, WIDTH)
        self.ln_2 = nn.LayerNorm(WIDTH)
        self.mlp_in = nn.Linear(WIDTH, 4 * WIDTH)
        self.mlp_out = nn.Linear(4 * WIDTH, WIDTH)

    def forward(self, x):
        batch, length, _ = x.shape
        head = WIDTH // HEADS
        q, k, v = self.qkv(self.ln_1(x)).chunk(3, dim=-1)
        q, k, v = (t.view(batch, length, HEADS, head).transpose(1, 2) for t in (q, k, v))
        scores = q @ k.transpose(-2, -1) / math.sqrt(head)
        future = torch.ones(length, length, dtype=torch.bool).triu(1)
        attention = F.softmax(scores.masked_fill(future, float("-inf")), dim=-1)
        mixed = (attention @ v).transpose(1, 2).reshape(batch, length, WIDTH)
        x = x + self.attention_projection(mixed)
        return x + self.mlp_out(F.gelu(self.mlp_in(self.ln_2(x))))


class Trunk(nn.Module):
    def __init__(self):
        super().__init__()
        self.token_embedding = nn.Embedding(VOCABULARY, WIDTH)
        self.position_embedding = nn.Embedding(CONTEXT, WIDTH)
        self.blocks = nn.ModuleList([Block() for _ in range(LAYERS)])
        self.ln_f = nn.LayerNorm(WIDTH)

    def forward(self, tokens):
        hidden = self.token_embedding(tokens) + self.position_embedding(torch.arange(tokens.shape[1]))
        for block in self.blocks:
            hidden = block(hidden)
        return self.ln_f(hidden)


class LanguageModelWithValueHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = Trunk()
        self.lm_head = nn.Linear(WIDTH, VOCABULARY, bias=False)
        self.value_head = nn.Linear(WIDTH, 1)

    def forward(self, tokens):
        hidden = self.trunk(tokens)
        return self.lm_head(hidden), self.value_head(hidden).squeeze(-1)


# TRL's helpers (trl/core.py), as the trainer uses them.


def masked_mean(values, mask):
    return (values * mask).sum() / mask.sum()


def masked_var(values, mask):
    mean = masked_mean(values, mask)
    variance = masked_mean((values - mean) ** 2, mask)
    count = mask.sum()
    return variance * (count / (count - 1))


def masked_whiten(values, mask):
    mean, variance = masked_mean(values, mask), masked_var(values, mask)
    return (values - mean) * torch.rsqrt(variance + 1e-8)


def case_token_ppo():
    torch.manual_seed(1901)
    model = LanguageModelWithValueHead()
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if "ln_" in name:
                parameter.add_(0.1 * torch.randn_like(parameter))
            else:
                parameter.copy_(0.4 * torch.randn_like(parameter))

    rows, columns = len(PROMPT_LENGTHS), CONTEXT - 1
    tokens = torch.full((rows, CONTEXT), PADDING, dtype=torch.int64)
    mask = torch.zeros(rows, columns)
    last = torch.zeros(rows, dtype=torch.int64)
    for row, (prompt, response) in enumerate(zip(PROMPT_LENGTHS, RESPONSE_LENGTHS)):
        tokens[row, : prompt + response] = torch.randint(1, VOCABULARY, (prompt + response,))
        mask[row, prompt - 1 : prompt - 1 + response] = 1
        last[row] = prompt + response - 2

    logits, values = model(tokens)
    logprobs = F.log_softmax(logits[:, :-1] / TEMPERATURE, dim=-1).gather(2, tokens[:, 1:].unsqueeze(-1)).squeeze(-1)
    values = values[:, :-1]

    # The rollout: earlier log-probabilities and values near the current ones, the reference's, the scores.
    # Columns outside the responses hold arbitrary numbers, which every computation must ignore.
    old_logprobs = (logprobs.detach() + 0.25 * torch.randn(rows, columns)).clamp(max=-1e-3)
    old_values = values.detach() + 0.3 * torch.randn(rows, columns)
    ref_logprobs = (old_logprobs + 0.2 * torch.randn(rows, columns)).clamp(max=-1e-3)
    scores = 2.0 * torch.randn(rows)

    # compute_rewards: -beta * (logprob - ref_logprob) on every response token, the score added at the last.
    kl = old_logprobs - ref_logprobs
    rewards = (-KL_COEF * kl) * mask
    rewards[torch.arange(rows), last] += scores

    # compute_advantages: GAE over the (right-padded) responses, returns, whitening over the response tokens.
    masked_values = old_values * mask
    masked_rewards = rewards * mask
    lastgaelam = torch.zeros(rows)
    reversed_advantages = []
    for t in reversed(range(columns)):
        nextvalues = masked_values[:, t + 1] if t < columns - 1 else 0.0
        delta = masked_rewards[:, t] + GAMMA * nextvalues - masked_values[:, t]
        lastgaelam = delta + GAMMA * LAM * lastgaelam
        reversed_advantages.append(lastgaelam)
    raw_advantages = torch.stack(reversed_advantages[::-1], dim=1)
    returns = raw_advantages + masked_values
    advantages = masked_whiten(raw_advantages, mask).masked_fill(mask == 0, 0.0)

    # loss
    vpredclipped = torch.max(torch.min(values, old_values + CLIPRANGE_VALUE), old_values - CLIPRANGE_VALUE)
    vf_losses1 = (values - returns) ** 2
    vf_losses2 = (vpredclipped - returns) ** 2
    vf_loss = 0.5 * masked_mean(torch.max(vf_losses1, vf_losses2), mask)
    vf_clipfrac = masked_mean(torch.gt(vf_losses2, vf_losses1).float(), mask)
    ratio = torch.exp(logprobs - old_logprobs)
    pg_losses = -advantages * ratio
    pg_losses2 = -advantages * torch.clamp(ratio, 1.0 - CLIPRANGE, 1.0 + CLIPRANGE)
    pg_loss = masked_mean(torch.max(pg_losses, pg_losses2), mask)
    pg_clipfrac = masked_mean(torch.gt(pg_losses2, pg_losses).float(), mask)
    loss = pg_loss + VF_COEF * vf_loss
    approxkl = 0.5 * masked_mean((logprobs - old_logprobs) ** 2, mask)
    policykl = masked_mean(old_logprobs - logprobs, mask)
    mean_ratio = masked_mean(ratio, mask)
    value_error = masked_mean(vf_losses1, mask)

    # Every response token lies away from the clip boundaries, and both branches are reached.
    response = mask.bool()
    golden.assert_away_from(ratio.detach()[response], 1 - CLIPRANGE, "ratio")
    golden.assert_away_from(ratio.detach()[response], 1 + CLIPRANGE, "ratio")
    golden.assert_away_from((values - old_values).detach()[response], CLIPRANGE_VALUE, "value change")
    golden.assert_away_from((values - old_values).detach()[response], -CLIPRANGE_VALUE, "value change")
    golden.assert_away_from(advantages.detach()[response], 0.0, "advantage")
    assert 0 < pg_clipfrac < 1 and 0 < vf_clipfrac < 1, (pg_clipfrac, vf_clipfrac)

    names = [name for name, _ in model.named_parameters()]
    parameters = [parameter for _, parameter in model.named_parameters()]
    grads = torch.autograd.grad(loss, parameters)

    fields = {
        "tokens": tokens,
        "prompt_lengths": torch.tensor(PROMPT_LENGTHS),
        "response_lengths": torch.tensor(RESPONSE_LENGTHS),
        "padding_token": torch.tensor(PADDING),
        "vocabulary_size": torch.tensor(VOCABULARY),
        "context_length": torch.tensor(CONTEXT),
        "embedding_size": torch.tensor(WIDTH),
        "head_count": torch.tensor(HEADS),
        "layer_count": torch.tensor(LAYERS),
        "temperature": golden.scalar(TEMPERATURE),
        "kl_coef": golden.scalar(KL_COEF),
        "gamma": golden.scalar(GAMMA),
        "lam": golden.scalar(LAM),
        "cliprange": golden.scalar(CLIPRANGE),
        "cliprange_value": golden.scalar(CLIPRANGE_VALUE),
        "vf_coef": golden.scalar(VF_COEF),
    }
    for name, parameter in zip(names, parameters):
        fields["param." + name] = parameter
    fields.update({
        "old_logprobs": old_logprobs,
        "old_values": old_values,
        "ref_logprobs": ref_logprobs,
        "scores": scores,
        "mask": mask,
        "logprobs": logprobs,
        "values": values,
        "rewards": rewards,
        "advantages": advantages,
        "returns": returns,
        "loss": loss,
        "pg_loss": pg_loss,
        "vf_loss": vf_loss,
        "pg_clipfrac": pg_clipfrac,
        "vf_clipfrac": vf_clipfrac,
        "approxkl": approxkl,
        "policykl": policykl,
        "mean_ratio": mean_ratio,
        "value_error": value_error,
    })
    for name, grad in zip(names, grads):
        fields["grad." + name] = grad
    return fields


CASES = {"token_ppo": case_token_ppo}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=pathlib.Path, default=DEFAULT_OUTPUT)
    arguments = parser.parse_args()

    torch.set_default_dtype(torch.float32)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)

    cases = {name: build() for name, build in CASES.items()}
    golden.GENERATOR = GENERATOR  # the document names this script as its generator
    text = golden.document_text(cases)
    golden.check_document(text, cases)
    arguments.output.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
