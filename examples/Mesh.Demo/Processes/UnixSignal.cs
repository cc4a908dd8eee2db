using System.Runtime.InteropServices;

namespace Mesh.Demo;

/// <summary>SIGTERM for a child: .NET's <c>Process.Kill</c> only sends SIGKILL, which skips the sidecar's drain.</summary>
internal static class UnixSignal
{
    private const int SigTerm = 15;

    /// <summary>Sends SIGTERM to <paramref name="pid"/>; false where there are no signals (Windows) or it failed.</summary>
    public static bool TryTerminate(int pid) =>
        !OperatingSystem.IsWindows() && Kill(pid, SigTerm) == 0;

    // DllImport, not LibraryImport: int arguments need no marshalling, and the demo does not need unsafe code for it.
    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
