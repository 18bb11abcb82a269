using Microsoft.Extensions.Logging;
using OpsConductor.Shared.Hosting;

namespace OpsConductor.Auth;

public sealed record LoginRequest(string? Username, string? Password);
