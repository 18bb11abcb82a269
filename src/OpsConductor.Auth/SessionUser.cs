using Microsoft.Extensions.Logging;
using OpsConductor.Shared.Hosting;
using OpsConductor.Shared.Security;

namespace OpsConductor.Auth;

public sealed record SessionUser(long Id, string Username, Role Role);
