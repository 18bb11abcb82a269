using System.Text;
using OpsConductor.Executor;
using OpsConductor.Shared.Contracts;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Security;

/// <summary>
/// A target that prints without newlines cannot grow the executor's memory: the collector's partial-line buffer
/// is held to the output cap like the stored output (150 MB printed took the executor from 389 to 1,035 MB before).
/// </summary>
[Trait("Category", TestCategories.ProviderIndependent)]
public sealed class OutputBufferCapTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    const int Cap = 64 * 1024;
    const int Printed = 50 * 1024 * 1024;

    /// <summary>Feeds the collector the way the SSH reader does: 16 KiB chunks of real bytes.</summary>
    static long Feed(OutputCollector collector, OutputStream stream, byte[] chunk, int total)
    {
        var peak = 0L;
        for (var written = 0; written < total; written += chunk.Length)
        {
            collector.Write(stream, chunk);
            peak = Math.Max(peak, collector.RetainedChars);
        }
        collector.Complete(stream);
        return Math.Max(peak, collector.RetainedChars);
    }

    [Theory]
    [InlineData(OutputStream.Stdout)]
    [InlineData(OutputStream.Stderr)]
    public void Fifty_megabytes_without_a_newline_keep_the_collector_within_the_cap(OutputStream stream)
    {
        var collector = new OutputCollector(new Redactor([]), Cap);
        collector.Write(stream, "a first line\n"u8);
        var peak = Feed(collector, stream, Encoding.UTF8.GetBytes(new string('x', 16 * 1024)), Printed);

        Assert.True(peak <= Cap + 2 * OutputCollector.TruncationMarker.Length, $"the collector held {peak} characters for a cap of {Cap}");
        Assert.True(collector.Truncated);
        var (stdout, stderr) = collector.Text();
        var text = stream == OutputStream.Stdout ? stdout : stderr;
        Assert.Equal("a first line\n" + OutputCollector.TruncationMarker, text);
        var pending = collector.TakePending();
        Assert.Equal(["a first line", OutputCollector.TruncationMarker], pending.Select(p => p.Line));
    }

    [Fact]
    public void Multi_byte_characters_without_a_newline_stay_within_the_cap_too()
    {
        var collector = new OutputCollector(new Redactor([]), Cap);
        var peak = Feed(collector, OutputStream.Stdout, Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("ü🚀", 2048))), 8 * 1024 * 1024);
        Assert.True(peak <= Cap + OutputCollector.TruncationMarker.Length, $"the collector held {peak} characters for a cap of {Cap}");
        Assert.Equal(OutputCollector.TruncationMarker, collector.Text().Stdout);
    }

    [Fact]
    public void A_long_line_that_fits_the_cap_is_kept_whole()
    {
        var collector = new OutputCollector(new Redactor([]), Cap);
        var line = new string('y', Cap - 100);
        collector.Write(OutputStream.Stdout, Encoding.UTF8.GetBytes(line));
        collector.Complete(OutputStream.Stdout);
        Assert.False(collector.Truncated);
        Assert.Equal(line, collector.Text().Stdout);
    }

    [Fact]
    public async Task A_run_whose_target_prints_fifty_megabytes_without_a_newline_completes_with_capped_output()
    {
        using var op = await fleet.AdminAsync();
        var job = await fleet.JobAsync(op,
            [new { name = "no newline", type = "command", script = $"head -c {Printed} /dev/zero | tr '\\0' x; echo; echo after >&2" }],
            targets: new { targetIds = new[] { fleet.TargetIds[0] } });
        var run = await FleetFixture.WaitAsync(op, await FleetFixture.StartAsync(op, job), seconds: 120);

        Assert.Equal("succeeded", run.Str("status"));
        var step = run.GetProperty("targets")[0].GetProperty("steps")[0];
        Assert.True(step.GetProperty("outputTruncated").GetBoolean());
        Assert.Equal(OutputCollector.TruncationMarker, step.Str("stdout"));
        Assert.Equal("after", step.Str("stderr"));
    }
}
