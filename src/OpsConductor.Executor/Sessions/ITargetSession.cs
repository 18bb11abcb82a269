using OpsConductor.Shared.Contracts;

namespace OpsConductor.Executor.Sessions;

/// <summary>
/// An open, authenticated session on one target (an SSH connection, a WinRM client and its shell). Steps of one run
/// go through the same session one after another; <see cref="TargetSessions"/> opens, reuses and keeps them warm.
/// </summary>
public interface ITargetSession : IAsyncDisposable
{
    /// <summary>True while the session can run another step (for pooling).</summary>
    bool IsConnected { get; }

    /// <summary>
    /// Runs one step to its end, streaming stdout and stderr into <paramref name="output"/> as they arrive. The
    /// <paramref name="timeout"/> and <paramref name="cancel"/> stop it and kill what it started on the target; the
    /// outcome says which. Throws <see cref="TargetSessionLostException"/> when the session broke underneath.
    /// </summary>
    Task<StepOutcome> RunStepAsync(StepPlan step, IReadOnlyDictionary<string, string> parameters, OutputCollector output, TimeSpan timeout,
        CancellationToken cancel);

    /// <summary>The run's steps on this target are done: release what belongs to the run (a WinRM shell); the session stays open.</summary>
    Task EndRunAsync();
}
