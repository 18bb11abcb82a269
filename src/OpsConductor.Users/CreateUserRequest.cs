using OpsConductor.Shared.Security;

namespace OpsConductor.Users;

public sealed record CreateUserRequest(string? Username, string? Email, string? FullName, Role? Role, string? Password);
