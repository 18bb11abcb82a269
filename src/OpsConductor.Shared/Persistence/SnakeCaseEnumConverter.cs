using System.Text.Json;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace OpsConductor.Shared.Persistence;

/// <summary>Stores an enum as the same lower_snake_case text the API shows (readable in SQL, stable across reorders).</summary>
public sealed class SnakeCaseEnumConverter<TEnum>() : ValueConverter<TEnum, string>(
    v => ToText(v),
    s => Parse(s))
    where TEnum : struct, Enum
{
    static readonly Dictionary<TEnum, string> Names = Enum.GetValues<TEnum>().ToDictionary(v => v, v => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()));
    static readonly Dictionary<string, TEnum> Values = Names.ToDictionary(p => p.Value, p => p.Key);

    public static string ToText(TEnum value) => Names[value];

    public static TEnum Parse(string text) => Values.TryGetValue(text, out var v) ? v : default;

    public static bool TryParse(string text, out TEnum value) => Values.TryGetValue(text, out value);
}
