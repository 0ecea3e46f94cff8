namespace Ppo.Onnx;

/// <summary>
/// The observation normalization of an exported policy: <c>clip((o − mean) / standardDeviation, ±clip)</c>, in double
/// precision as <see cref="Environments.ObservationNormalizer"/> computes it.
/// </summary>
/// <param name="Mean">The running mean of each observation element.</param>
/// <param name="StandardDeviation">Each element's <c>√(variance + ε)</c>, computed once in double precision.</param>
/// <param name="Clip">The bound on normalized values.</param>
internal sealed record ObservationNormalization(double[] Mean, double[] StandardDeviation, double Clip);
