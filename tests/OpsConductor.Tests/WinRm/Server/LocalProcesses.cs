namespace OpsConductor.Tests.WinRm.Server;

/// <summary>Whether a local process (one the test server started) still runs, read from /proc.</summary>
public static class LocalProcesses
{
    /// <summary>Running and not a zombie (a killed child its parent has not reaped yet counts as gone).</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            return !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Waits (generously, up to 10 s) for a killed process to disappear; fails if it never does.</summary>
    public static async Task AssertGoneAsync(int pid)
    {
        for (var i = 0; i < 200 && IsAlive(pid); i++)
        {
            await Task.Delay(50);
        }
        Assert.False(IsAlive(pid), $"process {pid} still runs");
    }
}
