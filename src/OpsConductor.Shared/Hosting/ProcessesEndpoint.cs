using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpsConductor.Shared.Security;

namespace OpsConductor.Shared.Hosting;

/// <summary>One process of the deployment as its <c>/health</c> describes it (<c>unreachable</c> when it did not answer).</summary>
public sealed record ProcessHealth(string Name, string Address, string Status, IReadOnlyList<string> Services, string? Version,
    IReadOnlyDictionary<string, string> Checks, string? Error);

/// <summary>
/// <c>GET /api/v1/system/processes</c>: the health of every process of the deployment (<see cref="TopologyProcesses"/>),
/// asked in parallel with a short timeout, for the dashboard's service health. The all-in-one host lists itself.
/// </summary>
public static class ProcessesEndpoint
{
    public const string HttpClientName = "topology-health";
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);
    static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);

    public static void MapProcesses(this IEndpointRouteBuilder api, IReadOnlyList<string> servedServices, bool allInOne)
    {
        api.MapGet("/system/processes", async (TopologyProcesses topology, IHttpClientFactory clients, HttpContext http, CancellationToken ct) =>
        {
            if (topology.Processes.Count == 0)
            {
                var self = $"{http.Request.Scheme}://{http.Request.Host}";
                var local = await AskAsync(clients, allInOne ? "all-in-one" : string.Join(",", servedServices),
                    new UriBuilder("http", (http.Connection.LocalIpAddress ?? System.Net.IPAddress.Loopback).ToString(), http.Connection.LocalPort).Uri, ct);
                return TypedResults.Ok<IReadOnlyList<ProcessHealth>>([local with { Address = self }]);
            }
            var answers = await Task.WhenAll(topology.Processes.Select(p => AskAsync(clients, p.Name, p.Address, ct)));
            return TypedResults.Ok<IReadOnlyList<ProcessHealth>>(answers);
        })
        .RequireAuthorization(Policies.Viewer)
        .WithTags("System")
        .WithName("GetProcesses")
        .WithSummary("The health of every process of the deployment (OpsConductor:Topology:Processes), or of this one.");
    }

    static async Task<ProcessHealth> AskAsync(IHttpClientFactory clients, string name, Uri address, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        try
        {
            var client = clients.CreateClient(HttpClientName);
            using var response = await client.GetAsync(new Uri(address, "/health"), timeout.Token);
            var report = await response.Content.ReadFromJsonAsync<HealthReport>(Json, timeout.Token);
            if (report is null)
            {
                return new ProcessHealth(name, address.ToString(), "unreachable", [], null, new Dictionary<string, string>(), $"HTTP {(int)response.StatusCode} without a health report");
            }
            return new ProcessHealth(name, address.ToString(), report.Status, report.Services, report.Version, report.Checks, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException && !ct.IsCancellationRequested)
        {
            var error = ex is OperationCanceledException ? $"no answer within {Timeout.TotalSeconds:0} s" : ex.Message;
            return new ProcessHealth(name, address.ToString(), "unreachable", [], null, new Dictionary<string, string>(), error);
        }
    }
}
