using System.Text.Json;
using Ppo.TorchSharp.LanguageModels;
using static TorchSharp.torch;

namespace Ppo.TorchSharp.Tests.LanguageModels;

/// <summary>
/// The case of <c>tests/oracle/token_ppo.json</c> (written by <c>tests/oracle/generate_token_ppo.py</c>, in the format of
/// <c>tests/oracle/README.md</c>): a small model's weights, a batch, the rollout's inputs and TRL-style outputs.
/// </summary>
internal sealed class TokenPpoGolden
{
    private static readonly Lazy<TokenPpoGolden> Loaded = new(Load);

    private readonly Dictionary<string, (long[] Shape, float[] Data)> _fields;

    private TokenPpoGolden(Dictionary<string, (long[] Shape, float[] Data)> fields) => _fields = fields;

    /// <summary>Gets the parsed case.</summary>
    public static TokenPpoGolden Case => Loaded.Value;

    /// <summary>Gets the names of the fields, in file order.</summary>
    public IEnumerable<string> FieldNames => _fields.Keys;

    /// <summary>Returns a copy of a field's elements.</summary>
    public float[] Data(string field) => (float[])_fields[field].Data.Clone();

    /// <summary>Returns a field as a CPU float32 tensor of its shape.</summary>
    public Tensor Tensor(string field) => tensor(Data(field), _fields[field].Shape);

    /// <summary>Returns the single element of a scalar field.</summary>
    public float Scalar(string field) => _fields[field].Data[0];

    /// <summary>Returns an integer field as ints.</summary>
    public int[] Integers(string field) => [.. _fields[field].Data.Select(value => (int)value)];

    /// <summary>The model of the case, with the stored weights.</summary>
    public TransformerLanguageModel Model()
    {
        var model = new TransformerLanguageModel(new TransformerOptions
        {
            VocabularySize = (int)Scalar("vocabulary_size"),
            ContextLength = (int)Scalar("context_length"),
            EmbeddingSize = (int)Scalar("embedding_size"),
            HeadCount = (int)Scalar("head_count"),
            LayerCount = (int)Scalar("layer_count"),
        });
        int assigned = 0;
        using (no_grad())
        {
            foreach ((string name, global::TorchSharp.Modules.Parameter parameter) in model.named_parameters())
            {
                parameter.copy_(Tensor("param." + name));
                assigned++;
            }
        }

        Assert.Equal(FieldNames.Count(name => name.StartsWith("param.", StringComparison.Ordinal)), assigned);
        return model;
    }

    /// <summary>The batch of the case.</summary>
    public SequenceBatch Batch()
    {
        return new SequenceBatch(Integers("tokens"), (int)_fields["tokens"].Shape[1], Integers("prompt_lengths"), Integers("response_lengths"), (int)Scalar("padding_token"));
    }

    private static TokenPpoGolden Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "oracle", "token_ppo.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
        var fields = new Dictionary<string, (long[], float[])>(StringComparer.Ordinal);
        foreach (JsonProperty field in document.RootElement.GetProperty("cases").GetProperty("token_ppo").EnumerateObject())
        {
            long[] shape = [.. field.Value.GetProperty("shape").EnumerateArray().Select(size => size.GetInt64())];
            float[] data = [.. field.Value.GetProperty("data").EnumerateArray().Select(datum => datum.GetSingle())];
            fields.Add(field.Name, (shape, data));
        }

        return new TokenPpoGolden(fields);
    }
}
