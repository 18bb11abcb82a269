using System.Globalization;
using System.Text;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Scripting;
using Renci.SshNet;

namespace OpsConductor.Executor.Ssh;

public sealed record StepOutcome(int? ExitCode, string? Signal, bool TimedOut, bool Cancelled);

/// <summary>
/// Runs one step over an SSH connection. On POSIX targets the command first reports its process
/// group (sshd makes every session a group leader), so cancel and timeouts can kill the whole tree.
/// </summary>
public static class SshStepRunner
{
    const string GroupMarker = "__OPSC_PGID__";

    public static async Task<StepOutcome> RunAsync(SshClient client, TargetConnection target, StepPlan step, IReadOnlyDictionary<string, string> parameters,
        OutputCollector output, TimeSpan timeout, CancellationToken cancel)
    {
        var posix = target.OsType != OsType.Windows;
        var (commandText, input) = Build(step, parameters, posix);
        using var command = client.CreateCommand(commandText);
        var execution = command.ExecuteAsync(CancellationToken.None);
        if (input is not null)
        {
            using var stdin = command.CreateInputStream();
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
            await KillAsync(client, command, group, posix);
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

    /// <summary>The command line and, for uploaded scripts, what goes to its stdin.</summary>
    static (string Command, byte[]? Input) Build(StepPlan step, IReadOnlyDictionary<string, string> parameters, bool posix)
    {
        var announce = $"echo \"{GroupMarker}$$\" >&2; ";
        switch (step.Type)
        {
            case StepType.Powershell:
                var ps = ScriptTemplate.Render(step.Script, parameters, ShellQuoting.PowerShell);
                var encoded = Convert.ToBase64String(Encoding.Unicode.GetBytes(ps));
                return posix
                    ? (announce + $"exec pwsh -NoLogo -NoProfile -NonInteractive -EncodedCommand {encoded}", null)
                    : ($"powershell -NoLogo -NoProfile -NonInteractive -EncodedCommand {encoded}", null);
            case StepType.ShellScript when posix:
                var script = ScriptTemplate.Render(step.Script, parameters, ShellQuoting.Posix);
                var interpreter = Interpreter(script);
                // Upload through stdin into a private temp file, run it with its interpreter, remove it.
                return (announce + "umask 077; f=$(mktemp \"${TMPDIR:-/tmp}/opsc-step-XXXXXX\") || exit 125; cat > \"$f\"; "
                    + $"{interpreter} \"$f\" </dev/null; rc=$?; rm -f \"$f\"; exit $rc", Encoding.UTF8.GetBytes(script));
            default:
                var text = ScriptTemplate.Render(step.Script, parameters, posix ? ShellQuoting.Posix : ShellQuoting.PowerShell);
                return posix ? (announce + "exec /bin/sh -c " + ScriptTemplate.Quote(text, ShellQuoting.Posix), null) : (text, null);
        }
    }

    /// <summary>The interpreter named by the shebang line, or /bin/sh; only plain paths and words are taken from it.</summary>
    static string Interpreter(string script)
    {
        if (!script.StartsWith("#!", StringComparison.Ordinal))
        {
            return "/bin/sh";
        }
        var line = script[2..].Split('\n')[0].Trim();
        var safe = line.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '-' or '_' or ' ');
        return safe && line.Length > 0 ? line : "/bin/sh";
    }

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

    static async Task KillAsync(SshClient client, SshCommand command, long? group, bool posix)
    {
        if (posix && group is { } g && client.IsConnected)
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
