using System.Buffers.Binary;
using System.Text.RegularExpressions;

namespace Ppo.TensorBoard.Tests;

public sealed class TensorBoardEventWriterTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2024, 5, 17, 12, 0, 0, 250, TimeSpan.Zero);

    private readonly string _folder = Directory.CreateTempSubdirectory("ppo-tensorboard-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static double UnixSeconds(DateTimeOffset time) => (time - DateTimeOffset.UnixEpoch).TotalSeconds;

    private TensorBoardEventWriter NewWriter(DateTimeOffset? time = null) =>
        new(_folder, new FixedClock(time ?? Noon));

    [Fact]
    public void BitwiseCrc32C_CheckString_MatchesTheStandardCheckValue()
    {
        Assert.Equal(0xE3069283u, EventFileReader.BitwiseCrc32C("123456789"u8));
        Assert.Equal(0u, EventFileReader.BitwiseCrc32C([]));
    }

    [Fact]
    public void Compute_Rfc3720Vectors_MasksThePublishedCrcs()
    {
        byte[] zeros = new byte[32], ones = new byte[32], increasing = new byte[32], decreasing = new byte[32];
        for (int i = 0; i < 32; i++)
        {
            ones[i] = 0xFF;
            increasing[i] = (byte)i;
            decreasing[i] = (byte)(31 - i);
        }

        Assert.Equal(Mask(0x8A9136AAu), MaskedCrc32C.Compute(zeros));
        Assert.Equal(Mask(0x62A8AB43u), MaskedCrc32C.Compute(ones));
        Assert.Equal(Mask(0x46DD794Eu), MaskedCrc32C.Compute(increasing));
        Assert.Equal(Mask(0x113FDB5Cu), MaskedCrc32C.Compute(decreasing));
        Assert.Equal(Mask(0xE3069283u), MaskedCrc32C.Compute("123456789"u8));
    }

    [Fact]
    public void Compute_EveryLengthUpTo64_MatchesTheBitwiseReference()
    {
        var random = new Random(1234);
        for (int length = 0; length <= 64; length++)
        {
            byte[] data = new byte[length];
            random.NextBytes(data);

            Assert.Equal(EventFileReader.MaskedCrc32C(data), MaskedCrc32C.Compute(data));
        }
    }

    private static uint Mask(uint crc) => unchecked(((crc >> 15) | (crc << 17)) + 0xA282EAD8u);

    [Fact]
    public void Constructor_NewWriter_WritesTheFileVersionEventFirst()
    {
        string path;
        using (TensorBoardEventWriter writer = NewWriter())
            path = writer.FilePath;

        DecodedEvent first = Assert.Single(EventFileReader.Read(path));
        Assert.Equal("brain.Event:2", first.FileVersion);
        Assert.Equal(UnixSeconds(Noon), first.WallTime, 6);
        Assert.Equal(0, first.Step);
        Assert.False(first.HasSummary);
    }

    [Fact]
    public void Constructor_FirstRecord_StartsWithTheBytesOfEveryTensorFlowEventFile()
    {
        string path;
        using (TensorBoardEventWriter writer = NewWriter())
            path = writer.FilePath;

        byte[] file = File.ReadAllBytes(path);
        int length = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);

        // A 24-byte event (wall_time and "brain.Event:2") and the masked CRC-32C of that length, as TensorFlow writes them.
        Assert.Equal([0x18, 0, 0, 0, 0, 0, 0, 0, 0xA3, 0x7F, 0x4B, 0x22], file[..12]);
        Assert.Equal(12 + length + 4, file.Length);
        Assert.Equal(EventFileReader.MaskedCrc32C(file.AsSpan(12, length)), BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(12 + length)));
    }

    [Fact]
    public void Constructor_FixedClock_NamesTheFileLikeTensorFlow()
    {
        using TensorBoardEventWriter writer = NewWriter();

        Assert.Equal(_folder, Path.GetDirectoryName(writer.FilePath));
        Assert.Equal($"events.out.tfevents.{Noon.ToUnixTimeSeconds()}.{Environment.MachineName}", Path.GetFileName(writer.FilePath));
    }

    [Fact]
    public void Constructor_SystemClock_NamesTheFileWithTheCurrentUnixSeconds()
    {
        long before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var writer = new TensorBoardEventWriter(_folder);
        long after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        Match match = Regex.Match(Path.GetFileName(writer.FilePath), @"^events\.out\.tfevents\.(\d{10})\.(.+)$");
        Assert.True(match.Success, writer.FilePath);
        Assert.InRange(long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), before, after);
        Assert.Equal(Environment.MachineName, match.Groups[2].Value);
    }

    [Fact]
    public void Constructor_SameSecondTwice_AddsASuffixInsteadOfOverwriting()
    {
        using TensorBoardEventWriter first = NewWriter();
        using TensorBoardEventWriter second = NewWriter();
        using TensorBoardEventWriter third = NewWriter();

        Assert.Equal(first.FilePath + ".1", second.FilePath);
        Assert.Equal(first.FilePath + ".2", third.FilePath);
        first.WriteScalar("a", 1, 1f);
        Assert.Equal(2, EventFileReader.Read(first.FilePath).Count);
        Assert.Single(EventFileReader.Read(second.FilePath));
    }

    [Fact]
    public void Constructor_MissingNestedDirectory_CreatesIt()
    {
        string nested = Path.Combine(_folder, "runs", "cartpole", "seed-1");

        using var writer = new TensorBoardEventWriter(nested);
        writer.WriteScalar("x", 1, 2f);

        Assert.Equal(nested, Path.GetDirectoryName(writer.FilePath));
        Assert.Equal(2, EventFileReader.Read(writer.FilePath).Count);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Constructor_BlankDirectory_Throws(string? directory)
    {
        Assert.ThrowsAny<ArgumentException>(() => new TensorBoardEventWriter(directory!));
    }

    [Fact]
    public void Constructor_NullTimeProvider_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new TensorBoardEventWriter(_folder, null!));
    }

    [Fact]
    public void WriteScalar_SeveralValues_RoundTripTagStepValueAndWallTime()
    {
        var clock = new FixedClock(Noon);
        using var writer = new TensorBoardEventWriter(_folder, clock);
        clock.Now = Noon.AddSeconds(1.5);
        writer.WriteScalar("train/value_loss", 2048, 0.125f);
        clock.Now = Noon.AddSeconds(3);
        writer.WriteScalar("rollout/ep_rew_mean", 5_000_000_000, -17.75f);
        writer.WriteScalar("zero", -3, 0f);
        writer.WriteScalar("nan", 7, float.NaN);
        writer.WriteScalar("ünïcode/タグ", 8, float.PositiveInfinity);

        List<DecodedEvent> events = EventFileReader.Read(writer.FilePath);

        Assert.Equal(6, events.Count);
        Assert.Equal((2048L, UnixSeconds(Noon) + 1.5), (events[1].Step, events[1].WallTime));
        Assert.Equal([("train/value_loss", 0.125f)], events[1].Scalars);
        Assert.Equal((5_000_000_000L, UnixSeconds(Noon) + 3), (events[2].Step, events[2].WallTime));
        Assert.Equal([("rollout/ep_rew_mean", -17.75f)], events[2].Scalars);
        Assert.Equal(-3, events[3].Step);
        Assert.Equal([("zero", 0f)], events[3].Scalars);
        Assert.True(float.IsNaN(Assert.Single(events[4].Scalars).Value));
        Assert.Equal([("ünïcode/タグ", float.PositiveInfinity)], events[5].Scalars);
        Assert.All(events.Skip(1), e => Assert.True(e.HasSummary && e.FileVersion is null));
    }

    [Fact]
    public void WriteScalar_SystemClock_StampsAPlausibleWallTime()
    {
        double before = UnixSeconds(DateTimeOffset.UtcNow);
        using var writer = new TensorBoardEventWriter(_folder);
        writer.WriteScalar("x", 1, 1f);
        double after = UnixSeconds(DateTimeOffset.UtcNow);

        Assert.All(EventFileReader.Read(writer.FilePath), e => Assert.InRange(e.WallTime, before, after));
    }

    [Fact]
    public void WriteScalars_OneStep_WritesOneEventWithEveryValueInOrder()
    {
        (string, float)[] scalars = [("train/loss", 1.5f), ("train/approx_kl", 0.01f), ("time/fps", 1234f)];
        using TensorBoardEventWriter writer = NewWriter();

        writer.WriteScalars(4096, scalars);

        List<DecodedEvent> events = EventFileReader.Read(writer.FilePath);
        Assert.Equal(2, events.Count);
        Assert.Equal(4096, events[1].Step);
        Assert.Equal(scalars, events[1].Scalars);
    }

    [Fact]
    public void WriteScalars_None_WritesNothing()
    {
        using TensorBoardEventWriter writer = NewWriter();

        writer.WriteScalars(10, []);

        Assert.Single(EventFileReader.Read(writer.FilePath));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void WriteScalars_NullOrEmptyTag_ThrowsAndWritesNothing(string? tag)
    {
        using TensorBoardEventWriter writer = NewWriter();

        var error = Assert.Throws<ArgumentException>(() => writer.WriteScalars(1, [("ok", 1f), (tag!, 2f)]));

        Assert.Equal("scalars", error.ParamName);
        Assert.Contains("scalar 1", error.Message, StringComparison.Ordinal);
        Assert.Single(EventFileReader.Read(writer.FilePath));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void WriteScalar_NullOrEmptyTag_Throws(string? tag)
    {
        using TensorBoardEventWriter writer = NewWriter();

        Assert.ThrowsAny<ArgumentException>(() => writer.WriteScalar(tag!, 1, 1f));
        Assert.Single(EventFileReader.Read(writer.FilePath));
    }

    [Fact]
    public void WriteScalars_NullScalars_Throws()
    {
        using TensorBoardEventWriter writer = NewWriter();

        Assert.Throws<ArgumentNullException>(() => writer.WriteScalars(1, null!));
    }

    [Fact]
    public void WriteScalar_WhileOpen_IsAlreadyOnDiskForAReader()
    {
        using TensorBoardEventWriter writer = NewWriter();

        writer.WriteScalar("live", 1, 1f);
        int afterFirst = EventFileReader.Read(writer.FilePath).Count;
        writer.WriteScalars(2, [("live", 2f), ("other", 3f)]);
        int afterSecond = EventFileReader.Read(writer.FilePath).Count;

        Assert.Equal((2, 3), (afterFirst, afterSecond));
    }

    [Fact]
    public void Dispose_AfterWrites_LeavesEveryEventInTheFile()
    {
        string path;
        using (TensorBoardEventWriter writer = NewWriter())
        {
            path = writer.FilePath;
            for (int step = 1; step <= 100; step++)
                writer.WriteScalars(step, [("a", step), ("b", -step)]);
        }

        List<DecodedEvent> events = EventFileReader.Read(path);
        Assert.Equal(101, events.Count);
        Assert.Equal([("a", 100f), ("b", -100f)], events[100].Scalars);
    }

    [Fact]
    public void Dispose_Twice_DoesNothing()
    {
        TensorBoardEventWriter writer = NewWriter();

        writer.Dispose();
        writer.Dispose();

        Assert.Single(EventFileReader.Read(writer.FilePath));
    }

    [Fact]
    public void Write_AfterDispose_ThrowsObjectDisposed()
    {
        TensorBoardEventWriter writer = NewWriter();
        writer.Dispose();

        Assert.Throws<ObjectDisposedException>(() => writer.WriteScalar("x", 1, 1f));
        Assert.Throws<ObjectDisposedException>(() => writer.WriteScalars(1, [("x", 1f)]));
        Assert.Throws<ObjectDisposedException>(writer.Flush);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
