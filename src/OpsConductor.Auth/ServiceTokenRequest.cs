using Microsoft.Extensions.Logging;
using OpsConductor.Shared.Hosting;

namespace OpsConductor.Auth;

public sealed record ServiceTokenRequest(string? Service, string? Secret);
