using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Ppo.Training;

namespace Ppo.Onnx.Tests;

/// <summary>An exported policy loaded in ONNX Runtime, run on batches of raw observations.</summary>
internal sealed class OnnxPolicySession : IDisposable
{
    private readonly int _observationSize;

    public OnnxPolicySession(TrainedPolicy policy)
    {
        _observationSize = policy.Policy.ObservationSize;
        Session = new InferenceSession(OnnxExport.ToModel(policy).ToByteArray());
    }

    public InferenceSession Session { get; }

    /// <summary>Runs the model and returns every output by name, flattened row by row.</summary>
    public Dictionary<string, float[]> Run(ReadOnlySpan<float> observations)
    {
        int rowCount = observations.Length / _observationSize;
        var input = new DenseTensor<float>(observations.ToArray(), [rowCount, _observationSize]);
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = Session.Run([NamedOnnxValue.CreateFromTensor(OnnxExport.ObservationsName, input)]);
        var outputs = new Dictionary<string, float[]>();
        foreach (DisposableNamedOnnxValue result in results)
            outputs[result.Name] = result.AsEnumerable<float>().ToArray();
        return outputs;
    }

    public void Dispose() => Session.Dispose();
}
