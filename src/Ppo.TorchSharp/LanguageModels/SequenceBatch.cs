using static TorchSharp.torch;

namespace Ppo.TorchSharp.LanguageModels;

/// <summary>
/// A batch of token sequences in host memory, each row a prompt followed by its response and then padding, all on the
/// right: row <c>b</c> holds its prompt at positions <c>0 … P_b − 1</c>, its response at <c>P_b … P_b + R_b − 1</c>,
/// and <see cref="PaddingToken"/> after that.
/// </summary>
/// <remarks>
/// Per-token quantities of PPO live on the <em>action grid</em> <c>[B, L − 1]</c>: column <c>j</c> is the choice of the
/// token at position <c>j + 1</c> from the model's outputs at position <c>j</c>. Response token <c>i</c> of row
/// <c>b</c> is column <c>P_b − 1 + i</c>; every other column (the prompt's and the padding's) is masked out of every
/// loss and statistic (<see cref="ActionMask"/>).
/// </remarks>
public sealed class SequenceBatch
{
    private readonly int[] _tokens;
    private readonly int[] _promptLengths;
    private readonly int[] _responseLengths;

    /// <summary>Creates a batch from its rows, back to back, and each row's prompt and response lengths.</summary>
    /// <param name="tokens">The token ids, <c>rowCount × length</c>, row-major.</param>
    /// <param name="length">The length <c>L</c> of every row, padding included.</param>
    /// <param name="promptLengths">Each row's prompt length, ≥ 1.</param>
    /// <param name="responseLengths">Each row's response length, ≥ 1, with prompt and response fitting in <paramref name="length"/>.</param>
    /// <param name="paddingToken">The token id after each response.</param>
    /// <exception cref="ArgumentException">The sizes disagree or a length is out of range.</exception>
    public SequenceBatch(int[] tokens, int length, int[] promptLengths, int[] responseLengths, int paddingToken)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(promptLengths);
        ArgumentNullException.ThrowIfNull(responseLengths);
        if (length < 2)
            throw new ArgumentOutOfRangeException(nameof(length), length, "A row holds at least a prompt token and a response token (length ≥ 2).");
        if (promptLengths.Length == 0 || promptLengths.Length != responseLengths.Length || tokens.Length != promptLengths.Length * length)
            throw new ArgumentException($"tokens must hold {promptLengths.Length} rows of {length} (has {tokens.Length}), with as many response lengths (has {responseLengths.Length}); at least one row.", nameof(tokens));
        for (int row = 0; row < promptLengths.Length; row++)
        {
            if (promptLengths[row] < 1 || responseLengths[row] < 1 || promptLengths[row] + responseLengths[row] > length)
                throw new ArgumentException($"Row {row} has a prompt of {promptLengths[row]} and a response of {responseLengths[row]} tokens; both must be ≥ 1 and together ≤ {length}.", nameof(promptLengths));
        }

        _tokens = tokens;
        _promptLengths = promptLengths;
        _responseLengths = responseLengths;
        Length = length;
        PaddingToken = paddingToken;
    }

    /// <summary>Builds a batch from prompts and their responses, padded on the right to the longest row.</summary>
    /// <param name="prompts">The prompts, each of at least one token.</param>
    /// <param name="responses">The responses, one per prompt, each of at least one token.</param>
    /// <param name="paddingToken">The token id after each response.</param>
    /// <returns>The batch.</returns>
    /// <exception cref="ArgumentException">The counts differ, there are none, or a prompt or response is empty.</exception>
    public static SequenceBatch FromPairs(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> responses, int paddingToken)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(responses);
        if (prompts.Count == 0 || prompts.Count != responses.Count)
            throw new ArgumentException($"One response per prompt is needed, and at least one pair ({prompts.Count} prompts, {responses.Count} responses).", nameof(responses));
        int length = 2;
        for (int row = 0; row < prompts.Count; row++)
            length = Math.Max(length, prompts[row].Length + responses[row].Length);
        int[] tokens = new int[prompts.Count * length];
        Array.Fill(tokens, paddingToken);
        int[] promptLengths = new int[prompts.Count], responseLengths = new int[prompts.Count];
        for (int row = 0; row < prompts.Count; row++)
        {
            prompts[row].CopyTo(tokens, row * length);
            responses[row].CopyTo(tokens, row * length + prompts[row].Length);
            promptLengths[row] = prompts[row].Length;
            responseLengths[row] = responses[row].Length;
        }

        return new SequenceBatch(tokens, length, promptLengths, responseLengths, paddingToken);
    }

    /// <summary>Gets the number of rows <c>B</c>.</summary>
    public int RowCount => _promptLengths.Length;

    /// <summary>Gets the length <c>L</c> of every row, padding included.</summary>
    public int Length { get; }

    /// <summary>Gets the token id that fills each row after its response.</summary>
    public int PaddingToken { get; }

    /// <summary>Gets every row's tokens, back to back.</summary>
    public ReadOnlySpan<int> Tokens => _tokens;

    /// <summary>Gets each row's prompt length.</summary>
    public ReadOnlySpan<int> PromptLengths => _promptLengths;

    /// <summary>Gets each row's response length.</summary>
    public ReadOnlySpan<int> ResponseLengths => _responseLengths;

    /// <summary>Returns the prompt of row <paramref name="row"/>.</summary>
    /// <param name="row">The row, in <c>[0, RowCount)</c>.</param>
    /// <returns>Its prompt tokens.</returns>
    public ReadOnlySpan<int> Prompt(int row) => _tokens.AsSpan(row * Length, _promptLengths[row]);

    /// <summary>Returns the response of row <paramref name="row"/>.</summary>
    /// <param name="row">The row, in <c>[0, RowCount)</c>.</param>
    /// <returns>Its response tokens.</returns>
    public ReadOnlySpan<int> Response(int row) => _tokens.AsSpan(row * Length + _promptLengths[row], _responseLengths[row]);

    /// <summary>Returns the batch restricted to some rows, in the given order, trimmed to the longest of them.</summary>
    /// <param name="rows">The rows to keep.</param>
    /// <returns>The smaller batch.</returns>
    public SequenceBatch Select(ReadOnlySpan<int> rows)
    {
        int length = 2;
        foreach (int row in rows)
            length = Math.Max(length, _promptLengths[row] + _responseLengths[row]);
        int[] tokens = new int[rows.Length * length];
        int[] prompts = new int[rows.Length], responses = new int[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            int row = rows[i];
            _tokens.AsSpan(row * Length, length).CopyTo(tokens.AsSpan(i * length, length));
            prompts[i] = _promptLengths[row];
            responses[i] = _responseLengths[row];
        }

        return new SequenceBatch(tokens, length, prompts, responses, PaddingToken);
    }

    /// <summary>The tokens as a tensor.</summary>
    /// <param name="device">Where the tensor lives.</param>
    /// <returns><c>[B, L]</c> int64.</returns>
    public Tensor TokenTensor(Device device)
    {
        long[] values = new long[_tokens.Length];
        for (int i = 0; i < values.Length; i++)
            values[i] = _tokens[i];
        return tensor(values, [RowCount, Length], device: device);
    }

    /// <summary>The response mask on the action grid: 1 at column <c>j</c> of row <c>b</c> when <c>P_b ≤ j + 1 &lt; P_b + R_b</c>, else 0.</summary>
    /// <param name="device">Where the tensor lives.</param>
    /// <returns><c>[B, L − 1]</c> float32.</returns>
    public Tensor ActionMask(Device device)
    {
        int columns = Length - 1;
        float[] mask = new float[RowCount * columns];
        for (int row = 0; row < RowCount; row++)
            mask.AsSpan(row * columns + _promptLengths[row] - 1, _responseLengths[row]).Fill(1f);
        return tensor(mask, [RowCount, columns], device: device);
    }

    /// <summary>The column of each row's last response token on the action grid, <c>P_b + R_b − 2</c>.</summary>
    /// <param name="device">Where the tensor lives.</param>
    /// <returns><c>[B]</c> int64.</returns>
    public Tensor LastActionColumns(Device device)
    {
        long[] columns = new long[RowCount];
        for (int row = 0; row < RowCount; row++)
            columns[row] = _promptLengths[row] + _responseLengths[row] - 2;
        return tensor(columns, device: device);
    }
}
