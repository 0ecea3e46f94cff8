using Ppo.Checkpoints;
using Ppo.Environments;
using Ppo.Losses;
using Ppo.Optimization;
using Ppo.Policies;
using Ppo.Randomness;
using Ppo.Rollouts;
using Ppo.Training;

namespace Ppo.Tests.Training.ForeignLearner;

/// <summary>
/// A deliberately simple engine that shares no code with the managed one's networks: for one-hot observations of
/// <c>n</c> states, a table of softmax logits per state and a table of values per state, trained by plain gradient
/// descent. It proves that <see cref="PpoTrainer"/> drives any <see cref="ILearner"/> end to end.
/// </summary>
internal sealed class TabularLearner : ILearner, IPolicy
{
    public const string LearnerKind = "test-tabular";
    private const string TableSection = "TABL";

    private readonly int _states;
    private readonly int _actions;
    private float[] _logProbabilities = [];
    private float[] _entropy = [];
    private float[] _values = [];
    private float[] _logProbabilityGradient = [];
    private float[] _valueGradient = [];
    private float[] _entropyGradient = [];
    private Minibatch? _lastMinibatch;

    public TabularLearner(int states, int actions)
    {
        _states = states;
        _actions = actions;
        Logits = new float[states * actions];
        StateValues = new float[states];
        Gradients = new float[Logits.Length + StateValues.Length];
        ActionSpace = new DiscreteSpace(actions);
    }

    public float[] Logits { get; }

    public float[] StateValues { get; }

    public float[] Gradients { get; }

    public int StepCount { get; private set; }

    public string Kind => LearnerKind;

    public IPolicy Policy => this;

    public int DistributionParameterSize => _actions;

    public int ObservationSize => _states;

    public Space ActionSpace { get; }

    public int ActionSize => 1;

    public void Reserve(int maxActRows, int maxMinibatchRows)
    {
        _logProbabilities = new float[maxMinibatchRows];
        _entropy = new float[maxMinibatchRows];
        _values = new float[maxMinibatchRows];
        _logProbabilityGradient = new float[maxMinibatchRows];
        _valueGradient = new float[maxMinibatchRows];
        _entropyGradient = new float[maxMinibatchRows];
    }

    public void Act(ReadOnlySpan<float> observations, SeededRandom random, Span<float> actions, Span<float> logProbabilities, Span<float> values, Span<float> distributionParameters)
    {
        Span<float> logP = stackalloc float[_actions];
        for (int row = 0; row < logProbabilities.Length; row++)
        {
            int state = StateOf(observations, row);
            LogSoftmax(state, logP);
            float draw = random.NextFloat(), cumulative = 0f;
            int action = _actions - 1;
            for (int a = 0; a < _actions; a++)
            {
                cumulative += MathF.Exp(logP[a]);
                if (draw < cumulative)
                {
                    action = a;
                    break;
                }
            }

            actions[row] = action;
            logProbabilities[row] = logP[action];
            values[row] = StateValues[state];
            if (!distributionParameters.IsEmpty)
                Logits.AsSpan(state * _actions, _actions).CopyTo(distributionParameters.Slice(row * _actions, _actions));
        }
    }

    public void PredictValues(ReadOnlySpan<float> observations, Span<float> values)
    {
        for (int row = 0; row < values.Length; row++)
            values[row] = StateValues[StateOf(observations, row)];
    }

    public PpoLossResult ComputeLoss(Minibatch minibatch, PpoLossSettings settings)
    {
        int rows = minibatch.RowCount;
        Span<float> logP = stackalloc float[_actions];
        for (int row = 0; row < rows; row++)
        {
            int state = StateOf(minibatch.Observations, row);
            LogSoftmax(state, logP);
            _logProbabilities[row] = logP[(int)minibatch.Actions[row]];
            _values[row] = StateValues[state];
            float entropy = 0f;
            for (int a = 0; a < _actions; a++)
                entropy -= MathF.Exp(logP[a]) * logP[a];
            _entropy[row] = entropy;
        }

        _lastMinibatch = minibatch;
        return PpoLoss.Compute(
            _logProbabilities.AsSpan(0, rows), minibatch.OldLogProbabilities, minibatch.Advantages, _values.AsSpan(0, rows), minibatch.OldValues, minibatch.Returns, _entropy.AsSpan(0, rows),
            settings, _logProbabilityGradient.AsSpan(0, rows), _valueGradient.AsSpan(0, rows), _entropyGradient.AsSpan(0, rows));
    }

    public float ApplyGradients(float maxGradientNorm, float learningRate)
    {
        Minibatch minibatch = _lastMinibatch ?? throw new InvalidOperationException("Compute a loss first.");
        Array.Clear(Gradients);
        Span<float> logP = stackalloc float[_actions];
        for (int row = 0; row < minibatch.RowCount; row++)
        {
            int state = StateOf(minibatch.Observations, row);
            int taken = (int)minibatch.Actions[row];
            LogSoftmax(state, logP);
            float entropy = _entropy[row];
            for (int a = 0; a < _actions; a++)
            {
                float p = MathF.Exp(logP[a]);
                float logProbabilityPart = _logProbabilityGradient[row] * ((a == taken ? 1f : 0f) - p);
                float entropyPart = _entropyGradient[row] * (-p * (logP[a] + entropy));
                Gradients[(state * _actions) + a] += logProbabilityPart + entropyPart;
            }

            Gradients[Logits.Length + state] += _valueGradient[row];
        }

        float norm = GradientClipping.ClipByGlobalNorm(Gradients, maxGradientNorm);
        for (int i = 0; i < Logits.Length; i++)
            Logits[i] -= learningRate * Gradients[i];
        for (int i = 0; i < StateValues.Length; i++)
            StateValues[i] -= learningRate * Gradients[Logits.Length + i];
        StepCount++;
        return norm;
    }

    public float MeanKlDivergence(Minibatch minibatch) => throw new NotSupportedException("The tabular learner trains only the clipped surrogate.");

    public void Save(CheckpointSections sections) => sections.Add(TableSection, writer =>
    {
        writer.Write(_states);
        writer.Write(_actions);
        writer.Write(StepCount);
        foreach (float value in Logits)
            writer.Write(value);
        foreach (float value in StateValues)
            writer.Write(value);
    });

    public void Predict(ReadOnlySpan<float> observations, Span<float> actions, bool deterministic = true, SeededRandom? random = null)
    {
        for (int row = 0; row < actions.Length; row++)
        {
            int state = StateOf(observations, row);
            int best = 0;
            for (int a = 1; a < _actions; a++)
            {
                if (Logits[(state * _actions) + a] > Logits[(state * _actions) + best])
                    best = a;
            }

            actions[row] = best;
        }
    }

    public void LogProbabilities(ReadOnlySpan<float> observations, ReadOnlySpan<float> actions, Span<float> logProbabilities)
    {
        Span<float> logP = stackalloc float[_actions];
        for (int row = 0; row < logProbabilities.Length; row++)
        {
            LogSoftmax(StateOf(observations, row), logP);
            logProbabilities[row] = logP[(int)actions[row]];
        }
    }

    private static TabularLearner Read(CheckpointSections sections) => sections.Read(TableSection, reader =>
    {
        var learner = new TabularLearner(reader.ReadInt32(), reader.ReadInt32()) { StepCount = reader.ReadInt32() };
        for (int i = 0; i < learner.Logits.Length; i++)
            learner.Logits[i] = reader.ReadSingle();
        for (int i = 0; i < learner.StateValues.Length; i++)
            learner.StateValues[i] = reader.ReadSingle();
        return learner;
    });

    private int StateOf(ReadOnlySpan<float> observations, int row) => observations.Slice(row * _states, _states).IndexOf(1f);

    private void LogSoftmax(int state, Span<float> logP)
    {
        ReadOnlySpan<float> logits = Logits.AsSpan(state * _actions, _actions);
        float max = float.NegativeInfinity;
        foreach (float logit in logits)
            max = MathF.Max(max, logit);
        float sum = 0f;
        foreach (float logit in logits)
            sum += MathF.Exp(logit - max);
        float logSum = max + MathF.Log(sum);
        for (int a = 0; a < _actions; a++)
            logP[a] = logits[a] - logSum;
    }

    /// <summary>Reads <see cref="LearnerKind"/> back from checkpoints.</summary>
    public sealed class Factory : ILearnerFactory
    {
        public string Kind => LearnerKind;

        public ILearner LoadLearner(CheckpointSections sections, PpoOptions options) => Read(sections);

        public IPolicy LoadPolicy(CheckpointSections sections) => Read(sections);
    }
}
