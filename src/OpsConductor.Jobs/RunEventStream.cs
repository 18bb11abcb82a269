using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Http;
using OpsConductor.Shared.Security;

namespace OpsConductor.Jobs;

/// <summary>
/// <c>GET /runs/{id}/events</c>: the run's events as server-sent events, one frame each
/// (<c>id: &lt;event id&gt;</c>, <c>event: &lt;kind&gt;</c>, <c>data: &lt;the record as JSON&gt;</c>), replayed from the start or
/// after <c>Last-Event-ID</c> (or <c>?after=</c>), then live; <c>end</c> (<see cref="StreamEnded"/>) once the run is final and
/// every event was sent. The stream also ends (<c>expired</c>, <see cref="StreamExpired"/>) when the caller's token expires:
/// the client reconnects with a fresh token and Last-Event-ID. Neither of those two carries an <c>id:</c>, so a client's
/// Last-Event-ID stays that of the last real event. A user may hold only so many streams at once.
/// </summary>
static class RunEventStream
{
    /// <summary>Rows read per query: a replay writes each page with one flush.</summary>
    const int PageSize = RunEventStore.DefaultPageSize;

    /// <summary>A page of big chunks is flushed on the way, so the response buffer stays small.</summary>
    const int FlushBytes = 1024 * 1024;

    static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);
    static readonly byte[] IdField = "id: "u8.ToArray(), EventField = "\nevent: "u8.ToArray(), DataField = "\ndata: "u8.ToArray(),
        FrameEnd = "\n\n"u8.ToArray(), KeepAliveComment = ": keep-alive\n\n"u8.ToArray();

    static readonly Dictionary<string, byte[]> KindBytes = new[]
    {
        RunEventKinds.Queued, RunEventKinds.TargetsResolved, RunEventKinds.StatusChanged, RunEventKinds.Output, RunEventKinds.End, RunEventKinds.Expired,
    }.ToDictionary(k => k, k => Encoding.ASCII.GetBytes(k));

    public static async Task StreamAsync(long id, HttpContext http, ClaimsPrincipal caller, JobsDb db, RunSignals signals, RunStreamSlots streams,
        TimeProvider clock, long? after, CancellationToken ct)
    {
        if (!await db.Runs.AnyAsync(r => r.Id == id, ct))
        {
            await Problems.NotFound($"Run {id}").ExecuteAsync(http);
            return;
        }
        var expiresAt = long.TryParse(caller.FindFirstValue("exp"), CultureInfo.InvariantCulture, out var exp)
            ? DateTimeOffset.FromUnixTimeSeconds(exp)
            : clock.GetUtcNow();
        if (expiresAt <= clock.GetUtcNow())
        {
            // Accepted within the clock skew, but a stream on it would end at once: make the client refresh first.
            await Problems.Unauthorized("The access token has expired: refresh it and reconnect with Last-Event-ID.").ExecuteAsync(http);
            return;
        }
        using var slot = streams.TryOpen(caller.UserId());
        if (slot is null)
        {
            http.Response.Headers.RetryAfter = "5";
            await TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many open event streams",
                detail: $"You already follow {streams.MaxPerUser} event streams: close one first.").ExecuteAsync(http);
            return;
        }
        var last = after ?? (long.TryParse(http.Request.Headers["Last-Event-ID"], CultureInfo.InvariantCulture, out var l) ? l : 0);
        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // nginx: pass each event through at once
        var body = response.BodyWriter;
        await body.FlushAsync(ct);

        var store = new RunEventStore(db, id);
        using var json = new Utf8JsonWriter(body, new JsonWriterOptions { Encoder = RunEventCodec.Json.Encoder, SkipValidation = true });
        var quietSince = clock.GetUtcNow();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var untilExpiry = expiresAt - clock.GetUtcNow();
                var timeout = untilExpiry <= TimeSpan.Zero ? TimeSpan.Zero : untilExpiry < signals.ReaderPollInterval ? untilExpiry : signals.ReaderPollInterval;
                // Asked for before reading: a change committed while this reads still wakes the wait below.
                var wake = signals.WaitForRunAsync(id, timeout, ct);
                var page = await store.ReadAsync(last, ct, PageSize);
                if (page.Events.Count > 0)
                {
                    long unflushed = 0;
                    foreach (var e in page.Events)
                    {
                        unflushed += Write(body, json, e);
                        if (unflushed >= FlushBytes)
                        {
                            await body.FlushAsync(ct);
                            unflushed = 0;
                        }
                    }
                    await body.FlushAsync(ct);
                    quietSince = clock.GetUtcNow();
                }
                last = page.LastRowId;
                if (page.Full)
                {
                    continue;
                }
                var status = await db.Runs.Where(r => r.Id == id).Select(r => r.Status).FirstAsync(ct);
                if (status.IsFinal() && !await db.RunEvents.AnyAsync(e => e.RunId == id && e.Id > last, ct))
                {
                    Write(body, json, new StreamEnded(status) { At = clock.GetUtcNow() });
                    await body.FlushAsync(ct);
                    return;
                }
                if (expiresAt <= clock.GetUtcNow())
                {
                    Write(body, json, new StreamExpired { At = clock.GetUtcNow() });
                    await body.FlushAsync(ct);
                    return;
                }
                if (clock.GetUtcNow() - quietSince > KeepAlive)
                {
                    body.Write(KeepAliveComment);
                    await body.FlushAsync(ct);
                    quietSince = clock.GetUtcNow();
                }
                await wake;
            }
        }
        catch (OperationCanceledException)
        {
            // the client went away
        }
    }

    /// <summary>Writes one frame and returns about how many bytes it took; the stream's own end and expired events (Id 0) go without <c>id:</c>.</summary>
    static long Write(PipeWriter body, Utf8JsonWriter json, RunStreamEvent e)
    {
        if (e.Id != 0)
        {
            body.Write(IdField);
            var digits = body.GetSpan(20);
            e.Id.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture);
            body.Advance(written);
            body.Write(EventField);
        }
        else
        {
            body.Write(EventField.AsSpan(1));
        }
        body.Write(KindBytes[e.Kind]);
        body.Write(DataField);
        json.Reset(body);
        JsonSerializer.Serialize(json, e, RunEventCodec.Json);
        json.Flush();
        body.Write(FrameEnd);
        return json.BytesCommitted + 64;
    }
}
