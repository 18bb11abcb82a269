namespace OpsConductor.Shared.Contracts;

public enum RunStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
    TimedOut,

    /// <summary>
    /// Steps only: the step never ran because an earlier step failed or the run was cancelled or timed out. No run or
    /// target has it; the run list's status filter refuses it.
    /// </summary>
    Skipped,
}

public enum StepType
{
    Command,
    ShellScript,
    Powershell,
}

public enum OutputStream
{
    Stdout,
    Stderr,
}

public sealed record StepPlan(int Index, string Name, StepType Type, string Script, int? TimeoutSeconds, bool ContinueOnError, int Retries);

/// <summary>A run an executor claimed: everything it needs to execute it, resolved at claim time.</summary>
public sealed record ClaimedRun(
    long RunId,
    long JobId,
    string JobName,
    string RequestedBy,
    IReadOnlyList<StepPlan> Steps,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyCollection<string> SecretParameterNames,
    IReadOnlyList<long> TargetIds,
    IReadOnlyList<string> TargetTags,
    int MaxParallelTargets,
    int JobRetries,
    int RetryBackoffSeconds);

/// <summary>How a step ended on one target; output already redacted and capped.</summary>
public sealed record StepResult(RunStatus Status, int? ExitCode, string? Error, string Stdout, string Stderr, bool OutputTruncated);

public sealed record WorkerInfo(string Id, string Host, DateTimeOffset StartedAt, DateTimeOffset LastHeartbeat, int RunningRuns, int Capacity);

public sealed record RunTargetRecord(long TargetId, string TargetName, string Hostname);

/// <summary>
/// The jobs service's run queue as the executor sees it: claim work under a lease, keep the lease
/// alive, report progress. A run whose lease lapses is recovered by <see cref="RecoverExpiredLeasesAsync"/>.
/// </summary>
public interface IRunQueue
{
    Task RegisterWorkerAsync(WorkerInfo worker, CancellationToken cancellationToken);

    /// <summary>Renews the worker's heartbeat and the leases of its runs; returns the runs whose cancel was requested.</summary>
    Task<IReadOnlyCollection<long>> HeartbeatAsync(string workerId, IReadOnlyCollection<long> runningRunIds, int capacity, CancellationToken cancellationToken);

    Task UnregisterWorkerAsync(string workerId, CancellationToken cancellationToken);

    /// <summary>Claims up to <paramref name="max"/> queued runs for the worker; explains on the runs left queued why they wait.</summary>
    Task<IReadOnlyList<ClaimedRun>> ClaimAsync(string workerId, int max, CancellationToken cancellationToken);

    /// <summary>Completes when work may have arrived (in this process), when a run queued ahead of its time is due, or after the timeout.</summary>
    Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Runs whose executor stopped heartbeating: re-queued when nothing started, failed otherwise.</summary>
    Task<int> RecoverExpiredLeasesAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<WorkerInfo>> GetWorkersAsync(CancellationToken cancellationToken);

    Task<int> CountQueuedAsync(CancellationToken cancellationToken);
}

/// <summary>What the executor writes about a run while it executes it.</summary>
public interface IRunLedger
{
    Task TargetsResolvedAsync(long runId, IReadOnlyList<RunTargetRecord> targets, IReadOnlyList<string> problems, CancellationToken cancellationToken);

    Task TargetStartedAsync(long runId, long targetId, int attempt, CancellationToken cancellationToken);

    Task StepStartedAsync(long runId, long targetId, int stepIndex, CancellationToken cancellationToken);

    /// <summary>
    /// Output lines of one stream, already redacted, in order; stored as one <see cref="OutputChunk"/> (several when the
    /// lines are many or large). <paramref name="firstLine"/> is the 1-based number of the first of them among the lines
    /// of this attempt of the step, both streams counted together: the executor counts what it reported since the step
    /// started. A step that starts again (a step retry, or a job-level retry of its target) starts again at line 1, and
    /// its output is that of its latest attempt, as <c>GET /runs/{id}</c> shows it.
    /// </summary>
    Task AppendOutputAsync(long runId, long targetId, int stepIndex, OutputStream stream, long firstLine, IReadOnlyList<string> lines,
        CancellationToken cancellationToken);

    Task StepFinishedAsync(long runId, long targetId, int stepIndex, StepResult result, CancellationToken cancellationToken);

    Task TargetFinishedAsync(long runId, long targetId, RunStatus status, string? error, CancellationToken cancellationToken);

    Task RunFinishedAsync(long runId, RunStatus status, string? error, CancellationToken cancellationToken);
}
