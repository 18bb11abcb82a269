using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace OpsConductor.Shared.Security;

/// <summary>
/// Split mode: a service token from the auth service, fetched with the deployment's service secret
/// and reused until shortly before it expires. Attach it with <see cref="AuthorizeAsync"/>.
/// </summary>
public sealed class ServiceTokens(HttpClient http, Uri authBaseUrl, string service, string secret, TimeProvider clock)
{
    sealed record TokenAnswer(string AccessToken, int ExpiresIn);

    readonly SemaphoreSlim _gate = new(1, 1);
    string? _token;
    DateTimeOffset _renewAt;

    public async Task AuthorizeAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(cancellationToken));
    }

    async Task<string> TokenAsync(CancellationToken ct)
    {
        if (_token is { } current && clock.GetUtcNow() < _renewAt)
        {
            return current;
        }
        await _gate.WaitAsync(ct);
        try
        {
            if (_token is null || clock.GetUtcNow() >= _renewAt)
            {
                using var response = await http.PostAsJsonAsync(new Uri(authBaseUrl, "/api/v1/auth/service-token"), new { service, secret }, ct);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException(
                        $"The auth service refused a service token for '{service}' ({(int)response.StatusCode}): check OpsConductor:Auth:ServiceSecret.");
                }
                var answer = await response.Content.ReadFromJsonAsync<TokenAnswer>(ct)
                    ?? throw new InvalidOperationException("The auth service sent no service token.");
                _token = answer.AccessToken;
                _renewAt = clock.GetUtcNow().AddSeconds(Math.Max(10, answer.ExpiresIn - 60));
            }
            return _token;
        }
        finally
        {
            _gate.Release();
        }
    }
}
