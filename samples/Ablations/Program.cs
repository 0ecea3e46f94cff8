using Ppo.Samples.Ablations;

// Compares constant PPO clip ranges on CartPole-v1 over several seeds, and draws the clipped objective against the ratio.
return AblationsCommand.Run(args, Console.Out, Console.Error);
