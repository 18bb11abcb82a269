using OpsConductor.Shared.Security;

namespace OpsConductor.Users;

public sealed record UserDto(long Id, string Username, string Email, string FullName, Role Role, bool Disabled,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
