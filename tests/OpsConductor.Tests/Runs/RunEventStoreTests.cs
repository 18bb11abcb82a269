using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using OpsConductor.Jobs;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Tests.Runs;

/// <summary>
/// The stored events read back as the typed records, and the rows an older version wrote (one row per output line,
/// "status" and "targets" rows) read like them, so an upgraded installation still replays its old runs.
/// </summary>
public sealed class RunEventStoreTests : IAsyncLifetime
{
    readonly SqliteConnection _connection = new("Data Source=:memory:");
    JobsDb _db = null!;
    long _runId;
    static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    public async Task InitializeAsync()
    {
        await _connection.OpenAsync();
        _db = new JobsSqliteDb(new DbContextOptionsBuilder<JobsSqliteDb>().UseSqlite(_connection).Options);
        await _db.Database.MigrateAsync();
        var run = new Run { JobName = "legacy", JobSnapshotJson = "{}", Status = RunStatus.Failed, QueuedAt = T0 };
        _db.Runs.Add(run);
        await _db.SaveChangesAsync();
        _runId = run.Id;
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        await _connection.DisposeAsync();
    }

    [Fact]
    public async Task Every_kind_of_event_reads_back_as_written_with_the_rows_id_and_time()
    {
        RunStreamEvent[] written =
        [
            new RunQueued("Waiting for an executor to pick it up."),
            new TargetsResolved([new ResolvedTarget(7, "web-1", "10.0.0.7", [new ResolvedStep(0, "say"), new ResolvedStep(1, "two")])], ["Target 9 does not exist any more; it was skipped."]),
            new StatusChanged(RunScope.Run, null, null, RunStatus.Running, T0, null, null, null, null),
            new StatusChanged(RunScope.Target, 7, null, RunStatus.Running, T0, null, null, null, 2),
            new OutputChunk(7, 0, OutputStream.Stderr, 41, ["a", "", "ünï \"q\" \u0001 🚀"]),
            new StatusChanged(RunScope.Step, 7, 0, RunStatus.TimedOut, T0, T0.AddSeconds(3), null, "timed out", null),
        ];
        var at = T0;
        foreach (var e in written)
        {
            _db.RunEvents.Add(RunEventCodec.Encode(_runId, e with { At = at = at.AddSeconds(1) }));
        }
        await _db.SaveChangesAsync();
        var rows = await _db.RunEvents.AsNoTracking().Where(r => r.RunId == _runId).OrderBy(r => r.Id).ToListAsync();
        Assert.Equal(written.Select(e => e.Kind), rows.Select(r => r.Kind));
        Assert.Equal([null, null, null, 7L, 7L, 7L], rows.Select(r => r.TargetId));
        Assert.Equal([null, null, null, null, 0, 0], rows.Select(r => r.StepIndex));
        Assert.All(rows, r => Assert.Null(r.Stream));

        var page = await new RunEventStore(_db, _runId).ReadAsync(0, CancellationToken.None);
        Assert.Equal(written.Length, page.Events.Count);
        for (var i = 0; i < written.Length; i++)
        {
            var read = page.Events[i];
            Assert.Equal((rows[i].Id, rows[i].At), (read.Id, read.At));
            Assert.Equal(Normalize(written[i]), Normalize(read));
        }
        Assert.Equal(rows[^1].Id, page.LastRowId);
        Assert.False(page.Full);

        var after = await new RunEventStore(_db, _runId).ReadAsync(rows[3].Id, CancellationToken.None, pageSize: 1);
        Assert.Equal(rows[4].Id, Assert.Single(after.Events).Id);
        Assert.True(after.Full);
    }

    [Fact]
    public async Task Rows_of_the_older_format_replay_as_typed_events()
    {
        Legacy("output", null, null, OutputStream.Stderr, "Target 9 does not exist any more; it was skipped.");
        Legacy("targets", null, null, null, """[{"targetId":7,"targetName":"web-1","hostname":"10.0.0.7"}]""");
        Legacy("status", null, null, null, """{"scope":"run","status":"running","exitCode":null,"error":null}""");
        Legacy("status", 7, null, null, """{"scope":"target","status":"running","exitCode":null,"error":null}""");
        Legacy("status", 7, 0, null, """{"scope":"step","status":"running","exitCode":null,"error":null}""");
        Legacy("output", 7, 0, OutputStream.Stdout, "one");
        Legacy("output", 7, 0, OutputStream.Stdout, "two");
        Legacy("output", 7, 0, OutputStream.Stderr, "oops");
        Legacy("output", 7, 0, OutputStream.Stdout, "three");
        Legacy("status", 7, 0, null, """{"scope":"step","status":"failed","exitCode":3,"error":"exit code 3"}""");
        Legacy("status", 7, null, null, """{"scope":"target","status":"running","exitCode":null,"error":"attempt 2"}""");
        Legacy("status", 7, 0, null, """{"scope":"step","status":"running","exitCode":null,"error":null}""");
        Legacy("output", 7, 0, OutputStream.Stdout, "again");
        Legacy("status", 7, 0, null, """{"scope":"step","status":"succeeded","exitCode":0,"error":null}""");
        Legacy("status", 7, null, null, """{"scope":"target","status":"succeeded","exitCode":null,"error":null}""");
        Legacy("status", null, null, null, """{"scope":"run","status":"succeeded","exitCode":null,"error":null}""");
        await _db.SaveChangesAsync();
        var rows = await _db.RunEvents.AsNoTracking().Where(r => r.RunId == _runId).OrderBy(r => r.Id).ToListAsync();

        var events = (await new RunEventStore(_db, _runId).ReadAsync(0, CancellationToken.None)).Events;

        var resolved = Assert.IsType<TargetsResolved>(events[0]);
        Assert.Equal(rows[1].Id, resolved.Id);
        Assert.Equal(["Target 9 does not exist any more; it was skipped."], resolved.Problems);
        var target = Assert.Single(resolved.Targets);
        Assert.Equal((7L, "web-1", "10.0.0.7"), (target.TargetId, target.TargetName, target.Hostname));
        Assert.Empty(target.Steps);

        var run = Assert.IsType<StatusChanged>(events[1]);
        Assert.Equal((RunScope.Run, RunStatus.Running, rows[2].At, (DateTimeOffset?)null), (run.Scope, run.Status, run.StartedAt.GetValueOrDefault(), run.FinishedAt));
        var firstAttempt = Assert.IsType<StatusChanged>(events[2]);
        Assert.Equal((RunScope.Target, 7L, 1, (string?)null), (firstAttempt.Scope, firstAttempt.TargetId!.Value, firstAttempt.Attempt!.Value, firstAttempt.Error));

        // Consecutive lines of one stream read as one chunk (its id the last line's), numbered across both streams.
        var chunks = events.OfType<OutputChunk>().ToList();
        Assert.Equal([(1L, OutputStream.Stdout, "one,two", rows[6].Id), (3, OutputStream.Stderr, "oops", rows[7].Id), (4, OutputStream.Stdout, "three", rows[8].Id),
            (1, OutputStream.Stdout, "again", rows[12].Id)], chunks.Select(c => (c.FirstLine, c.Stream, string.Join(",", c.Lines), c.Id)));

        var failed = events.OfType<StatusChanged>().Single(s => s is { Scope: RunScope.Step, Status: RunStatus.Failed });
        Assert.Equal((3, "exit code 3", (DateTimeOffset?)null, rows[9].At), (failed.ExitCode!.Value, failed.Error, failed.StartedAt, failed.FinishedAt!.Value));
        var secondAttempt = events.OfType<StatusChanged>().Where(s => s is { Scope: RunScope.Target, Status: RunStatus.Running }).Last();
        Assert.Equal((2, (string?)null), (secondAttempt.Attempt!.Value, secondAttempt.Error));
        Assert.Equal(RunStatus.Succeeded, ((StatusChanged)events[^1]).Status);
        Assert.Equal(rows.Count - 2, events.Count); // the problem line is part of the targets event, two lines are one chunk

        // Resumed in the middle of a step, the line numbers go on from the rows before.
        var resumed = (await new RunEventStore(_db, _runId).ReadAsync(rows[5].Id, CancellationToken.None)).Events.OfType<OutputChunk>().ToList();
        Assert.Equal([(2L, "two"), (3, "oops"), (4, "three"), (1, "again")], resumed.Select(c => (c.FirstLine, string.Join(",", c.Lines))));
        // Read a row at a time, the same lines come in one-line chunks with the same numbers.
        var store = new RunEventStore(_db, _runId);
        var oneByOne = new List<OutputChunk>();
        for (var last = 0L; ;)
        {
            var page = await store.ReadAsync(last, CancellationToken.None, pageSize: 1);
            oneByOne.AddRange(page.Events.OfType<OutputChunk>());
            last = page.LastRowId;
            if (!page.Full)
            {
                break;
            }
        }
        Assert.Equal([(1L, "one"), (2, "two"), (3, "oops"), (4, "three"), (1, "again")], oneByOne.Select(c => (c.FirstLine, string.Join(",", c.Lines))));
    }

    [Fact]
    public void A_row_this_version_cannot_read_is_skipped()
    {
        Assert.Null(RunEventCodec.Decode(new RunEvent { Kind = "from_the_future", Text = "{}" }));
        Assert.Null(RunEventCodec.Decode(new RunEvent { Kind = RunEventKinds.StatusChanged, Text = "not json" }));
    }

    void Legacy(string kind, long? targetId, int? step, OutputStream? stream, string text) =>
        _db.RunEvents.Add(new RunEvent { RunId = _runId, Kind = kind, TargetId = targetId, StepIndex = step, Stream = stream, Text = text, At = T0.AddSeconds(_db.ChangeTracker.Entries().Count()) });

    /// <summary>Records with lists compare by reference: compare their JSON, without the row's id and time.</summary>
    static string Normalize(RunStreamEvent e) => System.Text.Json.JsonSerializer.Serialize(e with { Id = 0, At = default }, RunEventCodec.Json);
}
