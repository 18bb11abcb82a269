namespace OpsConductor.Tests.Infrastructure;

/// <summary>Files of the repository the tests run from (the host binary, deploy templates, local tools).</summary>
public static class RepositoryPaths
{
    public static readonly string Root = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OpsConductor.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (OpsConductor.slnx).");
    }
}
