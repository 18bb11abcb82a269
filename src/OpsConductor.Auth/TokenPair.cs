using OpsConductor.Shared.Contracts;

namespace OpsConductor.Auth;

public sealed record TokenPair(string AccessToken, string RefreshToken, int ExpiresIn, UserIdentity User);
