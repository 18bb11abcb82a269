using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace OpsConductor.Shared.Security;

/// <summary>Where a service finds the public keys that verify access tokens.</summary>
public interface ISigningKeySource
{
    ValueTask<IReadOnlyList<SecurityKey>> GetKeysAsync(CancellationToken cancellationToken);

    /// <summary>Called when a token names a key we do not know (the auth service rotated its key).</summary>
    void RequestRefresh();

    /// <summary>Keys known for the life of the process (the auth service's own), so verification needs no lookup per request.</summary>
    IReadOnlyList<SecurityKey>? FixedKeys => null;
}

public static class TokenSettings
{
    public const string Issuer = "opsconductor";
    public const string Audience = "opsconductor-api";
}

/// <summary>
/// Keys fetched from the auth service's JWKS endpoint (split mode). Cached; refetched at most once per
/// <see cref="MinRefreshInterval"/> when a token names an unknown key.
/// </summary>
public sealed class RemoteJwksKeySource(HttpClient http, Uri jwksUrl, TimeProvider clock, ILogger<RemoteJwksKeySource> logger) : ISigningKeySource
{
    public static readonly TimeSpan MinRefreshInterval = TimeSpan.FromSeconds(30);
    static readonly TimeSpan MaxAge = TimeSpan.FromHours(1);

    readonly SemaphoreSlim _gate = new(1, 1);
    IReadOnlyList<SecurityKey> _keys = [];
    DateTimeOffset _fetchedAt = DateTimeOffset.MinValue;
    volatile bool _refreshRequested;

    public async ValueTask<IReadOnlyList<SecurityKey>> GetKeysAsync(CancellationToken cancellationToken)
    {
        var age = clock.GetUtcNow() - _fetchedAt;
        var stale = _keys.Count == 0 || age > MaxAge || (_refreshRequested && age > MinRefreshInterval);
        if (!stale)
        {
            return _keys;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            age = clock.GetUtcNow() - _fetchedAt;
            if (_keys.Count == 0 || age > MaxAge || (_refreshRequested && age > MinRefreshInterval))
            {
                _refreshRequested = false;
                try
                {
                    var json = await http.GetStringAsync(jwksUrl, cancellationToken);
                    _keys = new JsonWebKeySet(json).GetSigningKeys().ToList();
                    _fetchedAt = clock.GetUtcNow();
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or ArgumentException)
                {
                    logger.LogWarning("Could not fetch signing keys from {JwksUrl}: {Error}", jwksUrl, ex.Message);
                    _fetchedAt = clock.GetUtcNow() - MaxAge + MinRefreshInterval;
                }
            }
            return _keys;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void RequestRefresh() => _refreshRequested = true;
}
