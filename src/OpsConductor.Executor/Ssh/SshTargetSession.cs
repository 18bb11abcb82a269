using OpsConductor.Executor.Sessions;
using OpsConductor.Shared.Contracts;
using Renci.SshNet;

namespace OpsConductor.Executor.Ssh;

/// <summary>One SSH connection to a target; each step is an exec channel on it (<see cref="SshStepRunner"/>).</summary>
public sealed class SshTargetSession(SshClient client, TargetConnection target) : ITargetSession
{
    public bool IsConnected => client.IsConnected;

    public async Task<StepOutcome> RunStepAsync(StepPlan step, IReadOnlyDictionary<string, string> parameters, OutputCollector output, TimeSpan timeout,
        CancellationToken cancel)
    {
        try
        {
            return await SshStepRunner.RunAsync(client, target, step, parameters, output, timeout, cancel);
        }
        catch (Exception ex) when (ex is Renci.SshNet.Common.SshException or InvalidOperationException or ObjectDisposedException)
        {
            throw new TargetSessionLostException($"The SSH connection failed: {ex.GetType().Name}", ex);
        }
    }

    public Task EndRunAsync() => Task.CompletedTask;

    public ValueTask DisposeAsync()
    {
        client.Dispose();
        return ValueTask.CompletedTask;
    }
}
