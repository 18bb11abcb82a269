using MimeKit;

namespace OpsConductor.Shared.Http;

/// <summary>The one check of an email address (a job's rule, the default rule, the SMTP sender, a test recipient).</summary>
public static class EmailAddresses
{
    public const int MaxLength = 254;

    /// <summary>A single plain address (<c>ops@example.com</c>): MimeKit parses it as one mailbox with a local part and a domain.</summary>
    public static bool IsValid(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxLength || text.Trim() != text)
        {
            return false;
        }
        if (!MailboxAddress.TryParse(ParserOptions.Default, text, out var mailbox) || mailbox.Address != text)
        {
            return false;
        }
        var at = text.LastIndexOf('@');
        return at > 0 && at < text.Length - 1 && !text.Any(char.IsWhiteSpace);
    }

    /// <summary>Adds one message per bad address, naming it as <c>{field}[{i}]</c>; an empty list is an error when <paramref name="required"/>.</summary>
    public static ValidationErrors ValidateList(ValidationErrors errors, string field, IReadOnlyList<string?>? addresses, bool required)
    {
        if (addresses is null || addresses.Count == 0)
        {
            if (required)
            {
                errors.Add(field, "List one or more email addresses.");
            }
            return errors;
        }
        if (addresses.Count > 100)
        {
            errors.Add(field, "At most 100 recipients.");
        }
        for (var i = 0; i < addresses.Count; i++)
        {
            if (!IsValid(addresses[i]))
            {
                errors.Add($"{field}[{i}]", $"'{Shorten(addresses[i])}' is not a valid email address.");
            }
        }
        return errors;
    }

    static string Shorten(string? text) => text is null ? "" : text.Length > 80 ? text[..80] + "…" : text;
}
