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

/// <param name="MustChangePassword">The password was generated or set by an admin: until the user chooses one, their tokens say so
/// and the API answers only the few endpoints that lead to a new password (<see cref="Security.PasswordChangeGate"/>).</param>
public sealed record UserIdentity(long Id, string Username, Role Role, bool Disabled, DateTimeOffset PasswordChangedAt,
    bool MustChangePassword = false);
