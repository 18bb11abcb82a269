using OpsConductor.Shared.Security;

namespace OpsConductor.Users;

public sealed record UpdateUserRequest(string? Email, string? FullName, Role? Role, bool? Disabled);
