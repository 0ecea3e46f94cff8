using System.Runtime.InteropServices;

namespace Ppo.Environments.Box2D;

/// <summary>
/// The native Box2D shim (<c>libppo_box2d.so</c>, built from <c>Box2D/Native/ppo_box2d.cpp</c>) through source-generated
/// P/Invoke. The runtime finds it by name next to the assembly (or under <c>runtimes/linux-*/native</c> of the package).
/// </summary>
internal static partial class LunarLanderNative
{
    /// <summary>What to do when the shim or Box2D cannot be loaded.</summary>
    public const string MissingLibraryMessage =
        "LunarLander needs Box2D 2.4: install libbox2d-dev (apt-get install libbox2d-dev) and rebuild, "
        + "so that libppo_box2d.so is built and copied next to the application.";

    private const string LibraryName = "ppo_box2d";

    /// <summary>Creates an empty simulation with the given gravity; invalid when out of memory.</summary>
    /// <param name="gravity">The vertical gravity in m/s².</param>
    /// <returns>The owning handle.</returns>
    [LibraryImport(LibraryName, EntryPoint = "ppo_lunar_create")]
    public static partial LunarLanderWorldHandle Create(float gravity);

    /// <summary>Destroys a simulation and its world.</summary>
    /// <param name="simulation">The native pointer from <see cref="Create"/>.</param>
    [LibraryImport(LibraryName, EntryPoint = "ppo_lunar_destroy")]
    public static partial void Destroy(nint simulation);

    /// <summary>Builds a new episode's world and reads the lander state.</summary>
    /// <param name="simulation">The simulation.</param>
    /// <param name="terrainHeights">The 11 smoothed terrain heights in metres.</param>
    /// <param name="initialForceX">The initial random force on the lander, x, in newtons.</param>
    /// <param name="initialForceY">The initial random force on the lander, y, in newtons.</param>
    /// <param name="state">Receives the lander state.</param>
    /// <returns>0 on success, −1 when out of memory.</returns>
    [LibraryImport(LibraryName, EntryPoint = "ppo_lunar_reset")]
    public static partial int Reset(LunarLanderWorldHandle simulation, ReadOnlySpan<float> terrainHeights, float initialForceX, float initialForceY, out LunarLanderBodyState state);

    /// <summary>Applies one frame's wind and engine impulses, advances the world by 1/50 s and reads the lander state.</summary>
    /// <param name="simulation">The simulation.</param>
    /// <param name="command">The forces and impulses of the frame.</param>
    /// <param name="state">Receives the lander state.</param>
    [LibraryImport(LibraryName, EntryPoint = "ppo_lunar_step")]
    public static partial void Step(LunarLanderWorldHandle simulation, in LunarLanderCommand command, out LunarLanderBodyState state);
}
