using Microsoft.Extensions.Logging;
using OpsConductor.Shared.Hosting;

namespace OpsConductor.Auth;

public sealed record JsonWebKeyDto(string Kty, string Use, string Alg, string Kid, string N, string E);
