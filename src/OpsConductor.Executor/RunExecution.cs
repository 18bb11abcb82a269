using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpsConductor.Executor.Sessions;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Executor;

/// <summary>
/// Executes one claimed run: resolves its targets, fans out with bounded parallelism, records everything. It talks to
/// targets only through <see cref="ITargetSession"/>, so SSH and WinRM behave the same here.
/// </summary>
public sealed class RunExecution(IServiceScopeFactory scopes, TargetSessions sessions, ExecutorOptions options, ILogger<RunExecution> logger)
{
    public async Task ExecuteAsync(ClaimedRun run, CancellationToken cancel)
    {
        try
        {
            var status = await ExecuteCoreAsync(run, cancel);
            await Ledger(l => l.RunFinishedAsync(run.RunId, status.Status, status.Error, CancellationToken.None));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancel.IsCancellationRequested)
        {
            logger.LogError(ex, "Run {RunId} failed inside the executor", run.RunId);
            await Ledger(l => l.RunFinishedAsync(run.RunId, RunStatus.Failed, $"The executor failed: {ex.GetType().Name}", CancellationToken.None));
        }
    }

    async Task<(RunStatus Status, string? Error)> ExecuteCoreAsync(ClaimedRun run, CancellationToken cancel)
    {
        TargetResolution resolution;
        await using (var scope = scopes.CreateAsyncScope())
        {
            resolution = await scope.ServiceProvider.GetRequiredService<ITargetDirectory>().ResolveAsync(run.TargetIds, run.TargetTags, cancel);
        }
        var problems = resolution.MissingIds.Select(id => $"Target {id} does not exist any more; it was skipped.").ToList();
        var targets = resolution.Targets;
        await Ledger(l => l.TargetsResolvedAsync(run.RunId, targets.Select(t => new RunTargetRecord(t.Id, t.Name, t.Hostname)).ToList(), problems, cancel));
        if (targets.Count == 0)
        {
            return (RunStatus.Failed, "No targets matched the job's selection.");
        }

        // Every secret this run may touch, read once (and audited), so all output can be redacted.
        var secrets = new Dictionary<long, CredentialSecret?>();
        await using (var scope = scopes.CreateAsyncScope())
        {
            var vault = scope.ServiceProvider.GetRequiredService<ICredentialVault>();
            foreach (var id in targets.Select(t => t.CredentialId).Distinct())
            {
                secrets[id] = await vault.ReadSecretAsync(id, new SecretAccess("executor", "run", run.RunId, run.RequestedBy), cancel);
            }
        }
        var redactor = new Redactor(secrets.Values.Where(s => s is not null).SelectMany(s => s!.SecretValues)
            .Concat(run.SecretParameterNames.Where(run.Parameters.ContainsKey).Select(n => run.Parameters[n])));

        using var parallel = new SemaphoreSlim(Math.Max(1, run.MaxParallelTargets));
        var results = await Task.WhenAll(targets.Select(async target =>
        {
            await parallel.WaitAsync(CancellationToken.None);
            try
            {
                return await RunTargetAsync(run, target, secrets.GetValueOrDefault(target.CredentialId), redactor, cancel);
            }
            finally
            {
                parallel.Release();
            }
        }));

        if (cancel.IsCancellationRequested)
        {
            return (RunStatus.Cancelled, "Cancelled by a user.");
        }
        var failed = results.Count(r => r == RunStatus.Failed);
        var timedOut = results.Count(r => r == RunStatus.TimedOut);
        return failed > 0 ? (RunStatus.Failed, $"{failed + timedOut} of {results.Length} targets failed.")
            : timedOut > 0 ? (RunStatus.TimedOut, $"{timedOut} of {results.Length} targets timed out.")
            : (RunStatus.Succeeded, null);
    }

    async Task<RunStatus> RunTargetAsync(ClaimedRun run, TargetConnection target, CredentialSecret? secret, Redactor redactor, CancellationToken cancel)
    {
        // Job-level retries run the whole step list again, on the failed target only.
        var attempts = 1;
        while (true)
        {
            if (cancel.IsCancellationRequested)
            {
                await Ledger(l => l.TargetFinishedAsync(run.RunId, target.Id, RunStatus.Cancelled, "cancelled", CancellationToken.None));
                return RunStatus.Cancelled;
            }
            await Ledger(l => l.TargetStartedAsync(run.RunId, target.Id, attempts, CancellationToken.None));
            var (status, error) = await AttemptTargetAsync(run, target, attempts, secret, redactor, cancel);
            if (status is RunStatus.Succeeded or RunStatus.Cancelled || attempts > run.JobRetries)
            {
                await Ledger(l => l.TargetFinishedAsync(run.RunId, target.Id, status, error, CancellationToken.None));
                return status;
            }
            await Backoff(run, attempts, cancel);
            attempts++;
        }
    }

    static async Task Backoff(ClaimedRun run, int attempt, CancellationToken cancel)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(run.RetryBackoffSeconds * Math.Pow(2, attempt - 1)), cancel);
        }
        catch (OperationCanceledException)
        {
        }
    }

    async Task<(RunStatus, string?)> AttemptTargetAsync(ClaimedRun run, TargetConnection target, int attempt, CredentialSecret? secret, Redactor redactor,
        CancellationToken cancel)
    {
        if (secret is null)
        {
            return (RunStatus.Failed, $"The credential {target.CredentialId} of this target does not exist.");
        }
        ITargetSession session;
        try
        {
            (session, var firstUseKey) = await sessions.AcquireAsync(target, secret, (seen, ct) => VerifyHostKey(target.Id, seen, ct), cancel);
            if (firstUseKey is not null)
            {
                // Pinned only now that authentication succeeded: a server that refused the key gets nothing pinned.
                await Targets(d => d.PinAuthenticatedHostKeyAsync(target.Id, firstUseKey, CancellationToken.None));
            }
        }
        catch (TargetConnectException ex)
        {
            await ReportConnectFailure(target, ex);
            return (RunStatus.Failed, ex.Message);
        }
        catch (OperationCanceledException)
        {
            return (RunStatus.Cancelled, "cancelled");
        }

        await ReportReached(run, target, attempt);
        var reusable = true;
        var final = RunStatus.Succeeded;
        string? error = null;
        try
        {
            foreach (var step in run.Steps)
            {
                var (status, stepError) = await RunStepWithRetriesAsync(run, target, step, session, redactor, cancel);
                if (status == RunStatus.Succeeded || (status == RunStatus.Failed && step.ContinueOnError))
                {
                    continue;
                }
                reusable = status == RunStatus.Failed;
                (final, error) = (status, $"Step '{step.Name}': {stepError}");
                break;
            }
        }
        catch (TargetSessionLostException ex)
        {
            reusable = false;
            (final, error) = (RunStatus.Failed, ex.Message);
        }
        finally
        {
            await sessions.ReleaseAsync(target, secret, session, reusable);
        }
        return (final, error);
    }

    async Task<(RunStatus, string?)> RunStepWithRetriesAsync(ClaimedRun run, TargetConnection target, StepPlan step, ITargetSession session, Redactor redactor,
        CancellationToken cancel)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (status, error) = await RunStepAsync(run, target, step, session, redactor, cancel);
            if (status != RunStatus.Failed || attempt > step.Retries)
            {
                return (status, error);
            }
            await Backoff(run, attempt, cancel);
        }
    }

    async Task<(RunStatus, string?)> RunStepAsync(ClaimedRun run, TargetConnection target, StepPlan step, ITargetSession session,
        Redactor redactor, CancellationToken cancel)
    {
        await Ledger(l => l.StepStartedAsync(run.RunId, target.Id, step.Index, CancellationToken.None));
        var output = new OutputCollector(redactor, options.OutputCapBytes);
        using var streaming = new CancellationTokenSource();
        var flusher = FlushLoop(run.RunId, target.Id, step.Index, output, streaming.Token);
        StepOutcome outcome;
        try
        {
            var timeout = TimeSpan.FromSeconds(step.TimeoutSeconds ?? options.DefaultStepTimeoutSeconds);
            outcome = await session.RunStepAsync(step, run.Parameters, output, timeout, cancel);
        }
        finally
        {
            await streaming.CancelAsync();
            await flusher;
        }
        await Flush(run.RunId, target.Id, step.Index, output);

        var (status, error) = outcome switch
        {
            { Refused: { } why } => (RunStatus.Failed, why),
            { Cancelled: true } => (RunStatus.Cancelled, "cancelled; the remote processes were killed"),
            { TimedOut: true } => (RunStatus.TimedOut, $"timed out after {step.TimeoutSeconds ?? options.DefaultStepTimeoutSeconds} s; the remote processes were killed"),
            { ExitCode: 0 } => (RunStatus.Succeeded, (string?)null),
            { ExitCode: { } code } => (RunStatus.Failed, $"exit code {code}"),
            { Signal: { } signal } => (RunStatus.Failed, $"killed by signal {signal}"),
            _ => (RunStatus.Failed, "the command ended without an exit status"),
        };
        var (stdout, stderr) = output.Text();
        await Ledger(l => l.StepFinishedAsync(run.RunId, target.Id, step.Index,
            new StepResult(status, outcome.ExitCode, error, stdout, stderr, output.Truncated), CancellationToken.None));
        return (status, error);
    }

    async Task FlushLoop(long runId, long targetId, int step, OutputCollector output, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), stop);
                await Flush(runId, targetId, step, output);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    Task Flush(long runId, long targetId, int step, OutputCollector output)
    {
        var lines = output.TakePending(out var firstLine);
        if (lines.Count == 0)
        {
            return Task.CompletedTask;
        }
        return Ledger(async l =>
        {
            // Keep the order across streams: one call per run of same-stream lines, numbered on across them.
            var start = 0;
            for (var i = 1; i <= lines.Count; i++)
            {
                if (i == lines.Count || lines[i].Stream != lines[start].Stream)
                {
                    await l.AppendOutputAsync(runId, targetId, step, lines[start].Stream, firstLine + start, lines[start..i].Select(x => x.Line).ToList(),
                        CancellationToken.None);
                    start = i;
                }
            }
        });
    }

    /// <summary>
    /// The target's status follows what the run found (through the targets service, which records the change in the
    /// target's history), so the dashboard does not say "all fine" until the next sweep. A failure to record it only
    /// logs: the run's own result is what matters here.
    /// </summary>
    async Task ReportConnectFailure(TargetConnection target, TargetConnectException ex)
    {
        if (TargetStatusOf(ex.Failure) is not { } status)
        {
            return;
        }
        try
        {
            await Targets(d => d.ReportConnectFailureAsync(target.Id, status, ex.Message, CancellationToken.None));
        }
        catch (Exception report) when (report is not OperationCanceledException)
        {
            logger.LogWarning(report, "Could not record that target {Target} failed to connect", target.Name);
        }
    }

    /// <summary>
    /// The run connected, so the target is reachable: one that was not healthy when the run resolved it becomes
    /// healthy (a healthy one is not even asked about, unless an earlier attempt of this run may have marked it
    /// unreachable). A failure to record it only logs, as for a connect failure.
    /// </summary>
    async Task ReportReached(ClaimedRun run, TargetConnection target, int attempt)
    {
        if (target.Status == TargetStatus.Healthy && attempt == 1)
        {
            return;
        }
        try
        {
            await Targets(d => d.ReportReachedAsync(target.Id, $"Run #{run.RunId} reached it.", CancellationToken.None));
        }
        catch (Exception report) when (report is not OperationCanceledException)
        {
            logger.LogWarning(report, "Could not record that run {Run} reached target {Target}", run.RunId, target.Name);
        }
    }

    /// <summary>The target status a connect failure means, as a check would set it; null when the target is not at fault.</summary>
    internal static TargetStatus? TargetStatusOf(TargetConnectFailure failure) => failure switch
    {
        TargetConnectFailure.Unreachable or TargetConnectFailure.ProtocolError => TargetStatus.Unreachable,
        TargetConnectFailure.AuthFailed or TargetConnectFailure.InsecureRefused => TargetStatus.AuthFailed,
        TargetConnectFailure.HostKeyMismatch => TargetStatus.HostKeyMismatch,
        TargetConnectFailure.HostKeyUnconfirmed => TargetStatus.HostKeyUnconfirmed,
        TargetConnectFailure.CertificateRejected => TargetStatus.CertificateRejected,
        _ => null,
    };

    Task<HostKeyVerdict> VerifyHostKey(long targetId, string fingerprint, CancellationToken ct) =>
        Targets(d => d.VerifyHostKeyAsync(targetId, fingerprint, ct));

    async Task<T> Targets<T>(Func<ITargetDirectory, Task<T>> call)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await call(scope.ServiceProvider.GetRequiredService<ITargetDirectory>());
    }

    async Task Targets(Func<ITargetDirectory, Task> call)
    {
        await using var scope = scopes.CreateAsyncScope();
        await call(scope.ServiceProvider.GetRequiredService<ITargetDirectory>());
    }

    /// <summary>Each write gets its own scope: targets run in parallel, a DbContext does not.</summary>
    async Task Ledger(Func<IRunLedger, Task> write)
    {
        await using var scope = scopes.CreateAsyncScope();
        await write(scope.ServiceProvider.GetRequiredService<IRunLedger>());
    }
}
