using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using OpsConductor.Shared.Hosting;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Hosting;

/// <summary>The background-job base on a controlled clock: a failed round is logged once and the next one still runs.</summary>
[Trait("Category", TestCategories.ProviderIndependent)]
public sealed class PeriodicWorkerTests
{
    static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_failed_round_is_logged_once_and_the_next_interval_runs_again_until_stopped()
    {
        var clock = new FakeTimeProvider();
        var logger = new FakeLogger();
        using var worker = new CountingWorker(clock, logger, TimeSpan.FromMinutes(5), failFirst: true);

        await worker.StartAsync(CancellationToken.None);
        await worker.Rounds[0].Task.WaitAsync(HangGuard); // at start, and it throws
        Assert.False(worker.Rounds[1].Task.IsCompleted);

        clock.Advance(TimeSpan.FromMinutes(5));
        await worker.Rounds[1].Task.WaitAsync(HangGuard);

        await worker.StopAsync(CancellationToken.None);
        Assert.True(worker.ExecuteTask!.IsCompletedSuccessfully);
        var warning = Assert.Single(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Equal("Counting failed", warning.Message);
        Assert.IsType<InvalidOperationException>(warning.Exception);
    }

    [Fact]
    public async Task An_interval_of_zero_turns_the_worker_off_and_says_so()
    {
        var logger = new FakeLogger();
        using var worker = new CountingWorker(new FakeTimeProvider(), logger, TimeSpan.Zero, failFirst: false);

        await worker.StartAsync(CancellationToken.None);
        await worker.ExecuteTask!.WaitAsync(HangGuard);

        Assert.False(worker.Rounds[0].Task.IsCompleted);
        Assert.Equal("Counting is disabled (an interval of 0)", logger.LatestRecord.Message);
    }

    sealed class CountingWorker(TimeProvider clock, ILogger logger, TimeSpan interval, bool failFirst) : PeriodicWorker(clock, logger)
    {
        int _round;

        public TaskCompletionSource[] Rounds { get; } = [new(), new(), new()];

        protected override TimeSpan Interval => interval;

        protected override string Activity => "Counting";

        protected override bool RunsAtStart => true;

        protected override Task RunOnceAsync(CancellationToken stoppingToken)
        {
            var round = _round++;
            Rounds[round].SetResult();
            return failFirst && round == 0 ? throw new InvalidOperationException("first round fails") : Task.CompletedTask;
        }
    }
}
