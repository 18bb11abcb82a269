using OpsConductor.Auth;
using OpsConductor.Shared.Hosting;
using OpsConductor.Users;

// Every service OpsConductor has, in start order; `--services` picks which ones this process serves.
ServiceModule[] catalog =
[
    new AuthModule(),
    new UsersModule(),
];

await OpsConductorHost.RunAsync(args, catalog);
