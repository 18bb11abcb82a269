using System.Text.Json;
using System.Text.Json.Serialization;
using OpsConductor.Shared.Hosting;

namespace OpsConductor.Jobs;

static class JobJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { HttpDefaults.EnumConverter },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
