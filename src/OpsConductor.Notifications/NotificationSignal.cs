namespace OpsConductor.Notifications;

/// <summary>Wakes this process's sender when its dispatcher created messages (other processes find them on their next poll).</summary>
public sealed class NotificationSignal
{
    readonly SemaphoreSlim _pending = new(0, 1);

    public void Pending()
    {
        if (_pending.CurrentCount == 0)
        {
            try
            {
                _pending.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled.
            }
        }
    }

    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct) => await _pending.WaitAsync(timeout, ct);
}
