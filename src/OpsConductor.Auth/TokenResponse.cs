using Microsoft.Extensions.Logging;
using OpsConductor.Shared.Hosting;

namespace OpsConductor.Auth;

/// <summary>RefreshToken is null for a browser session: the browser holds it in the <see cref="RefreshCookie"/>.</summary>
public sealed record TokenResponse(string AccessToken, string? RefreshToken, string TokenType, int ExpiresIn, SessionUser User);
