using System.Text.Json;

namespace OpsConductor.Shared.Http;

/// <summary>Enum values in query strings, spelled as in JSON bodies (lower_snake_case: <c>ssh_key</c>, <c>auth_failed</c>).</summary>
public static class EnumQuery
{
    public static string Spell<T>(T value) where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    /// <summary>Parses an optional filter; an unknown value adds a validation message listing the allowed ones.</summary>
    public static T? Parse<T>(string? text, string field, ValidationErrors errors) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        foreach (var value in Enum.GetValues<T>())
        {
            if (string.Equals(Spell(value), text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }
        errors.Add(field, $"{field} must be one of {string.Join(", ", Enum.GetValues<T>().Select(Spell))}.");
        return null;
    }
}
