using Ppo.Orleans.Workers;

namespace Ppo.Orleans.Tests.Workers;

public sealed class WorkerBalanceTests
{
    [Fact]
    public void Moves_ThirdSiloJoinsTwoOfThreeWorkers_MovesTheLastWorkerOfTheFullestSiloThere()
    {
        Assert.Equal([(2, 2)], WorkerBalance.Moves(["a", "b", "a"], ["a", "b", "c"]));
    }

    [Fact]
    public void Moves_Balanced_MovesNothing()
    {
        Assert.Empty(WorkerBalance.Moves(["a", "b", "a"], ["a", "b"]));
        Assert.Empty(WorkerBalance.Moves(["a", "b"], ["a", "b", "c"]));
        Assert.Empty(WorkerBalance.Moves(["a", "a"], ["a"]));
    }

    [Fact]
    public void Moves_TwoSilosJoinOne_FillsEachEmptySiloInAddressOrder()
    {
        Assert.Equal([(3, 1), (2, 2)], WorkerBalance.Moves(["a", "a", "a", "a"], ["a", "b", "c"]));
    }

    [Fact]
    public void Moves_WorkerOnALostSilo_LeavesItForRecovery()
    {
        Assert.Equal([(3, 1)], WorkerBalance.Moves(["a", "dead", "a", "a"], ["a", "b"]));
    }
}
