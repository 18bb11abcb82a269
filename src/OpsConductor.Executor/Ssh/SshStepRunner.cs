using System.Globalization;
using System.Text;
using OpsConductor.Executor.Sessions;
using OpsConductor.Executor.Windows;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Scripting;
using Renci.SshNet;

namespace OpsConductor.Executor.Ssh;

/// <summary>
/// Runs one step over an SSH connection. On POSIX targets the command first reports its process
/// group (sshd makes every session a group leader), so cancel and timeouts can kill the whole tree.
/// On Windows targets the step runs as <see cref="WindowsStep"/> through the target's default shell (cmd.exe or
/// PowerShell), and cancel and timeouts kill the bootstrap's process tree with a second command.
/// </summary>
public static class SshStepRunner
{
    const string GroupMarker = "__OPSC_PGID__";

    public static async Task<StepOutcome> RunAsync(SshClient client, TargetConnection target, StepPlan step, IReadOnlyDictionary<string, string> parameters,
        OutputCollector output, TimeSpan timeout, CancellationToken cancel)
    {
        if (target.OsType == OsType.Windows)
        {
            return await RunWindowsAsync(client, step, parameters, output, timeout, cancel);
        }
        string commandText;
        byte[] input;
        try
        {
            (commandText, input) = Build(step, parameters);
        }
        catch (ScriptRefusedException refused)
        {
            return new StepOutcome(null, null, false, false, refused.Message);
        }
        using var command = client.CreateCommand(commandText);
        var execution = command.ExecuteAsync(CancellationToken.None);
        using (var stdin = command.CreateInputStream())
        {
            await stdin.WriteAsync(input, cancel);
        }

        long? group = null;
        bool ConsumeMarker(string line)
        {
            if (group is null && line.StartsWith(GroupMarker, StringComparison.Ordinal)
                && long.TryParse(line.AsSpan(GroupMarker.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var g))
            {
                group = g;
                return true;
            }
            return false;
        }
        var readers = Task.WhenAll(
            Pump(command.OutputStream, OutputStream.Stdout, output, null),
            Pump(command.ExtendedOutputStream, OutputStream.Stderr, output, ConsumeMarker));

        using var timer = new CancellationTokenSource(timeout);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel, timer.Token);
        var finished = await Task.WhenAny(execution, Task.Delay(Timeout.Infinite, stop.Token)) == execution;
        if (!finished)
        {
            await KillAsync(client, command, group);
            try
            {
                await execution.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or Renci.SshNet.Common.SshException)
            {
            }
        }
        await readers.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
        return new StepOutcome(finished ? command.ExitStatus : null, command.ExitSignal,
            TimedOut: !finished && timer.IsCancellationRequested && !cancel.IsCancellationRequested,
            Cancelled: !finished && cancel.IsCancellationRequested);
    }

    /// <summary>
    /// The command line and what goes to its stdin. No value is ever on the command line: POSIX scripts
    /// (with their values in a prologue) are uploaded through stdin into a private temp file and run from
    /// it; PowerShell, on every Windows step and for powershell steps, gets the fixed bootstrap and reads
    /// the values and the script from stdin.
    /// </summary>
    static (string Command, byte[] Input) Build(StepPlan step, IReadOnlyDictionary<string, string> parameters)
    {
        var announce = $"echo \"{GroupMarker}$$\" >&2; ";
        const string PowerShellOptions = "-NoLogo -NoProfile -NonInteractive -EncodedCommand ";
        switch (StepScript.Dialect(step.Type, step.Script, windows: false))
        {
            case ScriptDialect.PowerShell:
                return (announce + "exec pwsh " + PowerShellOptions + PowerShellBootstrap.EncodedCommand, PowerShellBootstrap.Input(step.Script, parameters));
            case ScriptDialect.Posix:
                return Upload(announce, PosixScript.Render(step.Script, parameters),
                    step.Type == StepType.ShellScript ? StepScript.Interpreter(step.Script) ?? "/bin/sh" : "/bin/sh");
            default:
                if (ScriptTemplate.References(step.Script).Count > 0)
                {
                    throw new ScriptRefusedException("The script's #! interpreter is not a shell OpsConductor knows, so it cannot hold {{parameters}}.");
                }
                return Upload(announce, step.Script, StepScript.Interpreter(step.Script)!);
        }
    }

    /// <summary>
    /// Writes the script into a private temp directory through stdin, runs it with the interpreter and
    /// removes it, also when cancel or a timeout sends TERM (the file can hold secret values).
    /// </summary>
    static (string Command, byte[] Input) Upload(string announce, string script, string interpreter) =>
        (announce + "umask 077; d=$(mktemp -d \"${TMPDIR:-/tmp}/opsc-step-XXXXXX\") || exit 125; trap 'rm -rf \"$d\"' EXIT; trap 'exit 143' HUP INT TERM; "
            + $"f=\"$d/step\"; cat > \"$f\" || exit 125; {interpreter} \"$f\" </dev/null; rc=$?; exit $rc", Encoding.UTF8.GetBytes(script));

    static async Task<StepOutcome> RunWindowsAsync(SshClient client, StepPlan step, IReadOnlyDictionary<string, string> parameters,
        OutputCollector output, TimeSpan timeout, CancellationToken cancel)
    {
        if (!WindowsStep.TryBuild(step, parameters, out var windows, out var refusal))
        {
            return StepOutcome.Refusal(refusal);
        }
        var sink = new WindowsOutput(output, windows, output.CapBytes);
        using var command = client.CreateCommand(windows.CommandLine);
        var execution = command.ExecuteAsync(CancellationToken.None);
        using (var stdin = command.CreateInputStream())
        {
            await stdin.WriteAsync(windows.Input, cancel);
        }
        var readers = Task.WhenAll(PumpRaw(command.OutputStream, sink.Stdout), PumpRaw(command.ExtendedOutputStream, sink.Stderr))
            .ContinueWith(_ => sink.Complete(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);

        using var timer = new CancellationTokenSource(timeout);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel, timer.Token);
        var finished = await Task.WhenAny(execution, Task.Delay(Timeout.Infinite, stop.Token)) == execution;
        if (!finished)
        {
            // PowerShell may still be starting: its process id comes as its first line. Then kill its tree.
            for (var i = 0; i < 300 && sink.ProcessId is null && !execution.IsCompleted; i++)
            {
                await Task.Delay(50, CancellationToken.None);
            }
            if (sink.ProcessId is { } pid && !execution.IsCompleted && client.IsConnected)
            {
                try
                {
                    using var kill = client.CreateCommand(windows.KillCommandLine(pid));
                    await kill.ExecuteAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
                }
                catch (Exception ex) when (ex is TimeoutException or Renci.SshNet.Common.SshException or InvalidOperationException)
                {
                }
            }
            try
            {
                command.CancelAsync(forceKill: true, millisecondsTimeout: 500);
            }
            catch (Exception ex) when (ex is Renci.SshNet.Common.SshException or InvalidOperationException or ObjectDisposedException)
            {
            }
            try
            {
                await execution.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or Renci.SshNet.Common.SshException)
            {
            }
        }
        await readers.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
        // The bootstrap's own report first: a PowerShell login shell turns every failure into exit status 1.
        return new StepOutcome(finished ? sink.ExitCode ?? command.ExitStatus : null, finished ? command.ExitSignal : null,
            TimedOut: !finished && timer.IsCancellationRequested && !cancel.IsCancellationRequested,
            Cancelled: !finished && cancel.IsCancellationRequested);
    }

    static Task PumpRaw(Stream stream, SpanWriter write) =>
        Task.Factory.StartNew(() =>
        {
            var buffer = new byte[16 * 1024];
            try
            {
                int n;
                while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
                {
                    write(buffer.AsSpan(0, n));
                }
            }
            catch (ObjectDisposedException)
            {
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    delegate void SpanWriter(ReadOnlySpan<byte> bytes);

    static Task Pump(Stream stream, OutputStream kind, OutputCollector output, Func<string, bool>? consume) =>
        Task.Factory.StartNew(() =>
        {
            // SSH.NET's pipe streams only read synchronously: one dedicated thread per stream.
            var buffer = new byte[16 * 1024];
            try
            {
                int n;
                while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
                {
                    output.Write(kind, buffer.AsSpan(0, n), consume);
                }
            }
            catch (ObjectDisposedException)
            {
            }
            output.Complete(kind, consume);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    static async Task KillAsync(SshClient client, SshCommand command, long? group)
    {
        if (group is { } g && client.IsConnected)
        {
            try
            {
                using var kill = client.CreateCommand($"kill -TERM -- -{g} 2>/dev/null; sleep 2; kill -KILL -- -{g} 2>/dev/null; true");
                await kill.ExecuteAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception ex) when (ex is TimeoutException or Renci.SshNet.Common.SshException or InvalidOperationException)
            {
            }
        }
        try
        {
            command.CancelAsync(forceKill: true, millisecondsTimeout: 500);
        }
        catch (Exception ex) when (ex is Renci.SshNet.Common.SshException or InvalidOperationException or ObjectDisposedException)
        {
        }
    }
}
