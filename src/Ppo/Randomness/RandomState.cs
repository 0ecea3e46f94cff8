namespace Ppo.Randomness;

/// <summary>The 256-bit state of a <see cref="SeededRandom"/>, saved in checkpoints to resume a run exactly.</summary>
/// <param name="S0">The first 64 bits of state.</param>
/// <param name="S1">The second 64 bits of state.</param>
/// <param name="S2">The third 64 bits of state.</param>
/// <param name="S3">The fourth 64 bits of state.</param>
public readonly record struct RandomState(ulong S0, ulong S1, ulong S2, ulong S3);
