using Microsoft.Extensions.Logging;
using OpsConductor.Shared.Hosting;

namespace OpsConductor.Auth;

public sealed record ServiceTokenResponse(string AccessToken, string TokenType, int ExpiresIn);
