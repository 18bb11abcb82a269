namespace OpsConductor.Remoting.WinRm;

/// <summary>The signals a command accepts (http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/...).</summary>
public enum WinRmSignal
{
    Terminate,
    CtrlC,
}
