namespace OpsConductor.WinRmServer.Ntlm;

/// <summary>The names the CHALLENGE announces (target name and the MsvAvNb*/MsvAvDns* AV pairs).</summary>
public sealed record NtlmServerNames(string NetBiosComputer, string NetBiosDomain, string DnsComputer)
{
    public static NtlmServerNames Default { get; } = new("OPSC-WINRM", "OPSC", "opsc-winrm.test");
}
