using System.Text;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Executor;

/// <summary>
/// Turns a step's raw output bytes into redacted lines: non-UTF-8 bytes become U+FFFD, lines are
/// kept for the step record up to a cap (then a truncation marker), and handed out in batches for streaming.
/// Every buffer stays within the cap: a line that can no longer fit (a target printing without newlines) cuts the
/// stream while it arrives instead of growing until its newline.
/// </summary>
public sealed class OutputCollector(Redactor redactor, int capBytes)
{
    public const string TruncationMarker = "[output truncated by OpsConductor: the step wrote more than the configured limit]";

    readonly object _gate = new();
    readonly StreamState _stdout = new(), _stderr = new();
    readonly List<(OutputStream Stream, string Line)> _pending = [];
    long _linesTaken;

    public bool Truncated { get; private set; }

    /// <summary>The cap per stream, in bytes.</summary>
    public int CapBytes => capBytes;

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
                if (state.Cut)
                {
                    break; // nothing more of this stream is kept or streamed
                }
                if (c == '\n')
                {
                    EndLine(stream, state, consumeLine);
                }
                else if (c != '\r' || i + 1 >= count || buffer[i + 1] != '\n')
                {
                    // A UTF-8 byte per char at least: a line this long cannot fit in what is left of the cap.
                    if (state.Partial.Length >= capBytes - state.KeptBytes)
                    {
                        state.Partial.Clear();
                        Cut(stream, state);
                        break;
                    }
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
            Cut(stream, state);
            return;
        }
        state.KeptBytes += bytes;
        state.Kept.Append(line).Append('\n');
        _pending.Add((stream, line));
    }

    void Cut(OutputStream stream, StreamState state)
    {
        state.Cut = true;
        Truncated = true;
        state.Kept.Append(TruncationMarker).Append('\n');
        _pending.Add((stream, TruncationMarker));
    }

    /// <summary>Characters held in memory (partial lines, kept lines, lines not yet taken): bounded by the cap.</summary>
    public long RetainedChars
    {
        get
        {
            lock (_gate)
            {
                return _stdout.Partial.Length + _stdout.Kept.Length + _stderr.Partial.Length + _stderr.Kept.Length
                    + _pending.Sum(p => (long)p.Line.Length);
            }
        }
    }

    /// <summary>Lines that arrived since the last call, in order.</summary>
    public List<(OutputStream Stream, string Line)> TakePending() => TakePending(out _);

    /// <summary>
    /// Lines that arrived since the last call, in order; <paramref name="firstLine"/> is the 1-based number of the first of
    /// them among all the lines this collector (one attempt of one step) handed out, both streams counted together.
    /// </summary>
    public List<(OutputStream Stream, string Line)> TakePending(out long firstLine)
    {
        lock (_gate)
        {
            var lines = _pending.ToList();
            _pending.Clear();
            firstLine = _linesTaken + 1;
            _linesTaken += lines.Count;
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
