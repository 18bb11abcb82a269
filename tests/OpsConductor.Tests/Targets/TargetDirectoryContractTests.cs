using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpsConductor.Credentials;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Hosting;
using OpsConductor.Shared.Persistence;
using OpsConductor.Targets;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Targets;

/// <summary>
/// The contracts the executor uses, resolved from the modules loaded as libraries (not served), the way a split
/// executor process gets them.
/// </summary>
public sealed class TargetDirectoryContractTests
{
    static async Task<ServiceProvider> LibraryModulesAsync()
    {
        var data = Directory.CreateTempSubdirectory("opsc-contract-").FullName;
        var values = (await TestDatabase.NewAsync()).ToDictionary(kv => kv.Key.Replace("__", ":"), kv => (string?)kv.Value);
        values["OpsConductor:DataDirectory"] = data;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var settings = OpsConductorSettings.From(configuration, [ServiceNames.Credentials, ServiceNames.Targets, ServiceNames.Executor]);
        var context = new ModuleContext(configuration, settings, Served: false, new HashSet<string> { ServiceNames.Executor });
        var services = new ServiceCollection().AddLogging();
        ServiceModule[] modules = [new CredentialsModule(), new TargetsModule()];
        foreach (var module in modules)
        {
            module.AddServices(services, context);
        }
        var provider = services.BuildServiceProvider();
        await ServiceDatabase.MigrateAllAsync(provider, settings, CancellationToken.None);
        foreach (var module in modules)
        {
            await module.InitializeAsync(provider, context, CancellationToken.None);
        }
        return provider;
    }

    static Target NewTarget(string name, params string[] tags) => new()
    {
        Name = name,
        NormalizedName = name.ToLowerInvariant(),
        Hostname = $"{name}.example.com",
        Port = 22,
        CredentialId = 1,
        Tags = tags.Select(t => new TargetTag { Tag = t }).ToList(),
    };

    [Fact]
    public async Task Resolve_returns_the_union_of_ids_and_tags_once_each_ordered_by_name()
    {
        await using var provider = await LibraryModulesAsync();
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TargetsDb>();
        var (web1, web2, db1, other) = (NewTarget("web-1", "web", "prod"), NewTarget("web-2", "web"), NewTarget("db-1", "db"), NewTarget("other"));
        db.Targets.AddRange(web2, web1, db1, other);
        await db.SaveChangesAsync();

        var directory = scope.ServiceProvider.GetRequiredService<ITargetDirectory>();
        var resolved = await directory.ResolveAsync([db1.Id, web1.Id, 999_999], ["WEB"], CancellationToken.None);
        Assert.Equal(["db-1", "web-1", "web-2"], resolved.Targets.Select(t => t.Name));
        Assert.Equal([999_999L], resolved.MissingIds);
        Assert.Equal(22, resolved.Targets[0].Port);
    }

    [Fact]
    public async Task Resolve_carries_the_winrm_transport_and_the_pinned_certificate_thumbprint()
    {
        await using var provider = await LibraryModulesAsync();
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TargetsDb>();
        var windows = NewTarget("win-1");
        windows.OsType = OsType.Windows;
        windows.Connection = ConnectionType.Winrm;
        windows.Port = 5986;
        windows.WinRmUseHttps = true;
        windows.WinRmVerifyCertificate = false;
        windows.WinRmCertificateThumbprint = "3B7E0A9F5C1D2E4F6A8B0C1D2E3F4A5B6C7D8E9F";
        db.Targets.Add(windows);
        await db.SaveChangesAsync();

        var resolved = await scope.ServiceProvider.GetRequiredService<ITargetDirectory>().ResolveAsync([windows.Id], [], CancellationToken.None);
        var target = Assert.Single(resolved.Targets);
        Assert.Equal((ConnectionType.Winrm, 5986, true, false, "3B7E0A9F5C1D2E4F6A8B0C1D2E3F4A5B6C7D8E9F"),
            (target.Connection, target.Port, target.WinRmUseHttps, target.WinRmVerifyCertificate, target.WinRmCertificateThumbprint));
    }

    [Fact]
    public async Task Verify_host_key_pins_nothing_itself_and_flags_a_mismatch_after_an_authenticated_pin()
    {
        await using var provider = await LibraryModulesAsync();
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TargetsDb>();
        var target = NewTarget("pin-me");
        db.Targets.Add(target);
        await db.SaveChangesAsync();
        var directory = scope.ServiceProvider.GetRequiredService<ITargetDirectory>();
        var first = "SHA256:" + new string('a', 43);
        var second = "SHA256:" + new string('b', 43);

        Assert.Equal(HostKeyVerdict.FirstUse, await directory.VerifyHostKeyAsync(target.Id, first, CancellationToken.None));
        await db.Entry(target).ReloadAsync();
        Assert.Null(target.PinnedHostKey); // pinned only once authentication succeeded
        Assert.Equal(first, target.LastSeenHostKey);
        await directory.PinAuthenticatedHostKeyAsync(target.Id, first, CancellationToken.None);
        await directory.PinAuthenticatedHostKeyAsync(target.Id, second, CancellationToken.None); // a pin is never replaced this way
        // Pinned by key authentication, not by an operator: trusted for keys, never for a password (see HostKeyPinningTests).
        Assert.Equal(HostKeyVerdict.PinnedUnconfirmed, await directory.VerifyHostKeyAsync(target.Id, first, CancellationToken.None));
        Assert.Equal(HostKeyVerdict.Mismatch, await directory.VerifyHostKeyAsync(target.Id, second, CancellationToken.None));
        Assert.Equal(HostKeyVerdict.Mismatch, await directory.VerifyHostKeyAsync(999_999, first, CancellationToken.None));

        await db.Entry(target).ReloadAsync();
        Assert.Equal(first, target.PinnedHostKey);
        Assert.Equal(second, target.LastSeenHostKey);
        Assert.Equal(TargetStatus.HostKeyMismatch, target.Status);
    }

    [Fact]
    public async Task The_vault_decrypts_for_the_executor_and_records_the_run()
    {
        await using var provider = await LibraryModulesAsync();
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CredentialsDb>();
        var credential = new Credential { Name = "deploy", NormalizedName = "deploy", Type = CredentialType.Password, Username = "deploy" };
        db.Credentials.Add(credential);
        await db.SaveChangesAsync();
        scope.ServiceProvider.GetRequiredService<CredentialSecrets>().AddVersion(credential, new SecretPayload(Password: "Vault-Read-Password-1"));
        await db.SaveChangesAsync();

        var vault = scope.ServiceProvider.GetRequiredService<ICredentialVault>();
        var secret = await vault.ReadSecretAsync(credential.Id, new SecretAccess("executor", "run step", RunId: 42, Actor: "alice"), CancellationToken.None);
        Assert.Equal("Vault-Read-Password-1", secret!.Password);
        Assert.DoesNotContain("Vault-Read-Password-1", secret.ToString());
        Assert.Null(await vault.ReadSecretAsync(999_999, new SecretAccess("executor", "run step"), CancellationToken.None));

        var access = Assert.Single(db.AccessLog.Where(a => a.CredentialId == credential.Id));
        Assert.Equal(("executor", "run step", 42L, "alice", 1), (access.Service, access.Purpose, access.RunId!.Value, access.Actor!, access.Version));
    }
}
