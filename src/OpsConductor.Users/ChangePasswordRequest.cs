namespace OpsConductor.Users;

/// <param name="CurrentPassword">Required when changing your own password.</param>
/// <param name="MustChangePassword">When an admin sets another user's password: whether that user must choose a new one at their
/// next sign-in; true when left out. Ignored for your own password, which clears the requirement.</param>
public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword, bool? MustChangePassword = null);
