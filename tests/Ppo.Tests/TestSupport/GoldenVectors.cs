using System.Text.Json;

namespace Ppo.Tests.TestSupport;

/// <summary>
/// The PyTorch reference values of <c>tests/oracle/golden.json</c>, copied next to the test assembly as
/// <c>oracle/golden.json</c> and parsed once. Every field is <c>{"shape", "data"}</c> with <c>data</c> flat and
/// row-major (<c>tests/oracle/README.md</c>); floats are the shortest decimals that read back as the stored float32.
/// </summary>
internal static class GoldenVectors
{
    private static readonly Lazy<Dictionary<string, Dictionary<string, Field>>> Document = new(Load);

    /// <summary>Gets the names of every case in the file, in file order.</summary>
    public static IReadOnlyCollection<string> CaseNames => Document.Value.Keys;

    /// <summary>Returns the names of the fields of <paramref name="caseName"/>, inputs first, in file order.</summary>
    public static IReadOnlyCollection<string> FieldNames(string caseName) => Case(caseName).Keys;

    /// <summary>Returns a copy of a field's elements as float32, row-major.</summary>
    public static float[] Data(string caseName, string field) => (float[])Get(caseName, field).Data.Clone();

    /// <summary>Returns a copy of a field's shape; a scalar has shape <c>[]</c>.</summary>
    public static int[] Shape(string caseName, string field) => (int[])Get(caseName, field).Shape.Clone();

    /// <summary>Returns the single element of a scalar field (shape <c>[]</c>).</summary>
    public static float Scalar(string caseName, string field)
    {
        Field value = Get(caseName, field);
        if (value.Shape.Length != 0)
            throw new InvalidOperationException($"{caseName}.{field} has shape [{string.Join(", ", value.Shape)}], not a scalar.");
        return value.Data[0];
    }

    /// <summary>Returns a scalar 0/1 option field as a boolean.</summary>
    public static bool Flag(string caseName, string field) => Scalar(caseName, field) switch
    {
        0f => false,
        1f => true,
        float other => throw new InvalidOperationException($"{caseName}.{field} is {other}, not 0 or 1."),
    };

    private static Dictionary<string, Field> Case(string caseName) =>
        Document.Value.TryGetValue(caseName, out Dictionary<string, Field>? fields)
            ? fields
            : throw new KeyNotFoundException($"golden.json has no case '{caseName}'.");

    private static Field Get(string caseName, string field) =>
        Case(caseName).TryGetValue(field, out Field? value)
            ? value
            : throw new KeyNotFoundException($"Case '{caseName}' of golden.json has no field '{field}'.");

    private static Dictionary<string, Dictionary<string, Field>> Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "oracle", "golden.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
        var cases = new Dictionary<string, Dictionary<string, Field>>(StringComparer.Ordinal);
        foreach (JsonProperty caseProperty in document.RootElement.GetProperty("cases").EnumerateObject())
        {
            var fields = new Dictionary<string, Field>(StringComparer.Ordinal);
            foreach (JsonProperty fieldProperty in caseProperty.Value.EnumerateObject())
                fields.Add(fieldProperty.Name, ReadField(caseProperty.Name, fieldProperty));
            cases.Add(caseProperty.Name, fields);
        }

        return cases;
    }

    private static Field ReadField(string caseName, JsonProperty property)
    {
        int[] shape = [.. property.Value.GetProperty("shape").EnumerateArray().Select(size => size.GetInt32())];
        float[] data = [.. property.Value.GetProperty("data").EnumerateArray().Select(datum => datum.GetSingle())];
        long count = 1;
        foreach (int size in shape)
            count *= size;
        if (count != data.Length)
            throw new InvalidDataException($"{caseName}.{property.Name} has shape [{string.Join(", ", shape)}] but {data.Length} elements.");
        return new Field(shape, data);
    }

    private sealed record Field(int[] Shape, float[] Data);
}
