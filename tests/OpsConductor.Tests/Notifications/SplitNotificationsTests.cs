using System.Net;
using OpsConductor.Tests.Infrastructure;
using static OpsConductor.Tests.Notifications.NotificationSettings;

namespace OpsConductor.Tests.Notifications;

/// <summary>Split mode: the notifications process seals and unseals the SMTP password over the credentials service's internal endpoints.</summary>
public sealed class SplitNotificationsTests
{
    [Fact]
    public async Task A_separate_notifications_service_uses_the_smtp_password_without_the_master_key()
    {
        const string password = "Split-Smtp-Pass-93c1";
        await using var smtp = await Smtp4devServer.StartAsync(new Smtp4devServer.Options(User: "mailer", Password: password));
        var database = await TestDatabase.NewAsync();
        var root = Directory.CreateTempSubdirectory("opsc-split-notify-").FullName;
        var shared = Path.Combine(root, "shared");
        Directory.CreateDirectory(shared);
        if (!TestDatabase.IsPostgres)
        {
            database["ConnectionStrings__OpsConductor"] = $"Data Source={Path.Combine(shared, "opsconductor.db")}";
        }
        database["OpsConductor__Auth__ServiceSecret"] = "split-test-service-secret-0123456789";

        await using var auth = await HostProcess.StartAsync(database, services: "auth", dataDirectory: shared);
        var withAuth = new Dictionary<string, string>(database)
        {
            ["OpsConductor__Auth__JwksUrl"] = new Uri(auth.BaseAddress, "/api/v1/auth/jwks").ToString(),
            ["OpsConductor__Auth__Url"] = auth.BaseAddress.ToString(),
        };
        await using var credentials = await HostProcess.StartAsync(withAuth, services: "credentials", dataDirectory: shared);
        var notifyData = Path.Combine(root, "notifications");
        var notifySettings = new Dictionary<string, string>(withAuth) { ["OpsConductor__Remote__Credentials"] = credentials.BaseAddress.ToString() };
        await using var notifications = await HostProcess.StartAsync(notifySettings, services: "notifications", dataDirectory: notifyData);

        using var admin = auth.Client();
        var token = (await admin.LoginAsync("admin", HostProcess.AdminPassword)).Str("accessToken");
        using var client = notifications.Client().WithToken(token);
        await SmtpAsync(client, smtp.SmtpPort, username: "mailer", password: password);
        var result = await client.ExpectAsync(HttpStatusCode.OK, client.PostAsync("/api/v1/notifications/smtp/test", new { to = "split@example.test" }));
        Assert.True(result.GetProperty("success").GetBoolean(), result.ToString());
        Assert.Single(await smtp.WaitForAsync(m => m.To.Contains("split@example.test")));
        Assert.False(File.Exists(Path.Combine(notifyData, "keys", "master.key")), "the notifications process must not hold the master key");

        // A user's token cannot use the internal endpoints.
        using var credentialsClient = credentials.Client().WithToken(token);
        await credentialsClient.ExpectAsync(HttpStatusCode.Forbidden,
            credentialsClient.PostAsync("/api/v1/credentials/internal/unseal", new { purpose = "notifications/smtp-password", @sealed = "v1:x:y" }));
        Assert.DoesNotContain(password, notifications.Output + credentials.Output);
    }
}
