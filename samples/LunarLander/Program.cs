using System.CommandLine;
using Ppo.Environments.Box2D;
using Ppo.Samples;
using Ppo.Training;

Option<bool> continuous = SampleCommandLine.Flag("--continuous", "LunarLanderContinuous-v3 (two throttles) instead of LunarLander-v3 (four actions)");
return new SampleRun
{
    Command = "dotnet run -c Release --project samples/LunarLander",
    Description = "Trains PPO on LunarLander-v3 (or LunarLanderContinuous-v3) with the rl-baselines3-zoo hyperparameters, then evaluates 100 deterministic episodes.",
    SolvedAt = 200,
    DefaultTimesteps = 1_000_000,
    Engines = [TorchSharpSampleEngine.Create()],
    DefaultNumEnvs = 16,
    StepInParallel = true,
    ExtraOptions = [continuous],
    EnvironmentName = parsed => parsed.GetValue(continuous) ? "LunarLanderContinuous-v3" : "LunarLander-v3",
    CreateEnvironment = parsed => new LunarLander(new LunarLanderOptions { Continuous = parsed.GetValue(continuous) }),
    Options = parsed => parsed.GetValue(continuous) ? ZooPresets.LunarLanderContinuous : ZooPresets.LunarLander,
}.Run(args);
