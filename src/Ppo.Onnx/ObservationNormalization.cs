namespace Ppo.Onnx;

/// <summary>
/// The observation normalization of an exported policy, <c>clip((o − mean) / standardDeviation, ±clip)</c>, with the
/// statistics of <see cref="Environments.ObservationNormalizer"/> rounded to float32.
/// </summary>
/// <param name="Mean">The running mean of each observation element.</param>
/// <param name="StandardDeviation">Each element's <c>√(variance + ε)</c>, computed in double precision, then rounded.</param>
/// <param name="Clip">The bound on normalized values.</param>
internal sealed record ObservationNormalization(float[] Mean, float[] StandardDeviation, float Clip);
