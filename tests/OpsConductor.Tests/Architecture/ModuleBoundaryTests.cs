using NetArchTest.Rules;
using OpsConductor.Auth;
using OpsConductor.Credentials;
using OpsConductor.Executor;
using OpsConductor.Jobs;
using OpsConductor.Notifications;
using OpsConductor.Scheduler;
using OpsConductor.Shared.Hosting;
using OpsConductor.Targets;
using OpsConductor.Tests.Infrastructure;
using OpsConductor.Users;

namespace OpsConductor.Tests.Architecture;

/// <summary>Services talk through contracts in the shared project, never through each other's internals.</summary>
[Trait("Category", TestCategories.ProviderIndependent)]
public sealed class ModuleBoundaryTests
{
    static readonly (string Name, System.Reflection.Assembly Assembly)[] Services =
    [
        ("OpsConductor.Auth", typeof(AuthModule).Assembly),
        ("OpsConductor.Users", typeof(UsersModule).Assembly),
        ("OpsConductor.Credentials", typeof(CredentialsModule).Assembly),
        ("OpsConductor.Targets", typeof(TargetsModule).Assembly),
        ("OpsConductor.Jobs", typeof(JobsModule).Assembly),
        ("OpsConductor.Executor", typeof(ExecutorModule).Assembly),
        ("OpsConductor.Scheduler", typeof(SchedulerModule).Assembly),
        ("OpsConductor.Notifications", typeof(NotificationsModule).Assembly),
    ];

    [Fact]
    public void No_service_depends_on_another_service()
    {
        foreach (var (name, assembly) in Services)
        {
            var others = Services.Where(s => s.Name != name).Select(s => s.Name).ToArray();
            var result = Types.InAssembly(assembly).ShouldNot().HaveDependencyOnAny(others).GetResult();
            Assert.True(result.IsSuccessful, $"{name} depends on another service: {string.Join(", ", result.FailingTypeNames ?? [])}");
        }
    }

    [Fact]
    public void The_shared_project_depends_on_no_service()
    {
        var result = Types.InAssembly(typeof(ServiceModule).Assembly).ShouldNot()
            .HaveDependencyOnAny(Services.Select(s => s.Name).ToArray()).GetResult();
        Assert.True(result.IsSuccessful, string.Join(", ", result.FailingTypeNames ?? []));
    }
}
