namespace OpsConductor.Users;

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);
