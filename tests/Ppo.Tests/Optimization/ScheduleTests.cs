using Ppo.Optimization;

namespace Ppo.Tests.Optimization;

/// <summary>Checks <see cref="Schedule"/>: constant, linear and custom schedules over the remaining progress.</summary>
public sealed class ScheduleTests
{
    [Theory]
    [InlineData(1.0)]
    [InlineData(0.3)]
    [InlineData(0.0)]
    [InlineData(-2.0)]
    public void Constant_AnyProgress_ReturnsValue(double progressRemaining)
    {
        Assert.Equal(2.5e-4, Schedule.Constant(2.5e-4).ValueAt(progressRemaining));
    }

    [Theory]
    [InlineData(1.0, 1e-3)]
    [InlineData(0.5, 5e-4)]
    [InlineData(0.25, 2.5e-4)]
    [InlineData(0.0, 0.0)]
    public void Linear_ToZero_IsInitialTimesProgress(double progressRemaining, double expected)
    {
        Assert.Equal(expected, Schedule.Linear(1e-3).ValueAt(progressRemaining), 15);
    }

    [Theory]
    [InlineData(1.0, 0.3)]
    [InlineData(0.5, 0.2)]
    [InlineData(0.0, 0.1)]
    public void Linear_WithFinal_InterpolatesBetweenInitialAndFinal(double progressRemaining, double expected)
    {
        Assert.Equal(expected, Schedule.Linear(0.3, 0.1).ValueAt(progressRemaining), 15);
    }

    [Theory]
    [InlineData(1.5, 0.2)]
    [InlineData(-0.01, 0.0)]
    [InlineData(double.NegativeInfinity, 0.0)]
    [InlineData(double.NaN, 0.0)]
    public void Linear_ProgressOutsideUnitInterval_IsClamped(double progressRemaining, double expected)
    {
        Assert.Equal(expected, Schedule.Linear(0.2).ValueAt(progressRemaining));
    }

    [Fact]
    public void Custom_Function_ReceivesClampedProgress()
    {
        var seen = new List<double>();
        Schedule schedule = Schedule.Custom(
            progress =>
            {
                seen.Add(progress);
                return progress * progress;
            },
            "quadratic");

        Assert.Equal(0.25, schedule.ValueAt(0.5));
        Assert.Equal(1.0, schedule.ValueAt(3.0));
        Assert.Equal(0.0, schedule.ValueAt(-3.0));
        Assert.Equal([0.5, 1.0, 0.0], seen);
        Assert.Equal("quadratic", schedule.ToString());
    }

    [Fact]
    public void Custom_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => Schedule.Custom(null!));
        Assert.Throws<ArgumentNullException>(() => Schedule.Custom(p => p, null!));
    }

    [Fact]
    public void ImplicitConversion_FromDouble_IsConstant()
    {
        Schedule schedule = 3e-4;

        Assert.Equal(3e-4, schedule.ValueAt(1.0));
        Assert.Equal(3e-4, schedule.ValueAt(0.0));
        Assert.Equal(0.7, Schedule.FromDouble(0.7).ValueAt(0.2));
    }

    [Fact]
    public void ToString_BuiltInSchedules_DescribeThemselves()
    {
        Assert.Equal("0.0003", Schedule.Constant(3e-4).ToString());
        Assert.Equal("linear(0.001 → 0)", Schedule.Linear(1e-3).ToString());
    }
}
