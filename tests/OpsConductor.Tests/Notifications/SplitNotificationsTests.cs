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
        await using var split = await SplitServices.StartAsync("opsc-split-notify-");
        var (auth, credentials) = (split.Auth, split.Credentials);
        var notifyData = Path.Combine(split.Root, "notifications");
        await using var notifications = await HostProcess.StartAsync(split.WithRemoteCredentials, services: "notifications", dataDirectory: notifyData);

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
