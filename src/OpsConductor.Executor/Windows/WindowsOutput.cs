using System.Globalization;
using System.Text;
using OpsConductor.Remoting.WinRm;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Executor.Windows;

/// <summary>
/// Sits between a Windows step's raw streams and the <see cref="OutputCollector"/>: stdout passes through; stderr is
/// split into lines, CLIXML is decoded into text, and the bootstrap's process-id and exit-code lines are taken out.
/// Each stream is written by one reader at a time.
/// </summary>
public sealed class WindowsOutput(OutputCollector output, WindowsStep step, int capBytes)
{
    readonly List<byte> _line = [];
    long _pid = -1;
    int? _exitCode;

    /// <summary>The process id the bootstrap reported (the root of the tree to kill).</summary>
    public long? ProcessId => Interlocked.Read(ref _pid) is var pid and >= 0 ? pid : null;

    /// <summary>The exit code the bootstrap reported just before it exited, or null when it did not get there.</summary>
    public int? ExitCode => _exitCode;

    public void Stdout(ReadOnlySpan<byte> bytes) => output.Write(OutputStream.Stdout, bytes);

    public void Stderr(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b == (byte)'\n')
            {
                Line();
            }
            else if (_line.Count < capBytes + 1)
            {
                _line.Add(b); // a line longer than the cap is cut by the collector anyway
            }
        }
    }

    public void Complete()
    {
        if (_line.Count > 0)
        {
            Line();
        }
        output.Complete(OutputStream.Stdout);
        output.Complete(OutputStream.Stderr);
    }

    void Line()
    {
        var text = Encoding.UTF8.GetString([.. _line]).TrimEnd('\r');
        _line.Clear();
        if (text == Clixml.Marker)
        {
            return;
        }
        foreach (var (isObjs, part) in Clixml.Split(text))
        {
            if (isObjs && Clixml.DecodeDocument(part) is { } lines)
            {
                foreach (var decoded in lines)
                {
                    Emit(decoded);
                }
            }
            else
            {
                Emit(part);
            }
        }
    }

    void Emit(string line)
    {
        if (Marker(line, step.PidMarker) is { } pid)
        {
            Interlocked.Exchange(ref _pid, pid);
            return;
        }
        if (Marker(line, step.ExitMarker) is { } code)
        {
            _exitCode = (int)code;
            return;
        }
        output.Write(OutputStream.Stderr, Encoding.UTF8.GetBytes(line + "\n"));
    }

    static long? Marker(string line, string marker) =>
        line.StartsWith(marker, StringComparison.Ordinal)
        && long.TryParse(line.AsSpan(marker.Length), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
