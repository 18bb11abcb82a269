using OpsConductor.Auth;
using OpsConductor.Credentials;
using OpsConductor.Executor;
using OpsConductor.Jobs;
using OpsConductor.Notifications;
using OpsConductor.Scheduler;
using OpsConductor.Shared.Hosting;
using OpsConductor.Targets;
using OpsConductor.Users;

// Every service OpsConductor has, in start order; `--services` picks which ones this process serves.
ServiceModule[] catalog =
[
    new AuthModule(),
    new UsersModule(),
    new CredentialsModule(),
    new TargetsModule(),
    new JobsModule(),
    new ExecutorModule(),
    new SchedulerModule(),
    new NotificationsModule(),
];

// Maintenance commands run against the configured database and exit.
if (args is [MasterKeyRotation.Command, .. var rest])
{
    return await MasterKeyRotation.RunCommandAsync(rest, catalog);
}

await OpsConductorHost.RunAsync(args, catalog);
return 0;
