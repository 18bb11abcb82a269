using System.Net;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Security;

/// <summary>What someone types as a username reaches the log only when it is a real account's name.</summary>
public sealed class SignInLogTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task Unknown_usernames_and_forged_log_lines_stay_out_of_the_log()
    {
        using var client = fixture.Anonymous();
        const string passwordInTheWrongField = "Typed-Pa55word-In-The-Wrong-Field";
        const string forged = "intruder\r\ninfo: User admin signed in from 10.9.9.9";
        await client.ExpectAsync(HttpStatusCode.Unauthorized, client.PostAsync("/api/v1/auth/login", new { username = passwordInTheWrongField, password = "x" }));
        await client.ExpectAsync(HttpStatusCode.Unauthorized, client.PostAsync("/api/v1/auth/login", new { username = forged, password = "x" }));
        await client.ExpectAsync(HttpStatusCode.Unauthorized, client.PostAsync("/api/v1/auth/login", new { username = "ADMIN", password = "not-the-password" }));
        var log = await fixture.Host.OutputContainingAsync("Failed sign-in for admin from");
        Assert.DoesNotContain(passwordInTheWrongField, log);
        Assert.DoesNotContain("intruder", log);
        Assert.DoesNotContain("10.9.9.9", log);
        Assert.Contains("Failed sign-in for (unknown username)", log);
        Assert.Contains("Failed sign-in for admin from", log); // a real account is named, as stored
    }
}
