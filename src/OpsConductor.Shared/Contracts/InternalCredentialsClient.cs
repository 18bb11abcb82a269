using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpsConductor.Shared.Hosting;
using OpsConductor.Shared.Security;

namespace OpsConductor.Shared.Contracts;

/// <summary>Calls the credentials service's internal endpoints (split mode) with a service token; they refuse user tokens.</summary>
public sealed class InternalCredentialsClient(HttpClient http, Uri credentialsBaseUrl, ServiceTokens tokens)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { HttpDefaults.EnumConverter } };

    /// <summary>The answer's body, or null for an unknown credential.</summary>
    public async Task<T?> SendAsync<T>(HttpMethod method, long credentialId, string path, object? body, CancellationToken cancellationToken) where T : class
    {
        using var request = new HttpRequestMessage(method, new Uri(credentialsBaseUrl, $"/api/v1/credentials/internal/{credentialId}{path}"));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }
        await tokens.AuthorizeAsync(request, cancellationToken);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        if (!response.IsSuccessStatusCode)
        {
            // The body is not echoed: error text stays free of anything the other side sent.
            throw new InvalidOperationException($"The credentials service answered {(int)response.StatusCode} for credential {credentialId}.");
        }
        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken);
    }

    /// <summary>An internal endpoint that is not about one credential (<c>/seal</c>, <c>/unseal</c>).</summary>
    public async Task<T> PostAsync<T>(string path, object body, CancellationToken cancellationToken) where T : class
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(credentialsBaseUrl, $"/api/v1/credentials/internal{path}"))
        {
            Content = JsonContent.Create(body, options: Json),
        };
        await tokens.AuthorizeAsync(request, cancellationToken);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // The body is not echoed: error text stays free of anything the other side sent.
            throw new InvalidOperationException($"The credentials service answered {(int)response.StatusCode} to {path}.");
        }
        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
            ?? throw new InvalidOperationException($"The credentials service answered {path} with an empty body.");
    }
}
