using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace OpsConductor.Jobs;

/// <summary>Jobs as code: the same definition as the API's JSON, written as YAML (one job per document).</summary>
public static class JobYaml
{
    static readonly ISerializer Writer = new SerializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull | DefaultValuesHandling.OmitEmptyCollections)
        .WithQuotingNecessaryStrings()
        .Build();

    static readonly IDeserializer Reader = new DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build();

    public static string Write(IEnumerable<JobDefinition> jobs)
    {
        // Go through JSON so YAML and the API agree on every name and enum value.
        var documents = jobs.Select(job =>
        {
            var json = JsonSerializer.Serialize(job, JobJson.Options);
            return Writer.Serialize(ToPlain(JsonDocument.Parse(json).RootElement));
        });
        return string.Join("---\n", documents);
    }

    /// <summary>Parses one or more YAML documents; a syntax error, an anchor, an alias or a non-finite number names its line.</summary>
    public static IReadOnlyList<JobDefinition> Read(string yaml)
    {
        var result = new List<JobDefinition>();
        var parser = new PlainYamlParser(new Parser(new StringReader(yaml)));
        parser.Consume<YamlDotNet.Core.Events.StreamStart>();
        while (parser.Accept<YamlDotNet.Core.Events.DocumentStart>(out _))
        {
            var value = Reader.Deserialize<object?>(parser);
            if (value is null)
            {
                continue;
            }
            var json = ToJson(value)?.ToJsonString() ?? "null";
            result.Add(JsonSerializer.Deserialize<JobDefinition>(json, JobJson.Options)
                ?? throw new JsonException("The document is not a job definition."));
        }
        return result;
    }

    static System.Text.Json.Nodes.JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        IDictionary<object, object?> map => new System.Text.Json.Nodes.JsonObject(
            map.Select(p => KeyValuePair.Create(p.Key.ToString() ?? "", ToJson(p.Value)))),
        IEnumerable<object?> list when value is not string => new System.Text.Json.Nodes.JsonArray(list.Select(ToJson).ToArray()),
        bool b => System.Text.Json.Nodes.JsonValue.Create(b),
        // YamlDotNet picks the smallest integer type that fits (3 is a byte).
        byte or sbyte or short or ushort or int or uint or long => System.Text.Json.Nodes.JsonValue.Create(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)),
        ulong u => System.Text.Json.Nodes.JsonValue.Create(u),
        // 1e999 reads as infinity: JSON has no such number (the parser refuses .inf and .nan with their line already).
        double d when !double.IsFinite(d) => throw new JsonException("A number is too large or not a number."),
        float f when !float.IsFinite(f) => throw new JsonException("A number is too large or not a number."),
        double d => System.Text.Json.Nodes.JsonValue.Create(d),
        float f => System.Text.Json.Nodes.JsonValue.Create(f),
        decimal m => System.Text.Json.Nodes.JsonValue.Create(m),
        _ => System.Text.Json.Nodes.JsonValue.Create(value.ToString()),
    };

    static object? ToPlain(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().ToDictionary(p => p.Name, p => ToPlain(p.Value)),
        JsonValueKind.Array => e.EnumerateArray().Select(ToPlain).ToList(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.TryGetInt64(out var l) ? l : e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
