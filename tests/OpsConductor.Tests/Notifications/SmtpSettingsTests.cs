using System.Net;
using OpsConductor.Tests.Infrastructure;
using static OpsConductor.Tests.Notifications.NotificationSettings;

namespace OpsConductor.Tests.Notifications;

/// <summary>The SMTP settings against real smtp4dev servers: TLS both ways with a test certificate, authentication, the write-only password.</summary>
[Trait("Category", TestCategories.ProviderIndependent)]
public sealed class SmtpSettingsTests(SmtpSettingsFixture fixture) : IClassFixture<SmtpSettingsFixture>
{
    [Fact]
    public async Task Starttls_and_implicit_tls_work_with_a_test_certificate_and_an_untrusted_one_is_refused_by_default()
    {
        using var admin = await fixture.AdminAsync();
        var directory = Directory.CreateTempSubdirectory("opsc-smtp-cert-").FullName;
        var pfx = Smtp4devServer.CreateCertificate(directory);
        await using var startTls = await Smtp4devServer.StartAsync(new Smtp4devServer.Options("StartTls", pfx));
        await using var implicitTls = await Smtp4devServer.StartAsync(new Smtp4devServer.Options("ImplicitTls", pfx));

        // Verification is on unless allowInvalidCertificate says otherwise: the self-signed certificate is refused.
        await SmtpAsync(admin, startTls.SmtpPort, "starttls");
        var refused = await admin.ExpectAsync(HttpStatusCode.OK, admin.PostAsync("/api/v1/notifications/smtp/test", new { to = "tls@example.test" }));
        Assert.False(refused.GetProperty("success").GetBoolean());
        Assert.Contains("certificate", refused.Str("error"));

        await SmtpAsync(admin, startTls.SmtpPort, "starttls", allowInvalidCertificate: true);
        var viaStartTls = await admin.ExpectAsync(HttpStatusCode.OK, admin.PostAsync("/api/v1/notifications/smtp/test", new { to = "starttls@example.test" }));
        Assert.True(viaStartTls.GetProperty("success").GetBoolean(), viaStartTls.ToString());
        Assert.False(string.IsNullOrWhiteSpace(viaStartTls.Str("serverResponse")));
        Assert.Single(await startTls.WaitForAsync(m => m.To.Contains("starttls@example.test")));
        Assert.Contains("SecureConnection: True", startTls.Output, StringComparison.OrdinalIgnoreCase);

        await SmtpAsync(admin, implicitTls.SmtpPort, "tls", allowInvalidCertificate: true);
        var viaTls = await admin.ExpectAsync(HttpStatusCode.OK, admin.PostAsync("/api/v1/notifications/smtp/test", new { to = "tls@example.test" }));
        Assert.True(viaTls.GetProperty("success").GetBoolean(), viaTls.ToString());
        var arrived = Assert.Single(await implicitTls.WaitForAsync(m => m.To.Contains("tls@example.test")));
        Assert.Equal("OpsConductor test message", arrived.Subject);

        // Plain SMTP against the implicit-TLS port fails with a reason, not a hang.
        await SmtpAsync(admin, implicitTls.SmtpPort, "none");
        var mismatch = await admin.ExpectAsync(HttpStatusCode.OK, admin.PostAsync("/api/v1/notifications/smtp/test", new { to = "tls@example.test" }));
        Assert.False(mismatch.GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task A_wrong_password_is_reported_with_the_servers_text_and_the_password_never_comes_back()
    {
        using var admin = await fixture.AdminAsync();
        const string password = "Smtp-Pass-7b2e9d1c";
        await using var smtp = await Smtp4devServer.StartAsync(new Smtp4devServer.Options(User: "mailer", Password: password));

        await SmtpAsync(admin, smtp.SmtpPort, username: "mailer", password: "Wrong-Pass-41f0");
        var wrong = await admin.ExpectAsync(HttpStatusCode.OK, admin.PostAsync("/api/v1/notifications/smtp/test", new { to = "auth@example.test" }));
        Assert.False(wrong.GetProperty("success").GetBoolean());
        Assert.Contains("Authentication as mailer failed", wrong.Str("error"));
        Assert.Contains("Authentication failure", wrong.Str("error")); // smtp4dev's own answer
        Assert.DoesNotContain("Wrong-Pass-41f0", wrong.ToString());

        await SmtpAsync(admin, smtp.SmtpPort, username: "mailer", password: password);
        var settings = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync("/api/v1/notifications/smtp"));
        Assert.True(settings.GetProperty("passwordSet").GetBoolean());
        Assert.False(settings.TryGetProperty("password", out _));
        Assert.DoesNotContain(password, settings.ToString());
        var right = await admin.ExpectAsync(HttpStatusCode.OK, admin.PostAsync("/api/v1/notifications/smtp/test", new { to = "auth@example.test" }));
        Assert.True(right.GetProperty("success").GetBoolean(), right.ToString());
        Assert.Single(await smtp.WaitForAsync(m => m.To.Contains("auth@example.test")));

        // Saving again without a password keeps it; "" removes it.
        await SmtpAsync(admin, smtp.SmtpPort, username: "mailer");
        Assert.True((await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync("/api/v1/notifications/smtp"))).GetProperty("passwordSet").GetBoolean());
        await SmtpAsync(admin, smtp.SmtpPort, username: "mailer", password: "");
        Assert.False((await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync("/api/v1/notifications/smtp"))).GetProperty("passwordSet").GetBoolean());

        // Not in the logs, and not in plain text in the database either.
        Assert.DoesNotContain(password, fixture.Host.Output);
        Assert.DoesNotContain("Wrong-Pass-41f0", fixture.Host.Output);
        if (!TestDatabase.IsPostgres)
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(fixture.Host.DataDirectory, "opsconductor.db"));
            var wal = Path.Combine(fixture.Host.DataDirectory, "opsconductor.db-wal");
            var text = System.Text.Encoding.UTF8.GetString(bytes) + (File.Exists(wal) ? System.Text.Encoding.UTF8.GetString(await ReadSharedAsync(wal)) : "");
            Assert.DoesNotContain(password, text);
        }
        var invalid = await admin.ExpectAsync(HttpStatusCode.BadRequest, admin.PutAsync("/api/v1/notifications/smtp",
            new { host = "", port = 0, security = "none", fromAddress = "nobody" }));
        Assert.True(invalid.GetProperty("errors").TryGetProperty("fromAddress", out _));
        Assert.True(invalid.GetProperty("errors").TryGetProperty("port", out _));
    }

    static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}
