using System.Text;

namespace OpsConductor.Tests.Infrastructure;

/// <summary>The command lines of every process on this machine (where the test targets run), as any local user reads them.</summary>
public static class CommandLines
{
    /// <summary>
    /// Every command line that contains the text, also inside a PowerShell <c>-EncodedCommand</c> argument (base64 of
    /// UTF-16LE), which hides nothing from a local user.
    /// </summary>
    public static List<string> Containing(string text)
    {
        var found = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _))
            {
                continue;
            }
            try
            {
                var args = Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(dir, "cmdline"))).Split('\0');
                var cmdline = string.Join(' ', args);
                if (cmdline.Contains("pgrep", StringComparison.Ordinal))
                {
                    continue;
                }
                if (cmdline.Contains(text, StringComparison.Ordinal) || args.Select(Decoded).Any(d => d?.Contains(text, StringComparison.Ordinal) == true))
                {
                    found.Add(cmdline);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return found;
    }

    static string? Decoded(string arg)
    {
        if (arg.Length < 8 || arg.Length % 4 != 0)
        {
            return null;
        }
        try
        {
            return Encoding.Unicode.GetString(Convert.FromBase64String(arg));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
