using System.Runtime.InteropServices;

namespace OpsConductor.WinRmServer.Shells;

/// <summary>kill(2): commands run in their own process group (setsid), so a signal reaches the whole group.</summary>
static class UnixSignals
{
    public const int SigInt = 2;
    public const int SigKill = 9;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int Kill(int pid, int signal);

    /// <summary>Signals process group <paramref name="groupId"/>; false when it is gone.</summary>
    public static bool SignalGroup(int groupId, int signal) => Kill(-groupId, signal) == 0;
}
