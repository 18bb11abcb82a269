using OpsConductor.Shared.Security;

namespace OpsConductor.Shared.Contracts;

/// <summary>What the users service tells other services about accounts (the auth service signs people in with it).</summary>
public interface IUserDirectory
{
    /// <summary>The account when the password is right and the account is enabled; null otherwise, in about the same time either way.</summary>
    Task<UserIdentity?> VerifyPasswordAsync(string username, string password, CancellationToken cancellationToken);

    Task<UserIdentity?> FindAsync(long userId, CancellationToken cancellationToken);

    /// <summary>The account with this username (any case), or null.</summary>
    Task<UserIdentity?> FindByUsernameAsync(string username, CancellationToken cancellationToken);
}

public sealed record UserIdentity(long Id, string Username, Role Role, bool Disabled, DateTimeOffset PasswordChangedAt);
