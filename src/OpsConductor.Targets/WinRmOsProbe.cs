namespace OpsConductor.Targets;

/// <summary>
/// The one PowerShell call a WinRM check makes: the OS caption, version and build on one marked line. Windows answers
/// from <c>Win32_OperatingSystem</c>; where CIM is missing (PowerShell 7 on Linux, as the WinRM test server runs it)
/// it falls back to <c>[Environment]::OSVersion</c>, which on Linux reads like <c>Unix 6.1.0.0</c>.
/// </summary>
public static class WinRmOsProbe
{
    public const string Marker = "@@opsconductor-os@@";

    public const string Script =
        "$ErrorActionPreference = 'Stop'\n"
        + "try { $o = Get-CimInstance -ClassName Win32_OperatingSystem; $c = $o.Caption; $v = $o.Version; $b = $o.BuildNumber }\n"
        + "catch { $e = [Environment]::OSVersion; $c = $e.VersionString; $v = $e.Version.ToString(); $b = $e.Version.Build }\n"
        + "'" + Marker + "|' + ([string]$c).Trim() + '|' + $v + '|' + $b\n";

    /// <summary>
    /// The caption becomes the OS name, the version the OS version and <c>build N</c> the kernel field; null when
    /// the output has no marked line. The caption may contain <c>|</c>, so version and build are read from the right.
    /// </summary>
    public static OsFacts? Parse(string output)
    {
        var line = output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith(Marker + "|", StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }
        var fields = line[(Marker.Length + 1)..].Split('|');
        if (fields.Length < 3)
        {
            return null;
        }
        var build = fields[^1].Trim();
        var version = fields[^2].Trim();
        var caption = string.Join('|', fields[..^2]).Trim();
        return new OsFacts(Limit(caption, 200), Limit(version, 100), build.Length == 0 ? null : Limit("build " + build, 200));
    }

    static string? Limit(string value, int max) => value.Length == 0 ? null : value.Length <= max ? value : value[..max];
}
