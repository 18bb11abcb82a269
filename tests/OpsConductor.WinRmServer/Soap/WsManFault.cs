namespace OpsConductor.WinRmServer.Soap;

/// <summary>
/// A SOAP fault as Windows answers it: HTTP status, SOAP code, subcode, WSManFault code and message; the s:Reason
/// text when Windows writes a more generic one than the message, and the w:FaultDetail URI.
/// </summary>
public sealed record WsManFault(int HttpStatus, string Code, string Subcode, uint? WsManCode, string Message, string? Reason = null, string? Detail = null)
{
    const string InvalidSelectorsReason = "The WS-Management service cannot process the request because the request contained invalid selectors for the resource. ";
    const string UnexpectedSelectors = "http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/UnexpectedSelectors";

    /// <summary>Receive waited OperationTimeout with no output: "no output yet", the client receives again.</summary>
    public static WsManFault OperationTimeout() => new(500, "s:Receiver", "w:TimedOut", 2150858793,
        "The WS-Management service cannot complete the operation within the time specified in OperationTimeout.  ");

    public static WsManFault ShellNotFound(string? shellId) => new(500, "s:Sender", "w:InvalidSelectors", 2150858843,
        $"The request for the Windows Remote Shell with ShellId {shellId} failed because the shell was not found on the server. "
        + "Possible causes are: the specified ShellId is incorrect or the shell no longer exists on the server. "
        + "Provide the correct ShellId or create a new shell and try again. ", InvalidSelectorsReason, UnexpectedSelectors);

    /// <summary>An unknown CommandId: InvalidSelectors too, as recorded from Windows (pypsrp test_winrs_bad_cmd_id).</summary>
    public static WsManFault CommandNotFound(string? commandId) => new(500, "s:Sender", "w:InvalidSelectors", 2150858843,
        "The Windows Remote Shell received a request to perform an operation on a command identifier that does not exist. "
        + $"Either the command has completed execution or the client specified an invalid command identifier ({commandId}). ",
        InvalidSelectorsReason, UnexpectedSelectors);

    public static WsManFault ActionNotSupported(string? action) => new(500, "s:Sender", "a:ActionNotSupported", null,
        $"The action is not supported by the service: {action}");

    public static WsManFault DestinationUnreachable(string? resourceUri) => new(500, "s:Sender", "w:DestinationUnreachable", 2150858770,
        $"The WS-Management service cannot process the request. The resource URI ({resourceUri}) was not found in the WS-Management catalog. ");

    public static WsManFault InvalidHeader(string what) => new(500, "s:Sender", "a:InvalidMessageInformationHeader", null,
        $"The WS-Management service cannot process the request because a header is missing or invalid: {what}");

    public static WsManFault Malformed(string what) => new(400, "s:Sender", "w:SchemaValidationError", null,
        $"The WS-Management service cannot process the request because the XML is invalid: {what}");

    public static WsManFault InvalidWorkingDirectory(string directory) => new(500, "s:Receiver", "w:InternalError", 267,
        $"The directory name is invalid: {directory}");

    public static WsManFault UnencryptedRefused() => new(500, "s:Sender", "w:AccessDenied", 5,
        "The WinRM service refuses unencrypted traffic on this HTTP listener (AllowUnencrypted=false): use message encryption or HTTPS.");

    public static WsManFault CannotStart(string why) => new(500, "s:Receiver", "w:InternalError", 2,
        $"The command could not be started: {why}");
}
