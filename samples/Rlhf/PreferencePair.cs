namespace Ppo.Samples.Rlhf;

/// <summary>Two reviews of which a person preferred <see cref="Chosen"/>.</summary>
public sealed record PreferencePair(int[] Chosen, int[] Rejected);
