namespace OpsConductor.Executor.Sessions;

/// <summary>How a step ended on its target: an exit code, a signal, a timeout, a cancel, or refused before it started.</summary>
public sealed record StepOutcome(int? ExitCode, string? Signal, bool TimedOut, bool Cancelled, string? Refused = null)
{
    public static StepOutcome Refusal(string why) => new(null, null, false, false, why);
}
