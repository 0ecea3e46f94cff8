using System.Reflection;
using Google.Protobuf;
using Onnx;
using Ppo.Checkpoints;
using Ppo.Training;
using Ppo.Networks;

namespace Ppo.Onnx;

/// <summary>
/// Exports a <see cref="TrainedPolicy"/> of the managed engine to an ONNX model (opset <see cref="OpsetVersion"/>, default
/// domain only) that computes what <see cref="TrainedPolicy.Predict(ReadOnlySpan{float}, Span{float}, bool, Randomness.SeededRandom)"/> computes with <c>deterministic: true</c>, up to
/// float32 rounding.
/// </summary>
/// <remarks>
/// <para>The model has one input, <see cref="ObservationsName"/> (<c>float32 [batch, observation size]</c>, raw
/// observations; the batch dimension is dynamic), and these outputs:</para>
/// <list type="bullet">
/// <item><see cref="ActionsName"/>: <c>float32 [batch, action size]</c>, the deterministic action as <c>Predict</c> writes it:
/// for a discrete space one float holding the index of the largest logit (the first on a tie), for a box the mean of the
/// Gaussian clipped to the space's bounds.</item>
/// <item><see cref="LogitsName"/> (discrete): <c>float32 [batch, action count]</c>, the categorical distribution's logits.</item>
/// <item><see cref="MeanName"/> and <see cref="LogStandardDeviationName"/> (box): <c>float32 [batch, action size]</c> each, the
/// unclipped mean and the learned state-independent log standard deviation, repeated for every row.</item>
/// <item><see cref="ValuesName"/>: <c>float32 [batch]</c>, the critic's value of each observation.</item>
/// </list>
/// <para>When the policy was trained with an observation normalizer, the graph applies it first, as the normalizer does:
/// <c>clip((o − μ) / √(σ² + ε), −clip, clip)</c>, in float32 with the statistics rounded to float32. Hidden layers are
/// <c>Gemm</c> followed by <c>Tanh</c> or <c>Relu</c>, as the network has them. Every tensor is float32 or int64. The
/// model does not check its input: where <c>Predict</c> rejects a non-finite observation, the model returns NaN.</para>
/// </remarks>
public static class OnnxExport
{
    /// <summary>The version of the default ONNX operator set the model imports.</summary>
    public const int OpsetVersion = 15;

    /// <summary>The ONNX intermediate-representation version of the model (IR 8, which opset 15 belongs to).</summary>
    public const long IrVersion = (long)global::Onnx.Version.IrVersion2021730;

    /// <summary>The name of the input: raw observations, <c>float32 [batch, observation size]</c>.</summary>
    public const string ObservationsName = "observations";

    /// <summary>The name of the output holding the deterministic actions, <c>float32 [batch, action size]</c>.</summary>
    public const string ActionsName = "actions";

    /// <summary>The name of the output holding the values, <c>float32 [batch]</c>.</summary>
    public const string ValuesName = "values";

    /// <summary>The name of the output holding a discrete policy's logits, <c>float32 [batch, action count]</c>.</summary>
    public const string LogitsName = "logits";

    /// <summary>The name of the output holding a Gaussian policy's mean, <c>float32 [batch, action size]</c>.</summary>
    public const string MeanName = "mean";

    /// <summary>The name of the output holding a Gaussian policy's log standard deviation, <c>float32 [batch, action size]</c>.</summary>
    public const string LogStandardDeviationName = "log_std";

    /// <summary>Builds the ONNX model of <paramref name="policy"/>.</summary>
    /// <param name="policy">The policy to export; its parameters are copied, so later training does not change the model.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The policy's action space is neither a <c>DiscreteSpace</c> nor a <c>BoxSpace</c>.</exception>
    public static ModelProto ToModel(TrainedPolicy policy)
    {
        ExportedPolicy description = ExportedPolicy.From(policy);
        var builder = new GraphBuilder("ppo_policy");
        builder.Input(ObservationsName, description.ObservationSize);

        string features = description.Normalization is ObservationNormalization normalization
            ? Normalize(builder, normalization, description.ObservationSize)
            : ObservationsName;
        features = Dense(builder, "shared", description.SharedTrunk, features);
        string distribution = Dense(builder, "policy", description.PolicyNetwork, features);
        string values = Dense(builder, "value", description.ValueNetwork, features);

        if (description.IsDiscrete)
            DiscreteOutputs(builder, description, distribution);
        else
            ContinuousOutputs(builder, description, distribution);

        builder.Node("Squeeze", ValuesName, [values, builder.Constant("value.squeeze_axes", [1L], 1)]);
        builder.Output(ValuesName, null, "The critic's value of each observation.");

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "Ppo.Onnx",
            ProducerVersion = typeof(OnnxExport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? string.Empty,
            DocString = "A PPO actor-critic policy: deterministic actions, distribution parameters and values of raw observations.",
            Graph = builder.Graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = OpsetVersion });
        return model;
    }

    /// <summary>Writes the ONNX model of <paramref name="policy"/> to <paramref name="stream"/>.</summary>
    /// <param name="policy">The policy to export.</param>
    /// <param name="stream">A writable stream; it is left open.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The policy's action space is neither a <c>DiscreteSpace</c> nor a <c>BoxSpace</c>.</exception>
    public static void Save(TrainedPolicy policy, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ToModel(policy).WriteTo(stream);
    }

    /// <summary>
    /// Writes the ONNX model of <paramref name="policy"/> to the file <paramref name="path"/> with <see cref="AtomicFile"/>:
    /// through a temporary file in the same directory that is renamed into place, so that a reader never sees a partial
    /// model, after removing the temporary files of earlier exports that were killed.
    /// </summary>
    /// <param name="policy">The policy to export.</param>
    /// <param name="path">The model file (conventionally <c>*.onnx</c>); its directory is created if missing, an existing file is replaced.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, or the action space is neither discrete nor a box.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Save(TrainedPolicy policy, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ModelProto model = ToModel(policy);
        AtomicFile.Write(path, stream => model.WriteTo(stream));
    }

    /// <summary>Adds <c>clip((o − μ) / s, −clip, clip)</c> and returns the name of the normalized observations.</summary>
    /// <remarks>
    /// The normalizer computes in double precision; the graph computes in float32 because many runtimes that load ONNX
    /// (Unity Sentis, TensorRT, GPU back ends) have no float64 kernels. The difference is float32 rounding, the same size
    /// as the difference between ONNX Runtime's matrix products and the managed engine's.
    /// </remarks>
    private static string Normalize(GraphBuilder builder, ObservationNormalization normalization, int size)
    {
        string centered = builder.Node("Sub", "normalizer.centered", [ObservationsName, builder.Constant("normalizer.mean", normalization.Mean, size)]);
        string scaled = builder.Node("Div", "normalizer.scaled", [centered, builder.Constant("normalizer.standard_deviation", normalization.StandardDeviation, size)]);
        string low = builder.Constant("normalizer.clip_low", [-normalization.Clip]);
        string high = builder.Constant("normalizer.clip_high", [normalization.Clip]);
        return builder.Node("Clip", "normalizer.output", [scaled, low, high]);
    }

    /// <summary>Adds <c>Gemm</c> (with <c>W</c> transposed) and the activation of each layer; returns the last output's name.</summary>
    private static string Dense(GraphBuilder builder, string prefix, IReadOnlyList<DenseLayer> layers, string input)
    {
        string current = input;
        for (int i = 0; i < layers.Count; i++)
        {
            DenseLayer layer = layers[i];
            string weight = builder.Constant($"{prefix}.{i}.weight", layer.Weight, layer.OutputSize, layer.InputSize);
            string bias = builder.Constant($"{prefix}.{i}.bias", layer.Bias, layer.OutputSize);
            current = builder.Node("Gemm", $"{prefix}.{i}.linear", [current, weight, bias], GraphBuilder.IntAttribute("transB", 1));
            current = layer.Activation switch
            {
                null => current,
                ActivationFunction.Tanh => builder.Node("Tanh", $"{prefix}.{i}.tanh", [current]),
                ActivationFunction.Relu => builder.Node("Relu", $"{prefix}.{i}.relu", [current]),
                ActivationFunction other => throw new ArgumentException($"Activation {other} has no ONNX operator here.", nameof(layers)),
            };
        }

        return current;
    }

    /// <summary>Names the logits and adds the action: the first index of the largest logit, as a float.</summary>
    private static void DiscreteOutputs(GraphBuilder builder, ExportedPolicy description, string logits)
    {
        builder.Node("Identity", LogitsName, [logits]);
        builder.Output(LogitsName, description.ActionCount, "The logits of the categorical action distribution.");
        string index = builder.Node("ArgMax", "policy.mode", [logits], GraphBuilder.IntAttribute("axis", 1), GraphBuilder.IntAttribute("keepdims", 1));
        builder.Node("Cast", ActionsName, [index], GraphBuilder.IntAttribute("to", (long)TensorProto.Types.DataType.Float));
        builder.Output(ActionsName, 1, "The deterministic action: the index of the most probable action, as a float.");
    }

    /// <summary>Names the mean and log standard deviation and adds the action: the mean clipped to the action bounds.</summary>
    private static void ContinuousOutputs(GraphBuilder builder, ExportedPolicy description, string mean)
    {
        float[] low = description.ActionLow!, high = description.ActionHigh!;
        int size = low.Length;
        builder.Node("Identity", MeanName, [mean]);
        builder.Output(MeanName, size, "The mean of the diagonal Gaussian action distribution, before clipping.");
        string shape = builder.Node("Shape", "policy.mean_shape", [mean]);
        builder.Node("Expand", LogStandardDeviationName, [builder.Constant("policy.log_std", description.LogStandardDeviation!, size), shape]);
        builder.Output(LogStandardDeviationName, size, "The learned log standard deviation of the Gaussian, the same in every row.");
        string belowHigh = builder.Node("Min", "policy.clip_high", [mean, builder.Constant("policy.action_high", high, size)]);
        builder.Node("Max", ActionsName, [belowHigh, builder.Constant("policy.action_low", low, size)]);
        builder.Output(ActionsName, size, "The deterministic action: the mean clipped to the action space.");
    }
}
