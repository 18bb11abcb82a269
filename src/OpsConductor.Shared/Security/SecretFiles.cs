namespace OpsConductor.Shared.Security;

/// <summary>Key files: created readable by the owner only, written atomically, never overwritten.</summary>
public static class SecretFiles
{
    const UnixFileMode OwnerOnlyDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    const UnixFileMode OwnerOnlyFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void CreateOwnerOnly(string path, string contents)
    {
        CreateOwnerOnlyDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFileMode;
        }
        using (var writer = new StreamWriter(new FileStream(temp, options)))
        {
            writer.Write(contents);
        }
        File.Move(temp, path, overwrite: false);
    }

    /// <summary>
    /// Creates the directory (and missing parents) as 0700: the data directory holds password hashes, run output and keys.
    /// An existing directory keeps the mode its owner gave it.
    /// </summary>
    public static void CreateOwnerOnlyDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            // Directory.CreateDirectory(path, mode) gives the mode to the last level only: create each missing one.
            var missing = new Stack<string>();
            for (var dir = Path.GetFullPath(path); !Directory.Exists(dir); dir = Path.GetDirectoryName(dir)!)
            {
                missing.Push(dir);
            }
            while (missing.TryPop(out var dir))
            {
                Directory.CreateDirectory(dir, OwnerOnlyDirectoryMode);
            }
        }
    }

    /// <summary>Creates an empty file readable by the owner only, unless it exists (SQLite then writes its database into it).</summary>
    public static void CreateOwnerOnlyEmptyFile(string path)
    {
        if (File.Exists(path))
        {
            return;
        }
        CreateOwnerOnlyDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFileMode;
        }
        try
        {
            using var _ = new FileStream(path, options);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process of this installation created it first.
        }
    }
}
