using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Shared.Security;

/// <summary>
/// Every request with a user's access token asks the users directory whether the token still speaks for
/// the account: refused once the account is deleted or disabled, its password changed after the token was
/// issued (the "tokens valid after" stamp, to the second, like the token's <c>iat</c>), or its role is no
/// longer the token's. Answers are cached per user for <c>OpsConductor:Auth:UserCheckSeconds</c> (5 by
/// default), which bounds how long another process may still accept such a token; the process that made
/// the change forgets its answer at once (<see cref="Forget"/>).
/// </summary>
public sealed class UserTokenCheck(TimeProvider clock, TimeSpan cacheFor)
{
    const int MaxCachedUsers = 10_000;
    readonly ConcurrentDictionary<long, (UserIdentity? User, DateTimeOffset FetchedAt)> _cache = new();

    /// <summary>Why the token must be refused, or null when it is still good. Service tokens name no user and pass.</summary>
    public async Task<string?> RefusalAsync(ClaimsPrincipal principal, IUserDirectory users, CancellationToken cancellationToken)
    {
        if (principal.FindFirstValue(ClaimNames.TokenKind) != "user")
        {
            return null;
        }
        if (!long.TryParse(principal.FindFirstValue(ClaimNames.Subject), CultureInfo.InvariantCulture, out var userId)
            || !long.TryParse(principal.FindFirstValue("iat"), CultureInfo.InvariantCulture, out var issuedAt))
        {
            return "The token does not say whose it is or when it was issued.";
        }
        var user = await FindAsync(userId, users, cancellationToken);
        if (user is null || user.Disabled)
        {
            return "This account no longer exists or is disabled.";
        }
        if (issuedAt < user.PasswordChangedAt.ToUnixTimeSeconds())
        {
            return "The password was changed after this token was issued: sign in again.";
        }
        return principal.FindFirstValue(ClaimNames.Role) == user.Role.ToClaim() ? null : "The account's role changed: refresh the session.";
    }

    /// <summary>Drops the cached answer for a user whose account just changed in this process.</summary>
    public void Forget(long userId) => _cache.TryRemove(userId, out _);

    async Task<UserIdentity?> FindAsync(long userId, IUserDirectory users, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(userId, out var cached) && now - cached.FetchedAt < cacheFor)
        {
            return cached.User;
        }
        var user = await users.FindAsync(userId, cancellationToken);
        if (_cache.Count >= MaxCachedUsers)
        {
            _cache.Clear();
        }
        _cache[userId] = (user, now);
        return user;
    }
}
