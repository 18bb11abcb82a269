using System.Collections.Concurrent;

namespace OpsConductor.WinRmServer.Shells;

/// <summary>A WinRS shell: its settings from Create and the commands started in it.</summary>
public sealed class TestShell(string id, string owner, string workingDirectory, IReadOnlyDictionary<string, string> environment, int codePage)
    : IDisposable
{
    readonly ConcurrentDictionary<string, TestCommand> _commands = new(StringComparer.OrdinalIgnoreCase);

    public string Id { get; } = id;

    public string Owner { get; } = owner;

    public string WorkingDirectory { get; } = workingDirectory;

    public IReadOnlyDictionary<string, string> Environment { get; } = environment;

    public int CodePage { get; } = codePage;

    public int CommandCount => _commands.Count;

    public TestCommand Start(string program, IReadOnlyList<string> arguments)
    {
        var id = Guid.NewGuid().ToString("D").ToUpperInvariant();
        var command = TestCommand.Start(id, program, arguments, WorkingDirectory, Environment, CodePage);
        _commands[id] = command;
        return command;
    }

    public TestCommand? Find(string? commandId) => commandId is not null && _commands.TryGetValue(commandId, out var c) ? c : null;

    /// <summary>Delete: every process of the shell is killed.</summary>
    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
        _commands.Clear();
    }
}
