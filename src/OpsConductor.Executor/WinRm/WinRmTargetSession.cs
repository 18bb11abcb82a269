using OpsConductor.Executor.Sessions;
using OpsConductor.Executor.Windows;
using OpsConductor.Remoting.WinRm;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Scripting;

namespace OpsConductor.Executor.WinRm;

/// <summary>
/// One WinRM client on a target and the shell of the current run, created by its first step and reused by the others,
/// deleted when the run is done with the target (<see cref="EndRunAsync"/>), after a timeout or cancel, and on dispose.
/// Each step is <see cref="WindowsStep"/> started in that shell, its stdin sent, and its output received round after round
/// into the output as it arrives.
/// </summary>
public sealed class WinRmTargetSession(WinRmClient client) : ITargetSession
{
    static readonly TimeSpan CleanupTime = TimeSpan.FromSeconds(15);

    WinRmShell? _shell;
    bool _broken;

    public bool IsConnected => !_broken && client.IsConnected;

    public async Task<StepOutcome> RunStepAsync(StepPlan step, IReadOnlyDictionary<string, string> parameters, OutputCollector output, TimeSpan timeout,
        CancellationToken cancel)
    {
        if (!WindowsStep.TryBuild(step, parameters, out var windows, out var refusal))
        {
            return StepOutcome.Refusal(refusal);
        }
        var sink = new WindowsOutput(output, windows, output.CapBytes);
        using var timer = new CancellationTokenSource(timeout);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel, timer.Token);
        WinRmCommand? command = null;
        int? exitCode = null;
        var done = false;
        try
        {
            _shell ??= await client.CreateShellAsync(WinRmShellOptions.Default, stop.Token);
            command = await _shell.StartCommandAsync("powershell.exe", windows.Arguments, stop.Token);
            // Each Send envelope stays well under MaxEnvelopeSize (base64 grows by 4/3, and NTLM sealing adds framing).
            var piece = Math.Max(1024, (client.Options.MaxEnvelopeSize - 4096) / 4 * 3 / 2);
            for (var at = 0; at < windows.Input.Length; at += piece)
            {
                var length = Math.Min(piece, windows.Input.Length - at);
                await command.SendInputAsync(windows.Input.AsMemory(at, length), at + length >= windows.Input.Length, stop.Token);
            }
            while (!done)
            {
                var round = await command.ReceiveAsync(stop.Token);
                foreach (var chunk in round.Output)
                {
                    if (chunk.Stream == OutputStream.Stderr)
                    {
                        sink.Stderr(chunk.Data);
                    }
                    else
                    {
                        sink.Stdout(chunk.Data);
                    }
                }
                (done, exitCode) = (round.Done, round.ExitCode);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped below: terminate the command, delete the shell (which ends what the command started).
        }
        catch (Exception ex) when (Lost(ex))
        {
            _broken = true;
            sink.Complete();
            throw new TargetSessionLostException(Describe(ex), ex);
        }
        sink.Complete();
        if (!done)
        {
            await StopAsync(command);
            await CleanUpAsync(windows);
        }
        return new StepOutcome(done ? sink.ExitCode ?? exitCode : null, null,
            TimedOut: !done && timer.IsCancellationRequested && !cancel.IsCancellationRequested,
            Cancelled: !done && cancel.IsCancellationRequested);
    }

    /// <summary>Signal terminate, then delete the shell; both best effort and bounded in time.</summary>
    async Task StopAsync(WinRmCommand? command)
    {
        using var limit = new CancellationTokenSource(CleanupTime);
        if (command is not null)
        {
            try
            {
                await command.SignalAsync(WinRmSignal.Terminate, limit.Token);
            }
            catch (Exception ex) when (Lost(ex) || ex is OperationCanceledException)
            {
            }
        }
        await DeleteShellAsync(limit.Token);
    }

    /// <summary>
    /// A terminated step could not remove its private directory (its script may hold parameter values): a short
    /// command in a new shell removes it. Best effort and bounded in time.
    /// </summary>
    async Task CleanUpAsync(WindowsStep windows)
    {
        using var limit = new CancellationTokenSource(CleanupTime);
        WinRmShell? shell = null;
        try
        {
            shell = await client.CreateShellAsync(WinRmShellOptions.Default, limit.Token);
            var command = await shell.StartCommandAsync("powershell.exe", windows.CleanupArguments, limit.Token);
            await command.SendInputAsync(ReadOnlyMemory<byte>.Empty, end: true, limit.Token);
            while (!(await command.ReceiveAsync(limit.Token)).Done)
            {
            }
        }
        catch (Exception ex) when (Lost(ex) || ex is OperationCanceledException)
        {
            _broken = true;
        }
        finally
        {
            if (shell is not null)
            {
                await shell.DeleteAsync(CancellationToken.None);
            }
        }
    }

    async Task DeleteShellAsync(CancellationToken ct)
    {
        var shell = _shell;
        _shell = null;
        if (shell is null)
        {
            return;
        }
        try
        {
            await shell.DeleteAsync(ct);
        }
        catch (Exception ex) when (Lost(ex) || ex is OperationCanceledException)
        {
            _broken = true; // a shell we could not delete: do not hand this client to another run
        }
    }

    public async Task EndRunAsync()
    {
        using var limit = new CancellationTokenSource(CleanupTime);
        await DeleteShellAsync(limit.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await EndRunAsync();
        await client.DisposeAsync();
    }

    static bool Lost(Exception ex) =>
        ex is WinRmFaultException or WinRmConnectException or HttpRequestException or IOException or ObjectDisposedException or InvalidOperationException
            or TimeoutException;

    /// <summary>Faults carry their code and the server's reason; other errors only their kind (no server text, no secret).</summary>
    static string Describe(Exception ex) => ex switch
    {
        WinRmFaultException fault => $"The WinRM session failed: {fault.Message}",
        WinRmConnectException connect => $"The WinRM connection failed: {connect.Message}",
        HttpRequestException http => $"The WinRM connection failed: {http.HttpRequestError}",
        _ => $"The WinRM connection failed: {ex.GetType().Name}",
    };
}
