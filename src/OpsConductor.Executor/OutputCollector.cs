using System.Text;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Executor;

/// <summary>
/// Turns a step's raw output bytes into redacted lines: non-UTF-8 bytes become U+FFFD, lines are
/// kept for the step record up to a cap (then a truncation marker), and handed out in batches for streaming.
/// </summary>
public sealed class OutputCollector(Redactor redactor, int capBytes)
{
    public const string TruncationMarker = "[output truncated by OpsConductor: the step wrote more than the configured limit]";

    readonly object _gate = new();
    readonly StreamState _stdout = new(), _stderr = new();
    readonly List<(OutputStream Stream, string Line)> _pending = [];

    public bool Truncated { get; private set; }

    sealed class StreamState
    {
        public readonly Decoder Decoder = new UTF8Encoding(false, false).GetDecoder();
        public readonly StringBuilder Partial = new();
        public readonly StringBuilder Kept = new();
        public int KeptBytes;
        public bool Cut;
    }

    /// <summary>Called by the reader of one stream (one thread per stream).</summary>
    public void Write(OutputStream stream, ReadOnlySpan<byte> bytes, Func<string, bool>? consumeLine = null)
    {
        var state = stream == OutputStream.Stderr ? _stderr : _stdout;
        var buffer = new char[state.Decoder.GetCharCount(bytes, flush: false)];
        var count = state.Decoder.GetChars(bytes, buffer, flush: false);
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                var c = buffer[i];
                if (c == '\n')
                {
                    EndLine(stream, state, consumeLine);
                }
                else if (c != '\r' || i + 1 >= count || buffer[i + 1] != '\n')
                {
                    state.Partial.Append(c);
                }
            }
        }
    }

    /// <summary>The stream ended: a last line without newline still counts.</summary>
    public void Complete(OutputStream stream, Func<string, bool>? consumeLine = null)
    {
        var state = stream == OutputStream.Stderr ? _stderr : _stdout;
        lock (_gate)
        {
            if (state.Partial.Length > 0)
            {
                EndLine(stream, state, consumeLine);
            }
        }
    }

    void EndLine(OutputStream stream, StreamState state, Func<string, bool>? consumeLine)
    {
        var raw = state.Partial.ToString();
        state.Partial.Clear();
        if (consumeLine?.Invoke(raw) == true)
        {
            return;
        }
        var line = redactor.Redact(raw);
        if (state.Cut)
        {
            return;
        }
        var bytes = Encoding.UTF8.GetByteCount(line) + 1;
        if (state.KeptBytes + bytes > capBytes)
        {
            state.Cut = true;
            Truncated = true;
            state.Kept.Append(TruncationMarker).Append('\n');
            _pending.Add((stream, TruncationMarker));
            return;
        }
        state.KeptBytes += bytes;
        state.Kept.Append(line).Append('\n');
        _pending.Add((stream, line));
    }

    /// <summary>Lines that arrived since the last call, in order.</summary>
    public List<(OutputStream Stream, string Line)> TakePending()
    {
        lock (_gate)
        {
            var lines = _pending.ToList();
            _pending.Clear();
            return lines;
        }
    }

    public (string Stdout, string Stderr) Text()
    {
        lock (_gate)
        {
            return (_stdout.Kept.ToString().TrimEnd('\n'), _stderr.Kept.ToString().TrimEnd('\n'));
        }
    }
}
