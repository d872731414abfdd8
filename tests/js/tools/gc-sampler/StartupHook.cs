using System.Diagnostics;
using System.Globalization;

/// <summary>
/// Loaded by the runtime before Main when named in <c>DOTNET_STARTUP_HOOKS</c>. Every
/// <c>GC_SAMPLER_INTERVAL_MS</c> (default 1000) it overwrites <c>GC_SAMPLER_FILE</c> with one line:
/// <c>unixMs heapSizeBytes fragmentedBytes totalCommittedBytes gen0Count gen1Count gen2Count workingSetBytes</c>
/// (GC.GetGCMemoryInfo of the last collection, GC.CollectionCount, Environment.WorkingSet). Writes nothing
/// when the variable is unset; never throws into the host. With <c>GC_SAMPLER_FULL_GC_MS</c> &gt; 0 it also forces a
/// blocking, compacting gen2 collection that often (before the sample that follows it), so that the heap size
/// reported is the live set rather than live objects plus gen2 garbage a lightly loaded server may not collect for
/// many minutes; this perturbs the process (one full GC per period), so it is off unless asked for.
/// </summary>
internal static class StartupHook
{
    public static void Initialize()
    {
        var path = Environment.GetEnvironmentVariable("GC_SAMPLER_FILE");
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        var interval = int.TryParse(Environment.GetEnvironmentVariable("GC_SAMPLER_INTERVAL_MS"), out var ms) && ms > 0 ? ms : 1000;
        var fullGcEvery = int.TryParse(Environment.GetEnvironmentVariable("GC_SAMPLER_FULL_GC_MS"), out var full) && full > 0 ? full : 0;
        var thread = new Thread(() => Loop(path, interval, fullGcEvery)) { IsBackground = true, Name = "gc-sampler" };
        thread.Start();
    }

    private static void Loop(string path, int interval, int fullGcEvery)
    {
        var temp = path + ".tmp";
        var lastFullGc = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (fullGcEvery > 0 && lastFullGc.ElapsedMilliseconds >= fullGcEvery)
                {
                    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                    lastFullGc.Restart();
                }

                var info = GC.GetGCMemoryInfo();
                var line = string.Join(' ',
                    DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
                    info.HeapSizeBytes.ToString(CultureInfo.InvariantCulture),
                    info.FragmentedBytes.ToString(CultureInfo.InvariantCulture),
                    info.TotalCommittedBytes.ToString(CultureInfo.InvariantCulture),
                    GC.CollectionCount(0).ToString(CultureInfo.InvariantCulture),
                    GC.CollectionCount(1).ToString(CultureInfo.InvariantCulture),
                    GC.CollectionCount(2).ToString(CultureInfo.InvariantCulture),
                    Environment.WorkingSet.ToString(CultureInfo.InvariantCulture));
                File.WriteAllText(temp, line + "\n");
                File.Move(temp, path, overwrite: true);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                Debug.WriteLine(exception);
            }

            Thread.Sleep(interval);
        }
    }
}
