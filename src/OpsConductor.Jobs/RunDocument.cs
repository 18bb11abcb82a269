using System.Data;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Jobs;

/// <summary>
/// <c>GET /runs/{id}</c>: the run's rows, with the output of its running steps from their output events (what has
/// streamed of their current attempt; a finished step's row holds its output), read in one snapshot, so
/// <see cref="RunDto.LastEventId"/> is exactly the newest event the document includes and applying the events after it
/// gives the run as it is now.
/// </summary>
static class RunDocument
{
    public static readonly IReadOnlyDictionary<(long TargetId, int Step), (string Stdout, string Stderr)> NoLiveOutput =
        new Dictionary<(long TargetId, int Step), (string Stdout, string Stderr)>();

    public static async Task<RunDto?> LoadAsync(JobsDb db, long id, DateTimeOffset now, CancellationToken ct)
    {
        await using var snapshot = await ReadSnapshot.BeginAsync(db, ct);
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (run is null)
        {
            return null;
        }
        if (run.Status == RunStatus.Queued && run.WaitReason == RunEnqueuer.WaitingForExecutor)
        {
            var alive = now.AddSeconds(-30);
            if (!await db.Workers.AnyAsync(w => w.LastHeartbeat >= alive, ct))
            {
                run.WaitReason = "No executor is running: start the executor service to run it.";
            }
        }
        var targets = await db.RunTargets.AsNoTracking().Where(t => t.RunId == id).ToListAsync(ct);
        var steps = await db.RunSteps.AsNoTracking().Where(s => s.RunId == id).ToListAsync(ct);
        var lastEventId = await db.RunEvents.Where(e => e.RunId == id).MaxAsync(e => (long?)e.Id, ct) ?? 0;
        var live = await LiveOutputAsync(db, id, steps, ct);
        return Build(run, targets, steps, live, lastEventId);
    }

    /// <summary>
    /// Several runs at once, as <see cref="LoadAsync"/> reads one (without the last event id): the runs, their targets and
    /// their steps in three queries, plus the live output of the steps whose row holds none (a running or lost step) per
    /// run that has such steps. With each run its job snapshot (JSON).
    /// </summary>
    public static async Task<List<(RunDto Run, string JobSnapshotJson)>> LoadManyAsync(JobsDb db, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        await using var snapshot = await ReadSnapshot.BeginAsync(db, ct);
        var runs = await db.Runs.AsNoTracking().Where(r => ids.Contains(r.Id)).ToListAsync(ct);
        var targets = (await db.RunTargets.AsNoTracking().Where(t => ids.Contains(t.RunId)).ToListAsync(ct)).ToLookup(t => t.RunId);
        var steps = (await db.RunSteps.AsNoTracking().Where(s => ids.Contains(s.RunId)).ToListAsync(ct)).ToLookup(s => s.RunId);
        var loaded = new List<(RunDto, string)>(runs.Count);
        foreach (var run in runs.OrderBy(r => r.Id))
        {
            var runSteps = steps[run.Id].ToList();
            var live = await LiveOutputAsync(db, run.Id, runSteps, ct);
            loaded.Add((Build(run, targets[run.Id].ToList(), runSteps, live, 0), run.JobSnapshotJson));
        }
        return loaded;
    }

    /// <summary>
    /// The output of the steps whose row holds none: a running step (what its current attempt wrote so far) and a step
    /// the executor never finished (it was lost: the lease recovery ended the step). A step that finished with no output
    /// has no output events either, so reading them changes nothing.
    /// </summary>
    static async Task<IReadOnlyDictionary<(long TargetId, int Step), (string Stdout, string Stderr)>> LiveOutputAsync(JobsDb db, long id,
        IReadOnlyList<RunStep> steps, CancellationToken ct)
    {
        var wanted = steps.Where(FromEvents).Select(s => (s.TargetId, Step: s.StepIndex)).ToHashSet();
        if (wanted.Count == 0)
        {
            return NoLiveOutput;
        }
        var targetIds = wanted.Select(r => (long?)r.TargetId).Distinct().ToList();
        // Where each step's latest attempt starts: its last start event.
        var starts = new Dictionary<(long, int), long>();
        var statusRows = db.RunEvents.AsNoTracking()
            .Where(e => e.RunId == id && targetIds.Contains(e.TargetId) && e.StepIndex != null
                && (e.Kind == RunEventKinds.StatusChanged || e.Kind == RunEventCodec.LegacyStatus))
            .OrderBy(e => e.Id).AsAsyncEnumerable();
        await foreach (var row in statusRows.WithCancellation(ct))
        {
            if (RunEventCodec.Decode(row) is StatusChanged { Status: RunStatus.Running, TargetId: { } t, Step: { } step } && wanted.Contains((t, step)))
            {
                starts[(t, step)] = row.Id;
            }
        }
        if (starts.Count == 0)
        {
            return NoLiveOutput;
        }
        var from = starts.Values.Min();
        var text = new Dictionary<(long, int), (StringBuilder Stdout, StringBuilder Stderr)>();
        var rows = db.RunEvents.AsNoTracking().Where(e => e.RunId == id && e.Kind == RunEventKinds.Output && targetIds.Contains(e.TargetId) && e.Id > from)
            .OrderBy(e => e.Id).AsAsyncEnumerable();
        await foreach (var row in rows.WithCancellation(ct))
        {
            if (row.StepIndex is not { } step || !starts.TryGetValue((row.TargetId!.Value, step), out var start) || row.Id <= start
                || RunEventCodec.Decode(row) is not OutputChunk chunk)
            {
                continue;
            }
            if (!text.TryGetValue((chunk.TargetId, chunk.Step), out var buffers))
            {
                text[(chunk.TargetId, chunk.Step)] = buffers = (new StringBuilder(), new StringBuilder());
            }
            var sb = chunk.Stream == OutputStream.Stderr ? buffers.Stderr : buffers.Stdout;
            foreach (var line in chunk.Lines)
            {
                sb.Append(line).Append('\n');
            }
        }
        // As the executor stores a finished step's output: the lines joined, without the trailing newlines.
        return text.ToDictionary(p => p.Key, p => (p.Value.Stdout.ToString().TrimEnd('\n'), p.Value.Stderr.ToString().TrimEnd('\n')));
    }

    static bool FromEvents(RunStep s) => s.Status == RunStatus.Running || (s.StartedAt is not null && s.Stdout.Length == 0 && s.Stderr.Length == 0);

    public static RunDto Build(Run r, IReadOnlyList<RunTarget> targets, IReadOnlyList<RunStep> steps,
        IReadOnlyDictionary<(long TargetId, int Step), (string Stdout, string Stderr)> liveOutput, long lastEventId)
    {
        var byTarget = steps.ToLookup(s => s.TargetId);
        RunStepDto Step(RunStep s)
        {
            var (stdout, stderr) = FromEvents(s) ? liveOutput.GetValueOrDefault((s.TargetId, s.StepIndex), ("", "")) : (s.Stdout, s.Stderr);
            return new RunStepDto(s.StepIndex, s.Name, s.Status, s.ExitCode, stdout, stderr, s.OutputTruncated, s.StartedAt, s.FinishedAt, s.Error);
        }
        return new RunDto(r.Id, r.JobId, r.JobName, r.Status, r.Trigger, r.RequestedBy, r.QueuedAt, r.StartedAt, r.FinishedAt,
            JsonDocument.Parse(r.ParametersJson).RootElement.Clone(), r.Status == RunStatus.Queued ? r.WaitReason : null, r.Error,
            r.CancelRequested, r.CancelledBy, r.RerunOf,
            targets.OrderBy(t => t.TargetName).Select(t => new RunTargetDto(t.TargetId, t.TargetName, t.Hostname, t.Status, t.Attempt,
                t.StartedAt, t.FinishedAt, t.Error, byTarget[t.TargetId].OrderBy(s => s.StepIndex).Select(Step).ToList())).ToList(),
            lastEventId, r.ScheduleId, r.ScheduleName, r.ScheduledFor);
    }

    /// <summary>
    /// A read-only transaction whose reads all see one moment: REPEATABLE READ on PostgreSQL; on SQLite (WAL) a deferred
    /// transaction, which reads one snapshot without taking the write lock (EF's own would: BEGIN IMMEDIATE).
    /// </summary>
    sealed class ReadSnapshot(JobsDb db, IAsyncDisposable transaction, bool closeConnection) : IAsyncDisposable
    {
        public static async Task<ReadSnapshot> BeginAsync(JobsDb db, CancellationToken ct)
        {
            if (db.Database.IsNpgsql())
            {
                return new ReadSnapshot(db, await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct), false);
            }
            await db.Database.OpenConnectionAsync(ct);
            var transaction = ((SqliteConnection)db.Database.GetDbConnection()).BeginTransaction(deferred: true);
            await db.Database.UseTransactionAsync(transaction, ct);
            return new ReadSnapshot(db, transaction, true);
        }

        public async ValueTask DisposeAsync()
        {
            if (closeConnection)
            {
                await db.Database.UseTransactionAsync(null);
            }
            await transaction.DisposeAsync(); // rolls back: nothing was written
            if (closeConnection)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }
}
