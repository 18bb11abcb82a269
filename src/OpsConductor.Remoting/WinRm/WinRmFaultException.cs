namespace OpsConductor.Remoting.WinRm;

/// <summary>
/// A SOAP fault the server answered: the SOAP code and subcode (for example <c>w:InvalidSelectors</c>), the
/// WSManFault code when present (for example 2150858843, shell not found) and the server's reason text.
/// </summary>
public sealed class WinRmFaultException(string code, string? subcode, uint? wsManCode, string reason)
    : Exception(FormatMessage(code, subcode, wsManCode, reason))
{
    /// <summary>w:TimedOut on Receive: the operation timeout passed with no output; not an error.</summary>
    public const uint OperationTimeoutCode = 2150858793;

    public string Code { get; } = code;

    public string? Subcode { get; } = subcode;

    public uint? WsManCode { get; } = wsManCode;

    public string Reason { get; } = reason;

    static string FormatMessage(string code, string? subcode, uint? wsManCode, string reason) =>
        $"WinRM fault {subcode ?? code}{(wsManCode is { } c ? $" (code {c})" : "")}: {reason}";
}
