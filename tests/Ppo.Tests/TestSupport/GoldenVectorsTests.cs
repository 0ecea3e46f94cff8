namespace Ppo.Tests.TestSupport;

/// <summary>Checks that the golden vectors load as <c>tests/oracle/README.md</c> describes them.</summary>
public sealed class GoldenVectorsTests
{
    [Fact]
    public void CaseNames_GoldenFile_HoldsEveryOracleCase()
    {
        string[] expected =
        [
            "linear", "mlp_tanh", "mlp_relu", "log_softmax", "categorical", "gaussian", "clipped_surrogate",
            "clipped_surrogate_normalized", "value_loss", "value_loss_clipped", "gae", "adam", "adam_clipped",
            "categorical_kl", "gaussian_kl", "ppo_total_loss", "masked_categorical", "multi_categorical",
            "masked_multi_categorical", "bernoulli", "bernoulli_kl",
        ];

        Assert.Equal(expected, GoldenVectors.CaseNames);
    }

    [Fact]
    public void Accessors_LinearCase_ReturnShapesDataAndScalars()
    {
        Assert.Equal([5, 3], GoldenVectors.Shape("linear", "x"));
        Assert.Equal(15, GoldenVectors.Data("linear", "x").Length);
        Assert.Equal(-1.3905061f, GoldenVectors.Data("linear", "x")[0]);
        Assert.Equal(0.2f, GoldenVectors.Scalar("clipped_surrogate", "clip_range"));
        Assert.Empty(GoldenVectors.Shape("clipped_surrogate", "clip_range"));
        Assert.True(GoldenVectors.Flag("clipped_surrogate_normalized", "normalize_advantage"));
        Assert.False(GoldenVectors.Flag("clipped_surrogate", "normalize_advantage"));
        Assert.Equal(["x", "weight", "bias", "grad_output", "output", "grad_input", "grad_weight", "grad_bias"], GoldenVectors.FieldNames("linear"));
    }

    [Fact]
    public void Data_Modified_DoesNotChangeTheStoredValues()
    {
        float[] first = GoldenVectors.Data("value_loss", "values");
        first[0] = 1e30f;

        Assert.NotEqual(1e30f, GoldenVectors.Data("value_loss", "values")[0]);
    }

    [Fact]
    public void Accessors_UnknownNamesOrWrongKind_Throw()
    {
        Assert.Throws<KeyNotFoundException>(() => GoldenVectors.Data("no_such_case", "x"));
        Assert.Throws<KeyNotFoundException>(() => GoldenVectors.Data("linear", "no_such_field"));
        Assert.Throws<InvalidOperationException>(() => GoldenVectors.Scalar("linear", "x"));
        Assert.Throws<InvalidOperationException>(() => GoldenVectors.Flag("gae", "gamma"));
    }
}
