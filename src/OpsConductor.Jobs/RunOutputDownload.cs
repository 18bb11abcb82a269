using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Http;

namespace OpsConductor.Jobs;

/// <summary>
/// A target's or a step's output as a plain-text file: each step's lines of its latest attempt, in order, stdout and
/// stderr as they came (no prefix), one line per line. Streamed from the output events a page at a time, so a huge
/// output is never held in memory whole.
/// </summary>
static class RunOutputDownload
{
    const int PageSize = 200;
    const int FlushBytes = 1024 * 1024;

    public static Task TargetAsync(long id, long targetId, HttpContext http, JobsDb db, CancellationToken ct) =>
        DownloadAsync(id, targetId, null, http, db, ct);

    public static Task StepAsync(long id, long targetId, int index, HttpContext http, JobsDb db, CancellationToken ct) =>
        DownloadAsync(id, targetId, index, http, db, ct);

    static async Task DownloadAsync(long id, long targetId, int? index, HttpContext http, JobsDb db, CancellationToken ct)
    {
        var targetName = await db.RunTargets.Where(t => t.RunId == id && t.TargetId == targetId).Select(t => t.TargetName).FirstOrDefaultAsync(ct);
        var steps = targetName is null ? [] : await db.RunSteps.Where(s => s.RunId == id && s.TargetId == targetId && (index == null || s.StepIndex == index))
            .OrderBy(s => s.StepIndex).Select(s => s.StepIndex).ToListAsync(ct);
        if (targetName is null || (index is not null && steps.Count == 0))
        {
            var what = !await db.Runs.AnyAsync(r => r.Id == id, ct) ? $"Run {id}"
                : targetName is null ? $"Target {targetId} in run {id}"
                : $"Step {index} on target {targetId} in run {id}";
            await Problems.NotFound(what).ExecuteAsync(http);
            return;
        }

        // Where each step's latest attempt starts: its last start event.
        var starts = new Dictionary<int, long>();
        var statusRows = db.RunEvents.AsNoTracking()
            .Where(e => e.RunId == id && e.TargetId == targetId && e.StepIndex != null && (e.Kind == RunEventKinds.StatusChanged || e.Kind == RunEventCodec.LegacyStatus))
            .OrderBy(e => e.Id).AsAsyncEnumerable();
        await foreach (var row in statusRows.WithCancellation(ct))
        {
            if (RunEventCodec.Decode(row) is StatusChanged { Status: RunStatus.Running, Step: { } step })
            {
                starts[step] = row.Id;
            }
        }

        var response = http.Response;
        response.ContentType = "text/plain; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"{FileName(id, targetName, index)}\"";
        var body = response.BodyWriter;
        var newline = "\n"u8.ToArray();
        long unflushed = 0;
        foreach (var step in steps)
        {
            var after = starts.GetValueOrDefault(step);
            while (true)
            {
                var page = await db.RunEvents.AsNoTracking()
                    .Where(e => e.RunId == id && e.Kind == RunEventKinds.Output && e.TargetId == targetId && e.StepIndex == step && e.Id > after)
                    .OrderBy(e => e.Id).Take(PageSize).ToListAsync(ct);
                foreach (var row in page)
                {
                    if (RunEventCodec.Decode(row) is not OutputChunk chunk)
                    {
                        continue;
                    }
                    foreach (var line in chunk.Lines)
                    {
                        unflushed += Encoding.UTF8.GetBytes(line, body) + 1;
                        body.Write(newline);
                    }
                    if (unflushed >= FlushBytes)
                    {
                        await body.FlushAsync(ct);
                        unflushed = 0;
                    }
                }
                await body.FlushAsync(ct);
                unflushed = 0;
                if (page.Count < PageSize)
                {
                    break;
                }
                after = page[^1].Id;
            }
        }
    }

    /// <summary><c>run-&lt;id&gt;-&lt;target name&gt;[-step-&lt;index&gt;].log</c>, with what a file name cannot hold replaced by <c>_</c>.</summary>
    static string FileName(long id, string targetName, int? index)
    {
        var name = new string(targetName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray());
        return $"run-{id}-{name}{(index is { } i ? $"-step-{i}" : "")}.log";
    }
}
