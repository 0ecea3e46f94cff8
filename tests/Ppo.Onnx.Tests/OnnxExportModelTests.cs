using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;
using Ppo.Training;
using Ppo.Environments;
using Ppo.Policies;

namespace Ppo.Onnx.Tests;

/// <summary>The exported model's declared format, names and shapes, and the ways of saving it.</summary>
public sealed class OnnxExportModelTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ppo-onnx-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ToModel_AnyPolicy_ImportsOnlyTheDocumentedOpsetOfTheDefaultDomain()
    {
        ModelProto model = OnnxExport.ToModel(CartPolePolicy());

        OperatorSetIdProto opset = Assert.Single(model.OpsetImport);
        Assert.Equal(string.Empty, opset.Domain);
        Assert.Equal(15, opset.Version);
        Assert.Equal(OnnxExport.OpsetVersion, opset.Version);
        Assert.Equal(8, model.IrVersion);
        Assert.All(model.Graph.Node, node => Assert.Equal(string.Empty, node.Domain));
    }

    [Fact]
    public void ToModel_NormalizedContinuousPolicy_HoldsOnlyFloat32AndInt64Constants()
    {
        var policy = new TrainedPolicy(new ActorCritic(3, new BoxSpace(-2f, 2f, 1), seed: 1), new ObservationNormalizer(3));

        ModelProto model = OnnxExport.ToModel(policy);

        Assert.All(model.Graph.Initializer, tensor => Assert.Contains(tensor.DataType, new[] { (int)TensorProto.Types.DataType.Float, (int)TensorProto.Types.DataType.Int64 }));
        Assert.DoesNotContain(model.Graph.Node, node => node.OpType == "Cast" && node.Attribute.Single().I == (long)TensorProto.Types.DataType.Double);
    }

    [Fact]
    public void InferenceSession_DiscretePolicy_LoadsWithTheDocumentedInputAndOutputs()
    {
        using var session = new InferenceSession(OnnxExport.ToModel(CartPolePolicy()).ToByteArray());

        NodeMetadata input = Assert.Single(session.InputMetadata, entry => entry.Key == "observations").Value;
        Assert.Single(session.InputMetadata);
        Assert.Equal(typeof(float), input.ElementType);
        Assert.Equal([-1, 4], input.Dimensions);
        Assert.Equal(["actions", "logits", "values"], session.OutputNames.Order(StringComparer.Ordinal));
        Assert.Equal([-1, 1], session.OutputMetadata["actions"].Dimensions);
        Assert.Equal([-1, 2], session.OutputMetadata["logits"].Dimensions);
        Assert.Equal([-1], session.OutputMetadata["values"].Dimensions);
        Assert.All(session.OutputMetadata.Values, output => Assert.Equal(typeof(float), output.ElementType));
    }

    [Fact]
    public void InferenceSession_ContinuousPolicy_LoadsWithTheDocumentedInputAndOutputs()
    {
        var policy = new TrainedPolicy(new ActorCritic(8, new BoxSpace(-1f, 1f, 2), seed: 1), new ObservationNormalizer(8));
        using var session = new InferenceSession(OnnxExport.ToModel(policy).ToByteArray());

        Assert.Equal([-1, 8], Assert.Single(session.InputMetadata, entry => entry.Key == "observations").Value.Dimensions);
        Assert.Equal(["actions", "log_std", "mean", "values"], session.OutputNames.Order(StringComparer.Ordinal));
        Assert.Equal([-1, 2], session.OutputMetadata["actions"].Dimensions);
        Assert.Equal([-1, 2], session.OutputMetadata["mean"].Dimensions);
        Assert.Equal([-1, 2], session.OutputMetadata["log_std"].Dimensions);
        Assert.Equal([-1], session.OutputMetadata["values"].Dimensions);
    }

    [Fact]
    public void Names_Constants_AreTheDocumentedOnes()
    {
        Assert.Equal("observations", OnnxExport.ObservationsName);
        Assert.Equal("actions", OnnxExport.ActionsName);
        Assert.Equal("values", OnnxExport.ValuesName);
        Assert.Equal("logits", OnnxExport.LogitsName);
        Assert.Equal("mean", OnnxExport.MeanName);
        Assert.Equal("log_std", OnnxExport.LogStandardDeviationName);
    }

    [Fact]
    public void Save_ToPath_WritesAModelThatOnnxRuntimeLoadsAndLeavesNoTemporaryFile()
    {
        string path = Path.Combine(_directory, "nested", "cartpole.onnx");
        TrainedPolicy policy = CartPolePolicy();

        OnnxExport.Save(policy, path);
        OnnxExport.Save(policy, path);

        using (var session = new InferenceSession(path))
            Assert.Contains("actions", session.OutputNames);
        Assert.Equal(OnnxExport.ToModel(policy).ToByteArray(), File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void InferenceSession_TheReadmeLines_ReturnThePredictedAction()
    {
        string path = Path.Combine(_directory, "cartpole.onnx");
        TrainedPolicy policy = CartPolePolicy();
        OnnxExport.Save(policy, path);
        float[] observation = [0.01f, -0.2f, 0.03f, 0.3f];
        float[] expected = new float[1];
        policy.Predict(observation, expected);

        using var session = new InferenceSession(path);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("observations", new DenseTensor<float>(observation, [1, 4]))]);
        float action = results.First(result => result.Name == "actions").AsEnumerable<float>().First();

        Assert.Equal(expected[0], action);
    }

    [Fact]
    public void Save_ToStream_WritesTheModelAndLeavesTheStreamOpen()
    {
        TrainedPolicy policy = CartPolePolicy();
        using var stream = new MemoryStream();

        OnnxExport.Save(policy, stream);

        Assert.True(stream.CanWrite);
        Assert.Equal(OnnxExport.ToModel(policy).ToByteArray(), stream.ToArray());
    }

    [Fact]
    public void ToModel_PolicyTrainedFurtherAfterExport_KeepsTheExportedWeights()
    {
        TrainedPolicy policy = CartPolePolicy();
        byte[] before = OnnxExport.ToModel(policy).ToByteArray();
        ModelProto model = OnnxExport.ToModel(policy);

        ((ActorCritic)policy.Policy).Parameters.Values.Fill(0.5f);

        Assert.Equal(before, model.ToByteArray());
    }

    [Fact]
    public void Save_InvalidArguments_Throw()
    {
        TrainedPolicy policy = CartPolePolicy();

        Assert.Throws<ArgumentNullException>("policy", () => OnnxExport.ToModel(null!));
        Assert.Throws<ArgumentNullException>("stream", () => OnnxExport.Save(policy, (Stream)null!));
        Assert.Throws<ArgumentNullException>("path", () => OnnxExport.Save(policy, (string)null!));
        Assert.Throws<ArgumentException>("path", () => OnnxExport.Save(policy, " "));
    }

    private static TrainedPolicy CartPolePolicy() => new(new ActorCritic(4, new DiscreteSpace(2), seed: 7));
}
