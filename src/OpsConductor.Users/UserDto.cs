using OpsConductor.Shared.Security;

namespace OpsConductor.Users;

/// <param name="MustChangePassword">The password was generated or set by an admin: the user must choose a new one before anything else.</param>
public sealed record UserDto(long Id, string Username, string Email, string FullName, Role Role, bool Disabled,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, bool MustChangePassword);
