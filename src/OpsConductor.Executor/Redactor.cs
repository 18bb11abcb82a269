namespace OpsConductor.Executor;

/// <summary>Replaces every resolved secret (credential values, secret parameters) in output with a mask.</summary>
public sealed class Redactor
{
    public const string Mask = "********";
    readonly string[] _secrets;

    public Redactor(IEnumerable<string> secrets)
    {
        // Longest first, so a secret that contains another is masked whole. Multi-line secrets
        // (private keys) are matched line by line, as output arrives in lines.
        _secrets = secrets.Where(s => s.Length >= 3)
            .SelectMany(s => s.Contains('\n') ? s.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length >= 8).Append(s) : [s])
            .Distinct().OrderByDescending(s => s.Length).ToArray();
    }

    public string Redact(string text)
    {
        foreach (var secret in _secrets)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }
        return text;
    }
}
