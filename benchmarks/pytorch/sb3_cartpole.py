"""Trains Stable-Baselines3's PPO on CartPole-v1 as rl-baselines3-zoo does (1e5 steps, hyperparams/ppo.yml) and prints
the training seconds, the figure the CartPole sample's "trained in" is compared with.

    python3 benchmarks/pytorch/sb3_cartpole.py [--seed 1] [--threads N] [--out sb3.json]

Needs stable_baselines3 and gymnasium importable (see benchmarks/README.md); compare.sh runs it only when they are.
"""

import argparse
import json
import sys
import time


def linear(initial):
    return lambda progress_remaining: progress_remaining * initial


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=0, help="torch threads; 0 keeps PyTorch's default, as the zoo runs")
    parser.add_argument("--out", help="a JSON file to write the result into")
    args = parser.parse_args()

    import torch
    import stable_baselines3
    from stable_baselines3 import PPO
    from stable_baselines3.common.env_util import make_vec_env

    if args.threads:
        torch.set_num_threads(args.threads)
    env = make_vec_env("CartPole-v1", n_envs=8, seed=args.seed)
    model = PPO("MlpPolicy", env, n_steps=32, batch_size=256, gae_lambda=0.8, gamma=0.98, n_epochs=20, ent_coef=0.0,
                learning_rate=linear(1e-3), clip_range=linear(0.2), seed=args.seed, device="cpu", verbose=0)
    start = time.perf_counter()
    model.learn(total_timesteps=100_000)
    seconds = time.perf_counter() - start
    result = {"stable_baselines3": stable_baselines3.__version__, "torch": torch.__version__,
              "threads": torch.get_num_threads(), "seed": args.seed, "timesteps": 100_000, "train_seconds": round(seconds, 3)}
    print(json.dumps(result))
    if args.out:
        with open(args.out, "w", encoding="utf-8") as file:
            json.dump(result, file, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
