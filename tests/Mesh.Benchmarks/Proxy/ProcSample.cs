using System.Globalization;

namespace Mesh.Benchmarks.Proxy;

/// <summary>
/// CPU time and memory of a process and its direct children (nginx's and haproxy's workers), read from
/// <c>/proc/&lt;pid&gt;/stat</c> (utime + stime) and <c>/proc/&lt;pid&gt;/status</c> (VmRSS, VmHWM).
/// </summary>
internal readonly record struct ProcSample(TimeSpan Cpu, long RssBytes, long HwmBytes)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux x64

    public static ProcSample Read(IReadOnlyCollection<int> roots)
    {
        var cpu = 0.0;
        long rss = 0, hwm = 0;
        foreach (var pid in WithChildren(roots))
        {
            cpu += ReadCpuSeconds(pid);
            rss += ReadStatusKb(pid, "VmRSS:") * 1024;
            hwm += ReadStatusKb(pid, "VmHWM:") * 1024;
        }

        return new ProcSample(TimeSpan.FromSeconds(cpu), rss, hwm);
    }

    /// <summary>The roots and every process whose parent is one of them (one level: workers of a master).</summary>
    public static List<int> WithChildren(IReadOnlyCollection<int> roots)
    {
        var pids = new List<int>(roots);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && !roots.Contains(pid) && ReadStatField(pid, 4) is { } parent
                && roots.Contains(int.Parse(parent, CultureInfo.InvariantCulture)))
            {
                pids.Add(pid);
            }
        }

        return pids;
    }

    private static double ReadCpuSeconds(int pid)
    {
        var utime = ReadStatField(pid, 14);
        var stime = ReadStatField(pid, 15);
        return utime is null || stime is null ? 0
            : (long.Parse(utime, CultureInfo.InvariantCulture) + long.Parse(stime, CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    // proc(5) numbering; the command (field 2) may hold spaces, so fields are counted after its closing parenthesis.
    private static string? ReadStatField(int pid, int field)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields[field - 3];
        }
        catch (IOException)
        {
            return null; // exited meanwhile
        }
    }

    private static long ReadStatusKb(int pid, string key)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(key, StringComparison.Ordinal))
                {
                    return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }
}
