using Ppo.Environments.ClassicControl;

namespace Ppo.Environments.Tests.ClassicControl;

public sealed class EnvironmentStateTests
{
    public static TheoryData<string> Names => ["CartPole", "Pendulum"];

    private static IEnvironment Create(string name) => name == "CartPole" ? new CartPole() : new Pendulum();

    [Theory, MemberData(nameof(Names))]
    public void LoadState_IntoAFreshEnvironment_ContinuesTheSameTrajectory(string name)
    {
        using IEnvironment original = Create(name), copy = Create(name);
        float[] observation = new float[original.ObservationSpace.Size], copied = new float[observation.Length];
        original.Reset(observation, seed: 4);
        original.Step(Action(original, 0), observation);

        using var state = new MemoryStream();
        ((IStatefulEnvironment)original).SaveState(new BinaryWriter(state));
        state.Position = 0;
        ((IStatefulEnvironment)copy).LoadState(new BinaryReader(state));

        for (int i = 1; i < 5; i++)
        {
            StepResult expected = original.Step(Action(original, i), observation);
            StepResult actual = copy.Step(Action(copy, i), copied);
            Assert.Equal(expected, actual);
            Assert.Equal(observation, copied);
        }

        original.Reset(observation);
        copy.Reset(copied);
        Assert.Equal(observation, copied);
    }

    [Fact]
    public void LoadState_NonFiniteState_IsRejected()
    {
        using var state = new MemoryStream();
        var writer = new BinaryWriter(state);
        writer.Write(double.NaN);
        writer.Write(0.0);
        state.Position = 0;
        using var pendulum = new Pendulum();

        Assert.Throws<InvalidDataException>(() => pendulum.LoadState(new BinaryReader(state)));
    }

    [Fact]
    public void SyncVectorEnvironment_CanSaveState_OnlyWhenEveryEnvironmentCan()
    {
        using var stateful = SyncVectorEnvironment.Create(2, _ => new CartPole());

        Assert.True(stateful.CanSaveState);
    }

    private static float[] Action(IEnvironment environment, int step) =>
        environment.ActionSpace is DiscreteSpace ? [step % 2] : [step * 0.5f - 1f];
}
