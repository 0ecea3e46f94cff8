"""A tanh MLP, input 8, two hidden layers, output 4: forward (under no_grad) and forward + backward."""

import torch
from torch import nn

from cases import Case

INPUT_SIZE = 8
OUTPUT_SIZE = 4
HIDDEN_SIZES = [64, 256]
BATCH_SIZES = [64, 256, 2048]

def forward(network, inputs):
    with torch.no_grad():
        return network(inputs)

def forward_backward(network, inputs, output_grad):
    """Parameter gradients accumulate, as the C# layers do; the input needs no gradient."""
    network(inputs).backward(output_grad)

def cases(rng):
    result = []
    for hidden in HIDDEN_SIZES:
        for batch in BATCH_SIZES:
            network = nn.Sequential(
                nn.Linear(INPUT_SIZE, hidden), nn.Tanh(),
                nn.Linear(hidden, hidden), nn.Tanh(),
                nn.Linear(hidden, OUTPUT_SIZE))
            inputs = torch.tensor(rng.uniform(-1, 1, (batch, INPUT_SIZE)), dtype=torch.float32)
            output_grad = torch.tensor(rng.uniform(-0.01, 0.01, (batch, OUTPUT_SIZE)), dtype=torch.float32)
            result.append(Case(f"mlp/forward/h{hidden}/b{batch}", lambda n=network, x=inputs: forward(n, x)))
            result.append(Case(f"mlp/forward-backward/h{hidden}/b{batch}", lambda n=network, x=inputs, g=output_grad: forward_backward(n, x, g)))
    return result
