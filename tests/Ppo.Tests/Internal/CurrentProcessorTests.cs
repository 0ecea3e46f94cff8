using System.Globalization;
using Ppo.Internal;

namespace Ppo.Tests.Internal;

public class CurrentProcessorTests
{
    [Fact]
    public void Id_NamesTheProcessorTheSystemReportsForThisThread()
    {
        // The thread may move between the two reads, so it is enough that they agree once in ten tries.
        bool agreed = false;
        for (int attempt = 0; attempt < 10 && !agreed; attempt++)
            agreed = CurrentProcessor.Id() == SystemReportedProcessor();

        Assert.True(agreed);
    }

    /// <summary>
    /// On Linux, field 39 of the thread's stat line: the processor it last ran on. Elsewhere the runtime's own answer.
    /// </summary>
    private static int SystemReportedProcessor()
    {
        if (!OperatingSystem.IsLinux())
            return Thread.GetCurrentProcessorId();

        string stat = File.ReadAllText("/proc/thread-self/stat");
        string[] fieldsAfterName = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fieldsAfterName[39 - 3], CultureInfo.InvariantCulture);
    }
}
