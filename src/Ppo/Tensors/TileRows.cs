namespace Ppo.Tensors;

/// <summary>The row counts 1 to 8 as <see cref="ITileRows"/> type arguments.</summary>
internal static class TileRows
{
    /// <summary>One row.</summary>
    internal readonly struct One : ITileRows { public static int Value => 1; }

    /// <summary>Two rows.</summary>
    internal readonly struct Two : ITileRows { public static int Value => 2; }

    /// <summary>Three rows.</summary>
    internal readonly struct Three : ITileRows { public static int Value => 3; }

    /// <summary>Four rows.</summary>
    internal readonly struct Four : ITileRows { public static int Value => 4; }

    /// <summary>Five rows.</summary>
    internal readonly struct Five : ITileRows { public static int Value => 5; }

    /// <summary>Six rows.</summary>
    internal readonly struct Six : ITileRows { public static int Value => 6; }

    /// <summary>Seven rows.</summary>
    internal readonly struct Seven : ITileRows { public static int Value => 7; }

    /// <summary>Eight rows.</summary>
    internal readonly struct Eight : ITileRows { public static int Value => 8; }
}
