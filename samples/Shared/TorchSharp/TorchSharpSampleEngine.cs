using System.CommandLine;
using Ppo.TorchSharp;

namespace Ppo.Samples;

/// <summary>
/// The TorchSharp engine as a sample's <c>--engine torchsharp</c>: Stable-Baselines3's <c>MlpPolicy</c> as TorchSharp
/// modules (<see cref="TorchPolicies.Mlp"/>) on the CPU, with <c>--torch-threads</c> libtorch threads.
/// </summary>
/// <remarks>
/// Only the samples that reference <c>Ppo.TorchSharp</c> and a native bundle compile this file. The managed default
/// never runs its lambdas, so a managed run loads neither TorchSharp nor libtorch.
/// </remarks>
internal static class TorchSharpSampleEngine
{
    /// <summary>Creates the engine and its option.</summary>
    public static SampleEngine Create()
    {
        Option<int> threads = SampleCommandLine.Integer("--torch-threads", "libtorch's CPU threads with --engine torchsharp", 1, 1, 256);
        return new SampleEngine
        {
            Name = TorchSharpLearner.LearnerKind,
            Options = [threads],
            CreateLearner = (parsed, environment, options) =>
                TorchSharpLearner.Create(environment.ObservationSpace, environment.ActionSpace, options, new TorchSharpOptions { Threads = parsed.GetValue(threads) }),
            RegisterCheckpointFactory = parsed =>
                TorchSharpLearner.RegisterFactory((observationSpace, actionSpace) => TorchPolicies.Mlp(observationSpace, actionSpace), new TorchSharpOptions { Threads = parsed.GetValue(threads) }),
            Unavailable = exception => exception is LibTorchUnavailableException ? exception.Message : null,
        };
    }
}
