using OpsConductor.Shared.Security;

namespace OpsConductor.Users;

/// <param name="MustChangePassword">Whether the user must choose a new password at first sign-in; true when left out. False suits
/// accounts that scripts sign in with.</param>
public sealed record CreateUserRequest(string? Username, string? Email, string? FullName, Role? Role, string? Password, bool? MustChangePassword = null);
