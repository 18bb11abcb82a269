namespace OpsConductor.Tests.Infrastructure;

/// <summary>
/// An all-in-one host and one Windows target reached over SSH, played by a real sshd whose test user's login shell is
/// PowerShell: a ForceCommand wrapper runs every command as <c>pwsh -Command "..."</c> (what Windows OpenSSH does with
/// PowerShell as its DefaultShell), with a <c>powershell</c> on PATH that is pwsh (Windows' powershell.exe). No
/// Windows machine is involved: what runs is PowerShell 7 on Linux.
/// </summary>
public sealed class WindowsSshFixture : HostFixture, IWindowsTargetFixture
{
    public SshServer Server { get; private set; } = null!;
    public long TargetId { get; private set; }
    public long CredentialId { get; private set; }
    public string CredentialPassword => SshServer.Password;

    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["OpsConductor__Executor__OutputCapBytes"] = "20000",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var pwsh = Path.GetFullPath(LocalProcess.PowerShell);
        if (!File.Exists(pwsh))
        {
            throw new InvalidOperationException($"pwsh is not at {pwsh}: run scripts/install-test-deps.sh");
        }
        Server = await SshServer.StartAsync(
            extraConfig: directory => $"ForceCommand {Path.Combine(directory, "login-shell")}",
            prepare: async directory =>
            {
                var bin = Directory.CreateDirectory(Path.Combine(directory, "bin")).FullName;
                await Executable(Path.Combine(bin, "powershell"), $"#!/bin/sh\nexec '{pwsh}' \"$@\"\n");
                await Executable(Path.Combine(directory, "login-shell"), $"""
                    #!/bin/sh
                    export PATH='{bin}':"$PATH" POWERSHELL_TELEMETRY_OPTOUT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 POWERSHELL_UPDATECHECK=Off
                    exec '{pwsh}' -NoLogo -NoProfile -NonInteractive -Command "$SSH_ORIGINAL_COMMAND"

                    """);
            });
        using var admin = await AdminAsync();
        CredentialId = await Inventory.PasswordCredentialAsync(admin);
        TargetId = await Inventory.SshTargetAsync(admin, CredentialId, Server.Port, hostKeyFingerprint: Server.HostKeyFingerprint, osType: "windows");
    }

    static async Task Executable(string path, string text)
    {
        await File.WriteAllTextAsync(path, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        }
    }

    public override async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
        await base.DisposeAsync();
    }
}
