using System.Reflection;
using Mono.Cecil;
using OpsConductor.Auth;
using OpsConductor.Credentials;
using OpsConductor.Executor;
using OpsConductor.Jobs;
using OpsConductor.Notifications;
using OpsConductor.Scheduler;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Hosting;
using OpsConductor.Targets;
using OpsConductor.Tests.Infrastructure;
using OpsConductor.Users;

namespace OpsConductor.Tests.Architecture;

/// <summary>
/// A module loads only the modules named in its <see cref="ServiceModule.Uses"/>: a contract it injects but does not
/// declare is silently missing when it is served alone (<c>--services credentials</c> once skipped the "credential in
/// use" check because no <see cref="ICredentialUsage"/> was registered).
/// </summary>
[Trait("Category", TestCategories.ProviderIndependent)]
public sealed class ModuleUsesTests
{
    static readonly ServiceModule[] Modules =
        [new AuthModule(), new UsersModule(), new CredentialsModule(), new TargetsModule(), new JobsModule(), new ExecutorModule(), new SchedulerModule(), new NotificationsModule()];

    [Fact]
    public void Every_injected_contract_is_provided_by_the_module_or_one_it_uses()
    {
        var problems = new List<string>();
        foreach (var module in Modules)
        {
            var declared = module.Uses.Append(module.Name).ToHashSet();
            foreach (var contract in InjectedContracts(module.GetType().Assembly))
            {
                var providers = Modules.Where(m => Implements(m.GetType().Assembly, contract)).Select(m => m.Name).ToList();
                if (providers.Count == 0)
                {
                    problems.Add($"{module.Name} injects {contract.Name}, which no module implements");
                }
                // Every provider: ICredentialUsage has one implementation per referencing service, each must be loaded.
                foreach (var missing in providers.Where(p => !declared.Contains(p)))
                {
                    problems.Add($"{module.Name} injects {contract.Name} (implemented by {missing}) but does not list {missing} in Uses");
                }
            }
        }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void The_scan_sees_the_contracts_modules_are_known_to_inject()
    {
        // Guards the test above against finding nothing (a scan that sees no parameters passes vacuously).
        Assert.Contains(typeof(ICredentialUsage), InjectedContracts(typeof(CredentialsModule).Assembly));
        Assert.Contains(typeof(ICredentialVault), InjectedContracts(typeof(ExecutorModule).Assembly));
        Assert.Contains(typeof(IUserDirectory), InjectedContracts(typeof(AuthModule).Assembly));
        Assert.True(Implements(typeof(TargetsModule).Assembly, typeof(ICredentialUsage)));
    }

    /// <summary>
    /// Contract interfaces the assembly's code asks for: parameters of any constructor or method (DI constructors,
    /// endpoint handlers and the lambdas the compiler turns into methods) and the type arguments of
    /// <c>GetService&lt;T&gt;</c>-style calls (a scope's service provider), unwrapping <c>IEnumerable&lt;T&gt;</c> and the like.
    /// Read from the IL with Mono.Cecil (NetArchTest's reader), so a call in a method body counts too.
    /// </summary>
    static HashSet<Type> InjectedContracts(Assembly assembly)
    {
        var contracts = typeof(ICredentialUsage).Assembly.GetTypes()
            .Where(t => t.IsInterface && t.Namespace == typeof(ICredentialUsage).Namespace)
            .ToDictionary(t => t.FullName!);
        var found = new HashSet<Type>();
        void Collect(TypeReference type)
        {
            switch (type)
            {
                case TypeSpecification { ElementType: var element } when type is not GenericInstanceType:
                    Collect(element);
                    return;
                case GenericInstanceType generic:
                    Collect(generic.ElementType);
                    foreach (var argument in generic.GenericArguments)
                    {
                        Collect(argument);
                    }
                    return;
            }
            if (contracts.TryGetValue(type.FullName, out var contract))
            {
                found.Add(contract);
            }
        }

        using var module = ModuleDefinition.ReadModule(assembly.Location);
        foreach (var type in module.GetTypes())
        {
            foreach (var method in type.Methods)
            {
                foreach (var parameter in method.Parameters)
                {
                    Collect(parameter.ParameterType);
                }
                if (!method.HasBody)
                {
                    continue;
                }
                foreach (var instruction in method.Body.Instructions)
                {
                    if (instruction.Operand is GenericInstanceMethod { Name: var name } call && name.StartsWith("Get", StringComparison.Ordinal)
                        && name.Contains("Service", StringComparison.Ordinal))
                    {
                        foreach (var argument in call.GenericArguments)
                        {
                            Collect(argument);
                        }
                    }
                }
            }
        }
        return found;
    }

    static bool Implements(Assembly assembly, Type contract) =>
        assembly.GetTypes().Any(t => t is { IsClass: true, IsAbstract: false } && contract.IsAssignableFrom(t));
}
