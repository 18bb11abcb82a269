using System.Text;
using OpsConductor.Targets;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Targets;

/// <summary>The one PowerShell call of a WinRM check: its output parsed, and the script itself run by a real pwsh.</summary>
[Trait("Category", TestCategories.ProviderIndependent)]
public sealed class WinRmOsProbeTests
{
    [Theory]
    // What Win32_OperatingSystem answers on Windows Server 2022 and Windows 11.
    [InlineData("@@opsconductor-os@@|Microsoft Windows Server 2022 Standard|10.0.20348|20348\r\n",
        "Microsoft Windows Server 2022 Standard", "10.0.20348", "build 20348")]
    [InlineData("@@opsconductor-os@@|Microsoft Windows 11 Pro|10.0.22631|22631",
        "Microsoft Windows 11 Pro", "10.0.22631", "build 22631")]
    // Windows Server 2008 R2's caption ends in a space; older ones carry (R) signs.
    [InlineData("@@opsconductor-os@@|Microsoft Windows Server 2008 R2 Enterprise |6.1.7601|7601",
        "Microsoft Windows Server 2008 R2 Enterprise", "6.1.7601", "build 7601")]
    [InlineData("@@opsconductor-os@@|Microsoft® Windows Server® 2008 Standard|6.0.6002|6002",
        "Microsoft® Windows Server® 2008 Standard", "6.0.6002", "build 6002")]
    // A caption containing the separator: version and build are read from the right.
    [InlineData("@@opsconductor-os@@|Contoso | Hardened Windows|10.0.17763|17763", "Contoso | Hardened Windows", "10.0.17763", "build 17763")]
    // Other output around the marked line (a banner, a warning) is ignored.
    [InlineData("WARNING: something\n@@opsconductor-os@@|Microsoft Windows Server 2019 Datacenter|10.0.17763|17763\n\n",
        "Microsoft Windows Server 2019 Datacenter", "10.0.17763", "build 17763")]
    // The [Environment]::OSVersion fallback of pwsh on Linux.
    [InlineData("@@opsconductor-os@@|Unix 6.1.0.18|6.1.0.18|0", "Unix 6.1.0.18", "6.1.0.18", "build 0")]
    // An empty build leaves the kernel field alone.
    [InlineData("@@opsconductor-os@@|Windows|10.0|", "Windows", "10.0", null)]
    public void The_marked_line_gives_caption_version_and_build(string output, string name, string version, string? kernel)
    {
        var os = WinRmOsProbe.Parse(output);
        Assert.NotNull(os);
        Assert.Equal((name, version, kernel), (os.Name, os.Version, os.Kernel));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Microsoft Windows Server 2022 Standard|10.0.20348|20348")]
    [InlineData("@@opsconductor-os@@|only-a-caption")]
    [InlineData("The term 'Get-CimInstance' is not recognized")]
    public void Output_without_a_complete_marked_line_gives_nothing(string output) => Assert.Null(WinRmOsProbe.Parse(output));

    [Fact]
    public void Long_values_are_cut_to_the_column_sizes()
    {
        var os = WinRmOsProbe.Parse($"@@opsconductor-os@@|{new string('c', 300)}|{new string('9', 150)}|{new string('1', 250)}");
        Assert.Equal((200, 100, 200), (os!.Name!.Length, os.Version!.Length, os.Kernel!.Length));
    }

    /// <summary>
    /// The script as WinRmConnector runs it (<c>-NoProfile -NonInteractive -EncodedCommand</c>), in the pwsh the WinRM
    /// test server also uses: there is no CIM on Linux, so the fallback answers, with pwsh's own version numbers.
    /// </summary>
    [Fact]
    public async Task The_script_falls_back_to_the_environment_where_cim_is_missing()
    {
        var encoded = Convert.ToBase64String(Encoding.Unicode.GetBytes(WinRmOsProbe.Script));
        var result = await LocalProcess.RunAsync(LocalProcess.PowerShell, ["-NoProfile", "-NonInteractive", "-EncodedCommand", encoded]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var os = WinRmOsProbe.Parse(result.Stdout);
        Assert.NotNull(os);
        Assert.StartsWith("Unix ", os.Name);
        Assert.Equal(Environment.OSVersion.Version.ToString(), os.Version);
        Assert.Equal($"build {Environment.OSVersion.Version.Build}", os.Kernel);
    }
}
