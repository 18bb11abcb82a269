using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Executor;

/// <summary>
/// <see cref="WindowsTargetTests"/> on a Windows target with connection ssh: every step runs as <c>powershell
/// -EncodedCommand</c> through the target's login shell, here PowerShell 7 on Linux behind a real sshd
/// (<see cref="WindowsSshFixture"/>); cancel and timeouts kill the process tree with a second SSH command.
/// </summary>
[Trait("Category", TestCategories.ProviderIndependent)]
public sealed class WindowsOverSshTests(WindowsSshFixture windows) : WindowsTargetTests(windows), IClassFixture<WindowsSshFixture>;
