using System.Net;

namespace OpsConductor.Tests.Infrastructure;

/// <summary>Builders for credentials and targets through the API.</summary>
public static class Inventory
{
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    public static async Task<long> PasswordCredentialAsync(ApiClient client, string password = SshServer.Password, string username = SshServer.User)
    {
        var created = await client.ExpectAsync(HttpStatusCode.Created, client.PostAsync("/api/v1/credentials",
            new { name = UniqueName("pw"), type = "password", username, secret = new { password } }));
        return created.GetProperty("id").GetInt64();
    }

    public static async Task<long> KeyCredentialAsync(ApiClient client, string privateKey, string? passphrase = null)
    {
        var created = await client.ExpectAsync(HttpStatusCode.Created, client.PostAsync("/api/v1/credentials",
            new { name = UniqueName("key"), type = "ssh_key", username = SshServer.User, secret = new { privateKey, passphrase } }));
        return created.GetProperty("id").GetInt64();
    }

    /// <summary>
    /// Registers an SSH target on loopback. Pass the server's fingerprint to pin it at registration, as a password
    /// credential needs before anything is sent: without it a check stops at <c>host_key_unconfirmed</c>.
    /// </summary>
    public static async Task<long> SshTargetAsync(ApiClient client, long credentialId, int port, string? name = null, string[]? tags = null,
        string? hostKeyFingerprint = null, string osType = "linux")
    {
        var created = await client.ExpectAsync(HttpStatusCode.Created, client.PostAsync("/api/v1/targets",
            new
            {
                name = name ?? UniqueName("target"),
                hostname = "127.0.0.1",
                port,
                osType,
                connection = "ssh",
                credentialId,
                tags = tags ?? [],
                ssh = new { hostKeyFingerprint },
            }));
        return created.GetProperty("id").GetInt64();
    }
}
