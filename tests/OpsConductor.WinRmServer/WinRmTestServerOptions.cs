using OpsConductor.WinRmServer.Ntlm;

namespace OpsConductor.WinRmServer;

/// <summary>How a <see cref="WinRmTestServer"/> listens, whom it accepts and how it runs commands.</summary>
public sealed record WinRmTestServerOptions
{
    public IReadOnlyList<WinRmTestUser> Users { get; init; } = [];

    /// <summary>Plain HTTP listeners (NTLM with message encryption only, as Windows with AllowUnencrypted=false).</summary>
    public int HttpListeners { get; init; }

    /// <summary>HTTPS listeners with the generated self-signed certificate (Basic and NTLM).</summary>
    public int HttpsListeners { get; init; } = 1;

    /// <summary>The first port; 0 takes free ports. With a fixed port, listener n uses Port + n (HTTPS after HTTP).</summary>
    public int Port { get; init; }

    /// <summary>The pwsh that <c>powershell.exe</c> maps to.</summary>
    public string PowerShell { get; init; } = DefaultPowerShell();

    /// <summary>The shell that runs every other command (<c>-c "command line"</c>).</summary>
    public string Shell { get; init; } = "/bin/sh";

    /// <summary>At most this many output bytes go into one Receive response, so long output spans many Receives.</summary>
    public int MaxReceiveBytes { get; init; } = 4096;

    public NtlmServerNames Names { get; init; } = NtlmServerNames.Default;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>OPSC_PWSH, else the repository's .tools/pwsh (scripts/install-test-deps.sh), else pwsh on PATH.</summary>
    public static string DefaultPowerShell()
    {
        if (Environment.GetEnvironmentVariable("OPSC_PWSH") is { Length: > 0 } configured)
        {
            return configured;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ".tools", "pwsh");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return "pwsh";
    }
}
