using Ppo.Randomness;
using Ppo.TorchSharp.LanguageModels;
using Ppo.TorchSharp.Tests.TestSupport;
using static TorchSharp.torch;

namespace Ppo.TorchSharp.Tests.LanguageModels;

/// <summary>The transformer reward model: the Bradley–Terry loss, padding that does not matter, and learning a preference.</summary>
[Collection(TorchThreads.Collection)]
public sealed class TransformerRewardModelTests
{
    private static readonly float[] ChosenScores = [2f, -1f];
    private static readonly float[] RejectedScores = [0.5f, 1f];

    private static TransformerOptions Shape(ulong seed) => new() { VocabularySize = 8, ContextLength = 12, EmbeddingSize = 16, HeadCount = 2, LayerCount = 1, Seed = seed };

    [Fact]
    public void BradleyTerryLoss_KnownScores_IsMeanNegativeLogSigmoidOfTheMargin()
    {
        Tensor loss = TransformerRewardModel.BradleyTerryLoss(tensor(ChosenScores), tensor(RejectedScores));

        double expected = (Math.Log(1 + Math.Exp(-1.5)) + Math.Log(1 + Math.Exp(2))) / 2;
        Assert.Equal(expected, loss.item<float>(), 5);
    }

    [Fact]
    public void Score_MorePadding_SameScores()
    {
        using var model = new TransformerRewardModel(Shape(3));
        int[][] prompts = [[1, 2], [3]];
        int[][] responses = [[4, 5], [6, 7, 1, 2]];
        SequenceBatch tight = SequenceBatch.FromPairs(prompts, responses, paddingToken: 0);
        int[] tokens = new int[2 * 10];
        Array.Fill(tokens, 7);
        for (int row = 0; row < 2; row++)
            tight.Tokens.Slice(row * tight.Length, tight.PromptLengths[row] + tight.ResponseLengths[row]).CopyTo(tokens.AsSpan(row * 10));
        var loose = new SequenceBatch(tokens, 10, tight.PromptLengths.ToArray(), tight.ResponseLengths.ToArray(), paddingToken: 7);

        float[] expected = model.Score(tight), actual = model.Score(loose);

        Assert.Equal(expected[0], actual[0], 5);
        Assert.Equal(expected[1], actual[1], 5);
    }

    [Fact]
    public void Train_PreferenceForAToken_RanksHeldOutPairs()
    {
        // The people prefer the response with more 5s; the model must find that out from pairs alone.
        var random = new SeededRandom(11);
        List<PreferencePair> Pairs(int count)
        {
            var pairs = new List<PreferencePair>(count);
            while (pairs.Count < count)
            {
                int[] prompt = [1 + random.NextInt(3)];
                int[] a = Response(random), b = Response(random);
                int countA = a.Count(token => token == 5), countB = b.Count(token => token == 5);
                if (countA != countB)
                    pairs.Add(countA > countB ? new PreferencePair(prompt, a, b) : new PreferencePair(prompt, b, a));
            }

            return pairs;
        }

        List<PreferencePair> training = Pairs(600), heldOut = Pairs(200);
        using var model = new TransformerRewardModel(Shape(4));

        IReadOnlyList<float> losses = model.Train(training, epochs: 6, batchSize: 32, learningRate: 3e-3f, seed: 5);

        float[] chosen = model.Score(SequenceBatch.FromPairs([.. heldOut.Select(pair => pair.Prompt)], [.. heldOut.Select(pair => pair.Chosen)], 0));
        float[] rejected = model.Score(SequenceBatch.FromPairs([.. heldOut.Select(pair => pair.Prompt)], [.. heldOut.Select(pair => pair.Rejected)], 0));
        double accuracy = chosen.Zip(rejected).Count(pair => pair.First > pair.Second) / (double)heldOut.Count;
        Assert.True(losses[^1] < losses[0], $"The loss went from {losses[0]} to {losses[^1]}.");
        Assert.True(accuracy >= 0.9, $"Held-out accuracy {accuracy:P1} is below 90 %.");
    }

    private static int[] Response(SeededRandom random)
    {
        int[] response = new int[2 + random.NextInt(5)];
        for (int i = 0; i < response.Length; i++)
            response[i] = 4 + random.NextInt(4);
        return response;
    }
}
