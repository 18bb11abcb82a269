using Microsoft.Extensions.Logging;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Hosting;
using OpsConductor.Shared.Security;

namespace OpsConductor.Auth;

/// <param name="MustChangePassword">The account's password was generated or set by an admin: until the user changes it, the API
/// answers only sign-in, refresh, sign-out, who am I and changing that password (403 <c>password_change_required</c> otherwise).</param>
public sealed record SessionUser(long Id, string Username, Role Role, bool MustChangePassword)
{
    public static SessionUser From(UserIdentity user) => new(user.Id, user.Username, user.Role, user.MustChangePassword);
}
