using Ppo.Environments.ClassicControl;
using Ppo.Samples;
using Ppo.Training;

return new SampleRun
{
    Command = "dotnet run -c Release --project samples/CartPole",
    Description = "Trains PPO on CartPole-v1 with the rl-baselines3-zoo hyperparameters, then evaluates 100 deterministic episodes.",
    SolvedAt = 475,
    DefaultTimesteps = 100_000,
    Engines = [TorchSharpSampleEngine.Create()],
    DefaultNumEnvs = 8,
    EnvironmentName = _ => "CartPole-v1",
    CreateEnvironment = _ => new CartPole(),
    Options = _ => ZooPresets.CartPole,
}.Run(args);
