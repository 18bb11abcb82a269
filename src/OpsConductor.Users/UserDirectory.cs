using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Users;

sealed class UserDirectory(UsersDb db, Passwords passwords) : IUserDirectory
{
    public async Task<UserIdentity?> VerifyPasswordAsync(string username, string password, CancellationToken cancellationToken)
    {
        var user = await ByUsernameAsync(username, cancellationToken);
        if (user is null)
        {
            passwords.VerifyDecoy(password);
            return null;
        }
        return passwords.Verify(password, user.PasswordHash) && !user.Disabled ? ToIdentity(user) : null;
    }

    public async Task<UserIdentity?> FindAsync(long userId, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        return user is null ? null : ToIdentity(user);
    }

    public async Task<UserIdentity?> FindByUsernameAsync(string username, CancellationToken cancellationToken) =>
        await ByUsernameAsync(username, cancellationToken) is { } user ? ToIdentity(user) : null;

    Task<User?> ByUsernameAsync(string username, CancellationToken cancellationToken)
    {
        var normalized = username.Trim().ToLowerInvariant();
        return db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.NormalizedUsername == normalized, cancellationToken);
    }

    static UserIdentity ToIdentity(User u) => new(u.Id, u.Username, u.Role, u.Disabled, u.PasswordChangedAt, u.MustChangePassword);
}
