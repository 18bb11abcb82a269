using System.Net;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Hosting;

public sealed class RestartTests
{
    [Fact]
    public async Task Sessions_and_data_survive_a_crash_and_restart()
    {
        var database = await TestDatabase.NewAsync();
        var data = Directory.CreateTempSubdirectory("opsc-restart-").FullName;
        string accessToken, refreshToken;
        await using (var first = await HostProcess.StartAsync(database, dataDirectory: data))
        {
            using var client = first.Client();
            var session = await client.LoginAsync("admin", HostProcess.AdminPassword);
            (accessToken, refreshToken) = (session.Str("accessToken"), session.Str("refreshToken"));
            await client.ExpectAsync(HttpStatusCode.Created, client.PostAsync("/api/v1/users",
                new { username = "survivor", role = "viewer", password = "long-enough-password" }));
            first.Kill();
        }

        await using var second = await HostProcess.StartAsync(database, dataDirectory: data);
        using var again = second.Client();
        again.WithToken(accessToken); // the signing key persisted in the data directory
        var list = await again.ExpectAsync(HttpStatusCode.OK, again.GetAsync("/api/v1/users?search=survivor"));
        Assert.Equal(1, list.GetProperty("total").GetInt32());
        await again.ExpectAsync(HttpStatusCode.OK, again.PostAsync("/api/v1/auth/refresh", new { refreshToken }));
    }

    [Fact]
    public async Task Without_a_configured_password_the_first_start_prints_a_generated_one_once()
    {
        var data = Directory.CreateTempSubdirectory("opsc-bootstrap-").FullName;
        var database = await TestDatabase.NewAsync();
        string password;
        await using (var first = await HostProcess.StartAsync(database, dataDirectory: data, bootstrapPassword: false))
        {
            var lines = first.Output.Split('\n');
            var index = Array.FindIndex(lines, l => l.Contains("created the account 'admin'"));
            Assert.True(index >= 0, first.Output);
            password = lines[index + 1].Trim();
            Assert.True(password.Length >= 12);
            using var client = first.Client();
            await client.LoginAsync("admin", password);
            first.Kill();
        }
        await using var second = await HostProcess.StartAsync(database, dataDirectory: data, bootstrapPassword: false);
        Assert.DoesNotContain(password, second.Output);
        Assert.DoesNotContain("created the account 'admin'", second.Output);
    }
}
