using System.Collections.Concurrent;
using System.Xml.Linq;
using OpsConductor.Remoting.WinRm;
using OpsConductor.WinRmServer.Soap;

namespace OpsConductor.WinRmServer.Shells;

/// <summary>
/// The WinRS shell resource ([MS-WSMV] 3.1.4.1 - 3.1.4.15): Create, Command, Send, Receive, Signal and Delete on
/// http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd, with the faults Windows answers.
/// </summary>
public sealed class ShellService(WinRmTestServerOptions options, string defaultDirectory) : IDisposable
{
    static readonly XNamespace Rsp = WsManNames.Shell;
    static readonly XNamespace W = WsManNames.WsMan;
    static readonly XNamespace A = WsManNames.Addressing;

    readonly ConcurrentDictionary<string, TestShell> _shells = new(StringComparer.OrdinalIgnoreCase);

    int _waitingReceives;

    /// <summary>Shells created and not yet deleted.</summary>
    public int LiveShellCount => _shells.Count;

    /// <summary>Receive requests waiting for output right now (long-polling).</summary>
    public int WaitingReceives => Volatile.Read(ref _waitingReceives);

    public async Task<WsManReply> HandleAsync(WsManRequest request, string user, Uri address, CancellationToken ct)
    {
        try
        {
            return request.Action switch
            {
                WsManRequest.IdentifyAction => WsManReply.Identify(),
                WsManNames.ActionCreate => Create(request, user, address),
                WsManNames.ActionCommand => Command(request),
                WsManNames.ActionSend => await SendAsync(request),
                WsManNames.ActionReceive => await ReceiveAsync(request, ct),
                WsManNames.ActionSignal => Signal(request),
                WsManNames.ActionDelete => Delete(request),
                _ => Fault(request, WsManFault.ActionNotSupported(request.Action)),
            };
        }
        catch (FormatException e)
        {
            return Fault(request, WsManFault.Malformed(e.Message));
        }
    }

    WsManReply Fault(WsManRequest request, WsManFault fault) => WsManReply.Fault(fault, request.MessageId, options.Names.DnsComputer);

    bool WrongResource(WsManRequest request, out WsManReply fault)
    {
        fault = null!;
        if (string.Equals(request.ResourceUri, WsManNames.CmdResourceUri, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        fault = Fault(request, WsManFault.DestinationUnreachable(request.ResourceUri));
        return true;
    }

    bool FindShell(WsManRequest request, out TestShell shell, out WsManReply fault)
    {
        fault = null!;
        if (request.ShellId is { } id && _shells.TryGetValue(id, out shell!))
        {
            return true;
        }
        shell = null!;
        fault = Fault(request, WsManFault.ShellNotFound(request.ShellId));
        return false;
    }

    WsManReply Create(WsManRequest request, string user, Uri address)
    {
        if (WrongResource(request, out var wrong))
        {
            return wrong;
        }
        var shellElement = request.Body.Element(Rsp + "Shell") ?? throw new FormatException("Create has no rsp:Shell");
        var directory = shellElement.Element(Rsp + "WorkingDirectory")?.Value.Trim();
        if (string.IsNullOrEmpty(directory))
        {
            directory = defaultDirectory;
        }
        else if (!Directory.Exists(directory))
        {
            return Fault(request, WsManFault.InvalidWorkingDirectory(directory));
        }
        var environment = shellElement.Element(Rsp + "Environment")?.Elements(Rsp + "Variable")
            .Where(v => v.Attribute("Name") is not null)
            .ToDictionary(v => v.Attribute("Name")!.Value, v => v.Value)
            ?? [];
        var codePage = request.Options.TryGetValue(WsManNames.OptionCodePage, out var page) && int.TryParse(page, out var parsed) ? parsed : 437;
        var id = Guid.NewGuid().ToString("D").ToUpperInvariant();
        _shells[id] = new TestShell(id, user, directory, environment, codePage);
        var inputStreams = shellElement.Element(Rsp + "InputStreams")?.Value ?? "stdin";
        var outputStreams = shellElement.Element(Rsp + "OutputStreams")?.Value ?? "stdout stderr";
        return WsManReply.Ok(WsManNames.ActionCreateResponse, request.MessageId,
            new XElement(WsManNames.Transfer + "ResourceCreated",
                new XElement(A + "Address", address.ToString()),
                new XElement(A + "ReferenceParameters",
                    new XElement(W + "ResourceURI", WsManNames.CmdResourceUri),
                    new XElement(W + "SelectorSet", new XElement(W + "Selector", new XAttribute("Name", "ShellId"), id)))),
            new XElement(Rsp + "Shell",
                new XElement(Rsp + "ShellId", id),
                new XElement(Rsp + "ResourceUri", WsManNames.CmdResourceUri),
                new XElement(Rsp + "Owner", user),
                new XElement(Rsp + "ClientIP", "127.0.0.1"),
                new XElement(Rsp + "IdleTimeOut", "PT7200.000S"),
                new XElement(Rsp + "InputStreams", inputStreams),
                new XElement(Rsp + "OutputStreams", outputStreams),
                new XElement(Rsp + "ShellRunTime", "P0DT0H0M0S"),
                new XElement(Rsp + "ShellInactivity", "P0DT0H0M0S")));
    }

    WsManReply Command(WsManRequest request)
    {
        if (WrongResource(request, out var wrong))
        {
            return wrong;
        }
        if (!FindShell(request, out var shell, out var fault))
        {
            return fault;
        }
        var line = request.Body.Element(Rsp + "CommandLine") ?? throw new FormatException("Command has no rsp:CommandLine");
        var command = line.Element(Rsp + "Command")?.Value.Trim() ?? throw new FormatException("rsp:CommandLine has no rsp:Command");
        var arguments = line.Elements(Rsp + "Arguments").Select(a => a.Value).ToList();
        var (program, args) = CommandLine.Map(command, arguments, options.PowerShell, options.Shell);
        TestCommand started;
        try
        {
            started = shell.Start(program, args);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return Fault(request, WsManFault.CannotStart(e.Message));
        }
        return WsManReply.Ok(WsManNames.ActionCommandResponse, request.MessageId,
            new XElement(Rsp + "CommandResponse", new XElement(Rsp + "CommandId", started.Id)));
    }

    async Task<WsManReply> SendAsync(WsManRequest request)
    {
        if (!FindShell(request, out var shell, out var fault))
        {
            return fault;
        }
        foreach (var stream in request.Body.Element(Rsp + "Send")?.Elements(Rsp + "Stream") ?? [])
        {
            var commandId = stream.Attribute("CommandId")?.Value;
            if (shell.Find(commandId) is not { } command)
            {
                return Fault(request, WsManFault.CommandNotFound(commandId));
            }
            var end = string.Equals(stream.Attribute("End")?.Value, "true", StringComparison.OrdinalIgnoreCase);
            await command.SendAsync(Convert.FromBase64String(stream.Value.Trim()), end);
        }
        return WsManReply.Ok(WsManNames.ActionSendResponse, request.MessageId, new XElement(Rsp + "SendResponse"));
    }

    async Task<WsManReply> ReceiveAsync(WsManRequest request, CancellationToken ct)
    {
        if (!FindShell(request, out var shell, out var fault))
        {
            return fault;
        }
        var commandId = request.Body.Element(Rsp + "Receive")?.Element(Rsp + "DesiredStream")?.Attribute("CommandId")?.Value;
        if (shell.Find(commandId) is not { } command)
        {
            return Fault(request, WsManFault.CommandNotFound(commandId));
        }
        var timeout = request.OperationTimeout ?? TimeSpan.FromSeconds(60);
        ReceiveBatch batch;
        Interlocked.Increment(ref _waitingReceives);
        try
        {
            batch = await command.ReceiveAsync(timeout, options.MaxReceiveBytes, ct);
        }
        finally
        {
            Interlocked.Decrement(ref _waitingReceives);
        }
        if (batch.IsEmpty)
        {
            return Fault(request, WsManFault.OperationTimeout());
        }
        var elements = new List<XElement>();
        foreach (var chunk in batch.Chunks)
        {
            elements.Add(new XElement(Rsp + "Stream", new XAttribute("Name", chunk.Stream), new XAttribute("CommandId", command.Id),
                Convert.ToBase64String(chunk.Data)));
        }
        foreach (var ended in batch.EndedStreams)
        {
            elements.Add(new XElement(Rsp + "Stream", new XAttribute("Name", ended), new XAttribute("CommandId", command.Id),
                new XAttribute("End", "true")));
        }
        elements.Add(batch.Done
            ? new XElement(Rsp + "CommandState", new XAttribute("CommandId", command.Id), new XAttribute("State", WsManNames.CommandStateDone),
                new XElement(Rsp + "ExitCode", batch.ExitCode))
            : new XElement(Rsp + "CommandState", new XAttribute("CommandId", command.Id), new XAttribute("State", WsManNames.CommandStateRunning)));
        return WsManReply.Ok(WsManNames.ActionReceiveResponse, request.MessageId,
            new XElement(Rsp + "ReceiveResponse", new XAttribute("SequenceID", 0), elements));
    }

    WsManReply Signal(WsManRequest request)
    {
        if (!FindShell(request, out var shell, out var fault))
        {
            return fault;
        }
        var signal = request.Body.Element(Rsp + "Signal") ?? throw new FormatException("Signal has no rsp:Signal");
        var commandId = signal.Attribute("CommandId")?.Value;
        if (shell.Find(commandId) is not { } command)
        {
            return Fault(request, WsManFault.CommandNotFound(commandId));
        }
        var code = signal.Element(Rsp + "Code")?.Value.Trim();
        switch (code)
        {
            case WsManNames.SignalTerminate:
                command.Terminate();
                break;
            case WsManNames.SignalCtrlC:
                command.Interrupt();
                break;
            default:
                return Fault(request, new WsManFault(500, "s:Sender", "w:InvalidParameter", null, $"Unknown signal code: {code}"));
        }
        return WsManReply.Ok(WsManNames.ActionSignalResponse, request.MessageId, new XElement(Rsp + "SignalResponse"));
    }

    WsManReply Delete(WsManRequest request)
    {
        if (!FindShell(request, out var shell, out var fault))
        {
            return fault;
        }
        _shells.TryRemove(shell.Id, out _);
        shell.Dispose();
        return WsManReply.Ok(WsManNames.ActionDeleteResponse, request.MessageId);
    }

    public void Dispose()
    {
        foreach (var shell in _shells.Values)
        {
            shell.Dispose();
        }
        _shells.Clear();
    }
}
