namespace OpsConductor.Scheduler;

/// <summary>Wakes the worker of this process early, when a schedule was created or changed here.</summary>
public sealed class SchedulerSignals
{
    TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ScheduleChanged() => Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Completes at the next change after this call.</summary>
    public Task NextChange => Volatile.Read(ref _changed).Task;
}
