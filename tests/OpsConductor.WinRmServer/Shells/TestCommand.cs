using System.Diagnostics;
using System.Text;

namespace OpsConductor.WinRmServer.Shells;

/// <summary>
/// One running command of a shell: a local process in its own process group, its stdout and stderr buffered in
/// arrival order until Receive takes them, its stdin fed by Send.
/// </summary>
public sealed class TestCommand : IDisposable
{
    readonly Process _process;
    readonly Lock _gate = new();
    readonly List<OutputChunk> _pending = [];
    readonly HashSet<string> _open = ["stdout", "stderr"];
    readonly HashSet<string> _endReported = [];
    readonly Encoding? _outputEncoding;
    TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    bool _exitReported;

    TestCommand(string id, Process process, Encoding? outputEncoding)
    {
        Id = id;
        _process = process;
        _outputEncoding = outputEncoding;
        _ = PumpAsync(process.StandardOutput.BaseStream, "stdout");
        _ = PumpAsync(process.StandardError.BaseStream, "stderr");
    }

    public string Id { get; }

    public int ProcessId => _process.Id;

    /// <summary>
    /// Starts <paramref name="program"/> under <c>setsid</c> (so signals reach its children too), with SIGINT back to its
    /// default: a test process started in the background of a script inherits SIGINT ignored, and a shell cannot trap a
    /// signal that was ignored when it started, so Ctrl+C would never reach the command.
    /// </summary>
    public static TestCommand Start(string id, string program, IReadOnlyList<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string> environment, int codePage)
    {
        var start = new ProcessStartInfo("setsid")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add("env");
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add(program);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
        start.Environment["POWERSHELL_UPDATECHECK"] = "Off";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["LANG"] = "C.UTF-8";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        // The processes write UTF-8; another WINRS_CODEPAGE gets its output re-encoded.
        var encoding = codePage == 65001 ? null : CodePage(codePage);
        return new TestCommand(id, process, encoding);
    }

    static Encoding? CodePage(int codePage)
    {
        try
        {
            return codePage == 20127 ? Encoding.ASCII : Encoding.GetEncoding(codePage);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    public bool HasExited => _process.HasExited;

    public async Task SendAsync(byte[] data, bool end)
    {
        try
        {
            if (data.Length > 0)
            {
                await _process.StandardInput.BaseStream.WriteAsync(data);
                await _process.StandardInput.BaseStream.FlushAsync();
            }
            if (end)
            {
                _process.StandardInput.Close();
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The process already ended or closed its stdin, as Windows ignores late input.
        }
    }

    /// <summary>ctrl_c: SIGINT to the command's process group.</summary>
    public void Interrupt() => UnixSignals.SignalGroup(_process.Id, UnixSignals.SigInt);

    /// <summary>terminate: kills the whole process tree.</summary>
    public void Terminate()
    {
        UnixSignals.SignalGroup(_process.Id, UnixSignals.SigKill);
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for output or the end, then takes at most <paramref name="maxBytes"/>
    /// bytes of output in order. Done comes only once everything was taken and the process exited.
    /// </summary>
    public async Task<ReceiveBatch> ReceiveAsync(TimeSpan timeout, int maxBytes, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                var batch = TakeLocked(maxBytes);
                if (!batch.IsEmpty)
                {
                    return batch;
                }
                changed = _changed.Task;
            }
            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return new ReceiveBatch([], [], false, 0);
            }
        }
    }

    ReceiveBatch TakeLocked(int maxBytes)
    {
        var chunks = new List<OutputChunk>();
        var budget = maxBytes;
        while (_pending.Count > 0 && budget > 0)
        {
            var first = _pending[0];
            if (first.Data.Length <= budget)
            {
                chunks.Add(first);
                budget -= first.Data.Length;
                _pending.RemoveAt(0);
            }
            else
            {
                chunks.Add(first with { Data = first.Data[..budget] });
                _pending[0] = first with { Data = first.Data[budget..] };
                budget = 0;
            }
        }
        var ended = new List<string>();
        foreach (var stream in new[] { "stdout", "stderr" })
        {
            if (!_open.Contains(stream) && !_endReported.Contains(stream) && _pending.All(c => c.Stream != stream))
            {
                ended.Add(stream);
                _endReported.Add(stream);
            }
        }
        var done = false;
        var exitCode = 0;
        if (!_exitReported && _open.Count == 0 && _pending.Count == 0 && _process.HasExited)
        {
            done = true;
            exitCode = _process.ExitCode;
            _exitReported = true;
        }
        return new ReceiveBatch(chunks, ended, done, exitCode);
    }

    async Task PumpAsync(Stream stream, string name)
    {
        var buffer = new byte[16384];
        var decoder = _outputEncoding is null ? null : new UTF8Encoding(false).GetDecoder();
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer);
                if (read == 0)
                {
                    break;
                }
                Append(name, Reencode(decoder, buffer.AsSpan(0, read), flush: false));
            }
            Append(name, Reencode(decoder, [], flush: true));
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The process was killed; what it wrote before stays.
        }
        await _process.WaitForExitAsync();
        lock (_gate)
        {
            _open.Remove(name);
            Signal();
        }
    }

    byte[] Reencode(Decoder? decoder, ReadOnlySpan<byte> data, bool flush)
    {
        if (decoder is null)
        {
            return data.ToArray();
        }
        var chars = new char[decoder.GetCharCount(data, flush)];
        decoder.GetChars(data, chars, flush);
        return _outputEncoding!.GetBytes(chars);
    }

    void Append(string stream, byte[] data)
    {
        if (data.Length == 0)
        {
            return;
        }
        lock (_gate)
        {
            _pending.Add(new OutputChunk(stream, data));
            Signal();
        }
    }

    void Signal()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    public void Dispose()
    {
        Terminate();
        _process.Dispose();
    }
}
