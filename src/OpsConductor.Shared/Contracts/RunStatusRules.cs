namespace OpsConductor.Shared.Contracts;

/// <summary>The one place that says which statuses end a run, a target or a step.</summary>
public static class RunStatusRules
{
    public static bool IsFinal(this RunStatus status) => status is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Cancelled or RunStatus.TimedOut or RunStatus.Skipped;
}
