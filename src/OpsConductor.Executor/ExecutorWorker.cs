using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Executor;

/// <summary>
/// Claims queued runs up to its configured limit, executes them, heartbeats their leases, picks up
/// cancel requests, and recovers runs whose executor died (lease expired).
/// </summary>
public sealed class ExecutorWorker(IServiceScopeFactory scopes, RunExecution execution, Sessions.TargetSessions sessions,
    ExecutorOptions options, TimeProvider clock, ILogger<ExecutorWorker> logger) : BackgroundService
{
    readonly string _id = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
    readonly ConcurrentDictionary<long, CancellationTokenSource> _running = new();
    TaskCompletionSource _slotFreed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Queue(q => q.RegisterWorkerAsync(new WorkerInfo(_id, Environment.MachineName, clock.GetUtcNow(), clock.GetUtcNow(), 0,
            options.MaxConcurrentRuns), stoppingToken));
        logger.LogInformation("Executor {Worker} started; up to {Max} runs at once", _id, options.MaxConcurrentRuns);
        var heartbeat = HeartbeatLoop(stoppingToken);
        var lastRecovery = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (clock.GetUtcNow() - lastRecovery > TimeSpan.FromSeconds(5))
                {
                    lastRecovery = clock.GetUtcNow();
                    var recovered = await Queue(q => q.RecoverExpiredLeasesAsync(stoppingToken));
                    if (recovered > 0)
                    {
                        logger.LogWarning("Recovered {Count} runs whose executor stopped responding", recovered);
                    }
                    await sessions.PruneAsync();
                }
                var slotFreed = Volatile.Read(ref _slotFreed).Task; // before counting, so a run ending after the count wakes us
                var free = options.MaxConcurrentRuns - _running.Count;
                var claimed = await Queue(q => q.ClaimAsync(_id, Math.Max(0, free), stoppingToken));
                foreach (var run in claimed)
                {
                    Start(run);
                }
                if (claimed.Count == 0)
                {
                    // At capacity, the queue's wake-up (a run finished) can come before this executor has counted the
                    // run out; waking on a freed slot as well keeps queued runs from waiting a whole poll interval.
                    // The wait reads the queue (its earliest run queued ahead of time) in this scope: when a freed slot
                    // ends it early it is cancelled and awaited, so the scope is never disposed under a running query.
                    await Queue(async q =>
                    {
                        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                        var work = q.WaitForWorkAsync(TimeSpan.FromSeconds(options.PollSeconds), waiting.Token);
                        if (free == 0 && await Task.WhenAny(work, slotFreed) != work)
                        {
                            await waiting.CancelAsync();
                        }
                        try
                        {
                            await work;
                        }
                        catch (OperationCanceledException) when (waiting.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
                        {
                        }
                        return 0;
                    });
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Executor loop failed; retrying");
                await Task.Delay(TimeSpan.FromSeconds(1), clock, CancellationToken.None);
            }
        }
        await heartbeat;
    }

    void Start(ClaimedRun run)
    {
        var cancel = new CancellationTokenSource();
        _running[run.RunId] = cancel;
        logger.LogInformation("Run {RunId} of job {Job} started", run.RunId, run.JobName);
        _ = Task.Run(async () =>
        {
            try
            {
                await execution.ExecuteAsync(run, cancel.Token);
            }
            finally
            {
                _running.TryRemove(run.RunId, out _);
                cancel.Dispose();
                Interlocked.Exchange(ref _slotFreed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                logger.LogInformation("Run {RunId} finished", run.RunId);
            }
        }, CancellationToken.None);
    }

    async Task HeartbeatLoop(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.HeartbeatSeconds), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var cancels = await Queue(q => q.HeartbeatAsync(_id, _running.Keys.ToList(), options.MaxConcurrentRuns, stoppingToken));
                    foreach (var runId in cancels)
                    {
                        if (_running.TryGetValue(runId, out var cts) && !cts.IsCancellationRequested)
                        {
                            logger.LogInformation("Cancelling run {RunId}", runId);
                            await cts.CancelAsync();
                        }
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Executor heartbeat failed");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await Queue(async q => { await q.UnregisterWorkerAsync(_id, cancellationToken); return 0; });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not unregister executor {Worker}", _id);
        }
    }

    async Task<T> Queue<T>(Func<IRunQueue, Task<T>> call)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await call(scope.ServiceProvider.GetRequiredService<IRunQueue>());
    }

    Task Queue(Func<IRunQueue, Task> call) => Queue(async q => { await call(q); return 0; });
}
