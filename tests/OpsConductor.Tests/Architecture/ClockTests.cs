using System.Text.RegularExpressions;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Architecture;

/// <summary>Time comes from the injected <see cref="TimeProvider"/>, so it can be controlled and never differs between callers.</summary>
[Trait("Category", TestCategories.ProviderIndependent)]
public sealed partial class ClockTests
{
    [GeneratedRegex(@"\bDateTime(Offset)?\s*\.\s*(UtcNow|Now|Today)\b")]
    private static partial Regex WallClock();

    [Fact]
    public void No_source_file_reads_the_wall_clock_directly()
    {
        var offenders = SourceFiles()
            .SelectMany(file => File.ReadLines(file).Select((line, i) => (file, line, number: i + 1)))
            .Where(l => !l.line.TrimStart().StartsWith("//", StringComparison.Ordinal) && WallClock().IsMatch(l.line))
            .Select(l => $"{Path.GetRelativePath(RepositoryPaths.Root, l.file)}:{l.number}: {l.line.Trim()}")
            .ToList();
        Assert.True(offenders.Count == 0, "Use TimeProvider instead:" + Environment.NewLine + string.Join(Environment.NewLine, offenders));
    }

    [Fact]
    public void The_scan_reads_the_sources_and_would_see_a_wall_clock_call()
    {
        Assert.Contains(SourceFiles(), f => f.EndsWith("UsersApi.cs", StringComparison.Ordinal));
        Assert.Matches(WallClock(), "var now = DateTimeOffset.UtcNow;");
        Assert.Matches(WallClock(), "DateTime.Now");
        Assert.DoesNotMatch(WallClock(), "clock.GetUtcNow()");
    }

    static IEnumerable<string> SourceFiles()
    {
        var src = RepositoryPaths.Combine("src");
        return Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
    }
}
