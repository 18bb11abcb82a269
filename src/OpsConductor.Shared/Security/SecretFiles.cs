namespace OpsConductor.Shared.Security;

/// <summary>Key files: created readable by the owner only, written atomically, never overwritten.</summary>
public static class SecretFiles
{
    public static void CreateOwnerOnly(string path, string contents)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var writer = new StreamWriter(new FileStream(temp, options)))
        {
            writer.Write(contents);
        }
        File.Move(temp, path, overwrite: false);
    }
}
