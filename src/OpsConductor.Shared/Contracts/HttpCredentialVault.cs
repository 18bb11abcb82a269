using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpsConductor.Shared.Hosting;
using OpsConductor.Shared.Security;

namespace OpsConductor.Shared.Contracts;

/// <summary>
/// <see cref="ICredentialVault"/> across processes: the credentials service's internal endpoint, called
/// with a service token (it refuses user tokens). The process using it never holds the master key.
/// </summary>
public sealed class HttpCredentialVault(HttpClient http, Uri credentialsBaseUrl, ServiceTokens tokens) : ICredentialVault
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { HttpDefaults.EnumConverter } };

    public async Task<CredentialSecret?> ReadSecretAsync(long credentialId, SecretAccess access, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(credentialsBaseUrl, $"/api/v1/credentials/internal/{credentialId}/secret"))
        {
            Content = JsonContent.Create(new { purpose = access.Purpose, runId = access.RunId, actor = access.Actor }, options: Json),
        };
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
        return await response.Content.ReadFromJsonAsync<CredentialSecret>(Json, cancellationToken);
    }
}
