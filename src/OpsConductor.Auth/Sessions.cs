using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Security;

namespace OpsConductor.Auth;

/// <summary>Issues access tokens and rotates refresh tokens; a spent token used again revokes its whole family.</summary>
public sealed class Sessions(AuthDb db, SigningKey key, SessionOptions options, IUserDirectory users, TimeProvider clock)
{
    static readonly JsonWebTokenHandler Handler = new();

    public async Task<TokenPair> StartAsync(UserIdentity user, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var refresh = NewRefreshToken(user.Id, Guid.NewGuid(), familyCreatedAt: now, now, out var token);
        db.RefreshTokens.Add(refresh);
        await db.SaveChangesAsync(ct);
        return Pair(user, token, now);
    }

    /// <summary>A new pair for a valid, unused refresh token; null (and the family revoked on reuse) otherwise.</summary>
    public async Task<TokenPair?> RefreshAsync(string refreshToken, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var hash = Hash(refreshToken);
        var stored = await db.RefreshTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash, ct);
        if (stored is null || stored.RevokedAt is not null || stored.ExpiresAt <= now)
        {
            return null;
        }
        if (stored.FamilyCreatedAt + options.MaxSessionAge <= now)
        {
            await RevokeFamilyAsync(stored.FamilyId, now, ct);
            return null;
        }
        // Claim the token: only one caller can move it from unused to used.
        var claimed = await db.RefreshTokens.Where(t => t.Id == stored.Id && t.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), ct);
        if (claimed == 0)
        {
            await RevokeFamilyAsync(stored.FamilyId, now, ct);
            return null;
        }
        var user = await users.FindAsync(stored.UserId, ct);
        if (user is null || user.Disabled || user.PasswordChangedAt > stored.FamilyCreatedAt)
        {
            await RevokeFamilyAsync(stored.FamilyId, now, ct);
            return null;
        }
        db.RefreshTokens.Add(NewRefreshToken(user.Id, stored.FamilyId, stored.FamilyCreatedAt, now, out var token));
        await db.SaveChangesAsync(ct);
        return Pair(user, token, now);
    }

    /// <summary>Ends the sign-in of a refresh token, only when it belongs to <paramref name="userId"/> (one user cannot end another's session).</summary>
    public async Task EndAsync(string refreshToken, long userId, CancellationToken ct)
    {
        var hash = Hash(refreshToken);
        var family = await db.RefreshTokens.Where(t => t.TokenHash == hash && t.UserId == userId).Select(t => (Guid?)t.FamilyId).FirstOrDefaultAsync(ct);
        if (family is { } id)
        {
            await RevokeFamilyAsync(id, clock.GetUtcNow(), ct);
        }
    }

    /// <summary>Drops tokens that expired more than a day ago.</summary>
    public Task<int> PurgeExpiredAsync(CancellationToken ct)
    {
        var cutoff = clock.GetUtcNow().AddDays(-1);
        return db.RefreshTokens.Where(t => t.ExpiresAt < cutoff).ExecuteDeleteAsync(ct);
    }

    Task RevokeFamilyAsync(Guid familyId, DateTimeOffset now, CancellationToken ct) =>
        db.RefreshTokens.Where(t => t.FamilyId == familyId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct);

    /// <summary>A short-lived token for another OpsConductor service (split mode): it carries no role, only the service policy accepts it.</summary>
    public (string Token, int ExpiresIn) ServiceToken(string service)
    {
        var now = clock.GetUtcNow();
        var lifetime = TimeSpan.FromMinutes(5);
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = TokenSettings.Issuer,
            Audience = TokenSettings.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(key.PrivateKey, SecurityAlgorithms.RsaSha256),
            Claims = new Dictionary<string, object>
            {
                [ClaimNames.Subject] = "service:" + service,
                [ClaimNames.Name] = service,
                [ClaimNames.TokenKind] = "service",
                ["jti"] = Guid.NewGuid().ToString("N"),
            },
        };
        return (Handler.CreateToken(descriptor), (int)lifetime.TotalSeconds);
    }

    TokenPair Pair(UserIdentity user, string refreshToken, DateTimeOffset now)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = TokenSettings.Issuer,
            Audience = TokenSettings.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + options.AccessTokenLifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(key.PrivateKey, SecurityAlgorithms.RsaSha256),
            Claims = new Dictionary<string, object>
            {
                [ClaimNames.Subject] = user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [ClaimNames.Name] = user.Username,
                [ClaimNames.Role] = user.Role.ToClaim(),
                [ClaimNames.TokenKind] = "user",
                ["jti"] = Guid.NewGuid().ToString("N"),
            },
        };
        if (user.MustChangePassword)
        {
            descriptor.Claims[ClaimNames.PasswordChange] = "true";
        }
        return new TokenPair(Handler.CreateToken(descriptor), refreshToken, (int)options.AccessTokenLifetime.TotalSeconds, user);
    }

    RefreshToken NewRefreshToken(long userId, Guid familyId, DateTimeOffset familyCreatedAt, DateTimeOffset now, out string token)
    {
        token = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        return new RefreshToken
        {
            TokenHash = Hash(token),
            FamilyId = familyId,
            UserId = userId,
            FamilyCreatedAt = familyCreatedAt,
            CreatedAt = now,
            // Sliding, but never past the sign-in's absolute end.
            ExpiresAt = Min(now + options.RefreshTokenLifetime, familyCreatedAt + options.MaxSessionAge),
        };
    }

    static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
