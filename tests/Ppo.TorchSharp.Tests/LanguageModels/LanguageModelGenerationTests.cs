using Ppo.Tests.TestSupport;
using Ppo.TorchSharp.LanguageModels;
using Ppo.TorchSharp.Tests.TestSupport;
using static TorchSharp.torch;

namespace Ppo.TorchSharp.Tests.LanguageModels;

/// <summary>Facts of batched generation: stop token, length range, greedy top-k = 1, nucleus, seeds, and the reported log-probabilities.</summary>
[Collection(TorchThreads.Collection)]
public sealed class LanguageModelGenerationTests
{
    private const int Vocabulary = 12;
    private const int Stop = 3;

    private static readonly int[][] Prompts = [[1, 2], [4], [5, 6, 7], [8], [9, 10], [11], [2, 2, 2], [6]];

    private static TransformerLanguageModel Model() =>
        new(new TransformerOptions { VocabularySize = Vocabulary, ContextLength = 16, EmbeddingSize = 16, HeadCount = 2, LayerCount = 2, Seed = 21 });

    /// <summary>A user's own module behind the contract: the small transformer with the stop token made likelier, so that rows stop at different lengths.</summary>
    private static StopBiasedModel ModelThatOftenStops() => new(Model(), bias: 0.5f);

    [Fact]
    public void Generate_StopToken_EndsEachResponseAtItsFirstStopToken()
    {
        using StopBiasedModel model = ModelThatOftenStops();
        var options = new GenerationOptions { StopToken = Stop, MaxResponseLength = 10, PaddingToken = 0 };

        GenerationResult result = LanguageModelGeneration.Generate(model, Prompts, options, new Generator(1));

        SequenceBatch batch = result.Batch;
        int stopped = 0;
        for (int row = 0; row < batch.RowCount; row++)
        {
            ReadOnlySpan<int> response = batch.Response(row);
            int firstStop = response.IndexOf(Stop);
            Assert.True(firstStop < 0 ? response.Length == options.MaxResponseLength : firstStop == response.Length - 1, $"Row {row}: {string.Join(' ', response.ToArray())}");
            stopped += firstStop >= 0 ? 1 : 0;
            int end = batch.PromptLengths[row] + batch.ResponseLengths[row];
            for (int position = end; position < batch.Length; position++)
                Assert.Equal(options.PaddingToken, batch.Tokens[row * batch.Length + position]);
            Assert.Equal(Prompts[row], batch.Prompt(row).ToArray());
        }

        Assert.InRange(stopped, 1, batch.RowCount - 1);
    }

    [Fact]
    public void Generate_LengthRange_EveryResponseWithinRange()
    {
        using StopBiasedModel model = ModelThatOftenStops();
        var options = new GenerationOptions { StopToken = Stop, MinResponseLength = 3, MaxResponseLength = 6 };

        for (int seed = 0; seed < 4; seed++)
        {
            SequenceBatch batch = LanguageModelGeneration.Generate(model, Prompts, options, new Generator((ulong)seed)).Batch;
            for (int row = 0; row < batch.RowCount; row++)
            {
                Assert.InRange(batch.ResponseLengths[row], 3, 6);
                Assert.True(batch.Response(row)[..2].IndexOf(Stop) < 0, "The stop token was sampled before the minimum length.");
            }
        }
    }

    [Fact]
    public void Generate_TopKOne_IsGreedy()
    {
        using TransformerLanguageModel model = Model();
        var options = new GenerationOptions { TopK = 1, Temperature = 1.7f, MaxResponseLength = 8 };

        SequenceBatch batch = LanguageModelGeneration.Generate(model, Prompts, options, new Generator(5)).Batch;

        using IDisposable noGradient = no_grad();
        long[] argmax = model.Forward(batch.TokenTensor(CPU)).Logits.argmax(-1).data<long>().ToArray();
        for (int row = 0; row < batch.RowCount; row++)
        {
            for (int i = 0; i < batch.ResponseLengths[row]; i++)
            {
                int position = batch.PromptLengths[row] + i;
                Assert.Equal(argmax[row * batch.Length + position - 1], batch.Tokens[row * batch.Length + position]);
            }
        }
    }

    [Fact]
    public void Generate_TopPTiny_IsGreedy()
    {
        using TransformerLanguageModel model = Model();
        SequenceBatch greedy = LanguageModelGeneration.Generate(model, Prompts, new GenerationOptions { TopK = 1, MaxResponseLength = 8 }, new Generator(1)).Batch;

        SequenceBatch nucleus = LanguageModelGeneration.Generate(model, Prompts, new GenerationOptions { TopP = 1e-4f, MaxResponseLength = 8 }, new Generator(2)).Batch;

        Assert.Equal(greedy.Tokens.ToArray(), nucleus.Tokens.ToArray());
    }

    [Fact]
    public void Generate_SameSeed_SameResponses()
    {
        using StopBiasedModel model = ModelThatOftenStops();
        var options = new GenerationOptions { StopToken = Stop, MaxResponseLength = 10, Temperature = 0.8f, TopK = 6, TopP = 0.9f };

        GenerationResult first = LanguageModelGeneration.Generate(model, Prompts, options, new Generator(9));
        GenerationResult second = LanguageModelGeneration.Generate(model, Prompts, options, new Generator(9));
        GenerationResult other = LanguageModelGeneration.Generate(model, Prompts, options, new Generator(10));

        Assert.Equal(first.Batch.Tokens.ToArray(), second.Batch.Tokens.ToArray());
        Assert.Equal(first.LogProbabilities, second.LogProbabilities);
        Assert.NotEqual(first.Batch.Tokens.ToArray(), other.Batch.Tokens.ToArray());
    }

    [Fact]
    public void Generate_ReportedLogProbabilitiesAndValues_MatchAForwardPassOverTheResult()
    {
        using StopBiasedModel model = ModelThatOftenStops();
        var options = new GenerationOptions { StopToken = Stop, MaxResponseLength = 10, Temperature = 0.7f, TopK = 5 };

        GenerationResult result = LanguageModelGeneration.Generate(model, Prompts, options, new Generator(4));

        using IDisposable noGradient = no_grad();
        Tensor tokens = result.Batch.TokenTensor(CPU);
        Tensor mask = result.Batch.ActionMask(CPU);
        (Tensor logits, Tensor values) = model.Forward(tokens);
        float[] expectedLogProbabilities = (TokenPpoLoss.TokenLogProbabilities(logits, tokens, options.Temperature) * mask).data<float>().ToArray();
        float[] expectedValues = (values.narrow(1, 0, result.Batch.Length - 1) * mask).contiguous().data<float>().ToArray();
        Tolerance.AssertClose(expectedLogProbabilities, result.LogProbabilities, 1e-5, "log-probabilities");
        Tolerance.AssertClose(expectedValues, result.Values, 1e-5, "values");
    }

    [Fact]
    public void Generate_PromptAndResponseLongerThanContext_Throws()
    {
        using TransformerLanguageModel model = Model();
        Assert.Throws<ArgumentException>(() => LanguageModelGeneration.Generate(model, [[1, 2, 3]], new GenerationOptions { MaxResponseLength = 14 }, new Generator(1)));
    }

    [Theory]
    [InlineData(0f, 0, 1f, 1, 4)]
    [InlineData(1f, -1, 1f, 1, 4)]
    [InlineData(1f, 0, 0f, 1, 4)]
    [InlineData(1f, 0, 1f, 0, 4)]
    [InlineData(1f, 0, 1f, 5, 4)]
    public void Validate_OutOfRange_Throws(float temperature, int topK, float topP, int minimum, int maximum)
    {
        var options = new GenerationOptions { Temperature = temperature, TopK = topK, TopP = topP, MinResponseLength = minimum, MaxResponseLength = maximum };
        Assert.Throws<ArgumentException>(() => options.Validate());
    }

    private sealed class StopBiasedModel : CausalLanguageModel
    {
        private readonly TransformerLanguageModel _inner;
        private readonly float _bias;

        public StopBiasedModel(TransformerLanguageModel inner, float bias)
            : base(nameof(StopBiasedModel))
        {
            _inner = inner;
            _bias = bias;
            register_module("inner", inner);
        }

        public override int VocabularySize => _inner.VocabularySize;

        public override int ContextLength => _inner.ContextLength;

        public override (Tensor Logits, Tensor Values) Forward(Tensor tokens)
        {
            (Tensor logits, Tensor values) = _inner.Forward(tokens);
            Tensor bias = arange(VocabularySize, dtype: ScalarType.Int64, device: logits.device).eq(Stop).to(ScalarType.Float32) * _bias;
            return (logits + bias, values);
        }
    }
}
