namespace Ppo.Tensors;

/// <summary>The row counts 1 to 12 as <see cref="ITileRows"/> type arguments.</summary>
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

    /// <summary>Nine rows.</summary>
    internal readonly struct Nine : ITileRows { public static int Value => 9; }

    /// <summary>Ten rows.</summary>
    internal readonly struct Ten : ITileRows { public static int Value => 10; }

    /// <summary>Eleven rows.</summary>
    internal readonly struct Eleven : ITileRows { public static int Value => 11; }

    /// <summary>Twelve rows.</summary>
    internal readonly struct Twelve : ITileRows { public static int Value => 12; }
}
