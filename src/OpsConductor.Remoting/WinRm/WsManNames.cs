using System.Xml.Linq;

namespace OpsConductor.Remoting.WinRm;

/// <summary>The XML namespaces, actions and URIs of WS-Management and the Windows Remote Shell ([MS-WSMV], DMTF DSP0226).</summary>
public static class WsManNames
{
    public static readonly XNamespace Soap = "http://www.w3.org/2003/05/soap-envelope";
    public static readonly XNamespace Addressing = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
    public static readonly XNamespace WsMan = "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd";
    public static readonly XNamespace WsMv = "http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd";
    public static readonly XNamespace Shell = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell";
    public static readonly XNamespace Transfer = "http://schemas.xmlsoap.org/ws/2004/09/transfer";
    public static readonly XNamespace WsManFault = "http://schemas.microsoft.com/wbem/wsman/1/wsmanfault";
    public static readonly XNamespace Identity = "http://schemas.dmtf.org/wbem/wsman/identity/1/wsmanidentity.xsd";

    public const string AnonymousAddress = "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous";
    public const string CmdResourceUri = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd";

    public const string ActionCreate = "http://schemas.xmlsoap.org/ws/2004/09/transfer/Create";
    public const string ActionDelete = "http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete";
    public const string ActionCommand = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Command";
    public const string ActionSend = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Send";
    public const string ActionReceive = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Receive";
    public const string ActionSignal = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Signal";

    public const string ActionCreateResponse = "http://schemas.xmlsoap.org/ws/2004/09/transfer/CreateResponse";
    public const string ActionDeleteResponse = "http://schemas.xmlsoap.org/ws/2004/09/transfer/DeleteResponse";
    public const string ActionCommandResponse = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandResponse";
    public const string ActionSendResponse = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/SendResponse";
    public const string ActionReceiveResponse = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/ReceiveResponse";
    public const string ActionSignalResponse = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/SignalResponse";
    public const string ActionFault = "http://schemas.dmtf.org/wbem/wsman/1/wsman/fault";

    public const string SignalTerminate = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/terminate";
    public const string SignalCtrlC = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/ctrl_c";

    public const string CommandStateDone = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Done";
    public const string CommandStateRunning = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Running";
    public const string CommandStatePending = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Pending";

    public const string OptionNoProfile = "WINRS_NOPROFILE";
    public const string OptionCodePage = "WINRS_CODEPAGE";
    public const string OptionConsoleModeStdin = "WINRS_CONSOLEMODE_STDIN";
    public const string OptionSkipCmdShell = "WINRS_SKIP_CMD_SHELL";
    public const string OptionKeepAlive = "WSMAN_CMDSHELL_OPTION_KEEPALIVE";

    /// <summary>The Content-Type of a plain SOAP request or response.</summary>
    public const string SoapContentType = "application/soap+xml;charset=UTF-8";

    /// <summary>The path of the WS-Management listener.</summary>
    public const string Path = "/wsman";

    public static string SignalUri(WinRmSignal signal) => signal switch
    {
        WinRmSignal.Terminate => SignalTerminate,
        WinRmSignal.CtrlC => SignalCtrlC,
        _ => throw new ArgumentOutOfRangeException(nameof(signal)),
    };
}
