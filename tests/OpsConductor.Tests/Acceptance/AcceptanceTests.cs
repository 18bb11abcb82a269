using System.Net;
using System.Text;
using OpsConductor.Shared.Contracts;
using OpsConductor.Tests.Infrastructure;
using OpsConductor.Tests.Runs;

namespace OpsConductor.Tests.Acceptance;

/// <summary>
/// What a user relies on, through the gateway: sign in, register, run and follow a job, roles, and the gateway's own
/// protections. The same tests run against the all-in-one host and against the eight-service topology.
/// </summary>
[Collection(AcceptanceCollection.Name)]
[Trait("Category", TestCategories.ProviderIndependent)]
public sealed class AcceptanceTests(AcceptanceFixture site)
{
    [Fact]
    public async Task An_operator_checks_a_target_runs_a_job_on_the_fleet_and_follows_its_output_live()
    {
        using var operatorClient = await site.UserAsync("operator");
        var check = await operatorClient.ExpectAsync(HttpStatusCode.OK, operatorClient.PostAsync($"/api/v1/targets/{site.TargetIds[0]}/check"));
        Assert.Equal("healthy", check.Str("status"));

        var job = await operatorClient.ExpectAsync(HttpStatusCode.Created, operatorClient.PostAsync("/api/v1/jobs", new
        {
            name = Inventory.UniqueName("accept"),
            parameters = new[] { new { name = "who", type = "string", required = true } },
            steps = new[] { new { name = "greet", type = "command", script = "echo hello-{{who}}; sleep 0.5; echo bye" } },
            targets = new { tags = new[] { site.Tag } },
        }));
        var run = await operatorClient.ExpectAsync(HttpStatusCode.Accepted,
            operatorClient.PostAsync($"/api/v1/jobs/{job.GetProperty("id").GetInt64()}/runs", new { parameters = new { who = "it's me" } }));
        var runId = run.GetProperty("id").GetInt64();

        // The stream replays from the start and ends with the final status; folded, it is the run's document.
        var events = (await RunStreamClient.ReadAll(operatorClient, $"/api/v1/runs/{runId}/events")).Select(e => e.Typed).ToList();
        var lines = events.OfType<OutputChunk>().SelectMany(c => c.Lines).ToList();
        Assert.Equal(3, lines.Count(l => l == "hello-it's me"));
        Assert.Equal(3, lines.Count(l => l == "bye"));

        var document = await operatorClient.ExpectAsync(HttpStatusCode.OK, operatorClient.GetAsync($"/api/v1/runs/{runId}"));
        Assert.Equal("succeeded", document.Str("status"));
        RunStreamClient.AssertFoldEquals(events, document);
        Assert.All(document.GetProperty("targets").EnumerateArray(),
            t => Assert.Contains("hello-it's me", t.GetProperty("steps")[0].Str("stdout")));
    }

    [Fact]
    public async Task Roles_hold_through_the_gateway()
    {
        using var anonymous = site.Gateway();
        await anonymous.ExpectAsync(HttpStatusCode.Unauthorized, anonymous.GetAsync("/api/v1/jobs"));
        using var viewer = await site.UserAsync("viewer");
        await viewer.ExpectAsync(HttpStatusCode.OK, viewer.GetAsync("/api/v1/jobs"));
        await viewer.ExpectAsync(HttpStatusCode.OK, viewer.GetAsync("/api/v1/targets"));
        await viewer.ExpectAsync(HttpStatusCode.Forbidden, viewer.PostAsync("/api/v1/jobs", new
        {
            name = Inventory.UniqueName("nope"),
            steps = new[] { new { name = "s", type = "command", script = "true" } },
            targets = new { tags = new[] { site.Tag } },
        }));
        await viewer.ExpectAsync(HttpStatusCode.Forbidden, viewer.GetAsync("/api/v1/users"));
        using var operatorClient = await site.UserAsync("operator");
        await operatorClient.ExpectAsync(HttpStatusCode.Forbidden, operatorClient.PostAsync("/api/v1/users", new
        {
            username = Inventory.UniqueName("x"),
            email = "x@example.com",
            fullName = "X",
            role = "admin",
            password = "Pw-0123456789abcdef",
        }));
    }

    [Fact]
    public async Task A_users_token_is_refused_on_the_internal_credentials_endpoint_and_the_gateway_hides_it()
    {
        using var admin = await site.AdminAsync();
        var credential = await Inventory.PasswordCredentialAsync(admin, password: "Internal-Probe-Secret-1");
        var token = admin.Http.DefaultRequestHeaders.Authorization!.Parameter;

        // Straight at the process that serves credentials, an admin's token is not a service identity.
        using var direct = new ApiClient(new HttpClient { BaseAddress = site.CredentialsService }).WithToken(token);
        using var refused = await direct.PostAsync($"/api/v1/credentials/internal/{credential}/secret", new { purpose = "probe" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.DoesNotContain("Internal-Probe-Secret-1", await refused.Content.ReadAsStringAsync());

        using var hidden = await admin.PostAsync($"/api/v1/credentials/internal/{credential}/secret", new { purpose = "probe" });
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
    }

    [Fact]
    public async Task The_gateway_refuses_tls_below_1_2_and_oversized_bodies_and_sends_the_security_headers()
    {
        Assert.False((await GatewayClient.HandshakeAsync(site.HttpsPort, "-tls1_1")).Connected, "TLS 1.1 must be refused");
        Assert.True((await GatewayClient.HandshakeAsync(site.HttpsPort, "-tls1_2")).Connected, "TLS 1.2 must be accepted");

        using var client = await site.AdminAsync();
        using var page = await client.GetAsync("/");
        Assert.Contains("max-age=", page.Headers.GetValues("Strict-Transport-Security").Single());
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single());

        var big = "{\"name\":\"" + new string('x', 2 * 1024 * 1024) + "\"}";
        using var tooLarge = await client.Http.PostAsync("/api/v1/jobs", new StringContent(big, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
    }

    [Fact]
    public async Task Repeated_sign_in_attempts_from_one_address_get_429_and_others_still_sign_in()
    {
        using var flooder = site.Gateway(from: "127.0.0.6");
        var statuses = new List<HttpStatusCode>();
        var username = Inventory.UniqueName("nobody");
        for (var i = 0; i < 40 && !statuses.Contains(HttpStatusCode.TooManyRequests); i++)
        {
            using var response = await flooder.PostAsync("/api/v1/auth/login", new { username, password = "wrong-password-" + i });
            statuses.Add(response.StatusCode);
        }
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests, s.ToString()));
        using var admin = await site.AdminAsync();
    }

    [Fact]
    public async Task Every_process_behind_the_gateway_is_healthy()
    {
        using var client = site.Gateway();
        var health = await client.ExpectAsync(HttpStatusCode.OK, client.GetAsync("/health"));
        Assert.Equal("healthy", health.Str("status"));
        using var direct = new HttpClient();
        foreach (var (name, address) in site.Processes)
        {
            using var response = await direct.GetAsync(new Uri(address, "/health"));
            var body = await ApiClient.Json(response);
            Assert.True(response.StatusCode == HttpStatusCode.OK && body.Str("status") == "healthy", $"{name}: {(int)response.StatusCode} {body}");
        }

        // What the dashboard shows: every process, asked by whichever process the gateway picked.
        using var viewer = await site.UserAsync("viewer");
        var processes = await viewer.ExpectAsync(HttpStatusCode.OK, viewer.GetAsync("/api/v1/system/processes"));
        Assert.Equal(site.Processes.Select(p => p.Name), processes.EnumerateArray().Select(p => p.Str("name")));
        Assert.All(processes.EnumerateArray(), p => Assert.Equal("healthy", p.Str("status")));
        await client.ExpectAsync(HttpStatusCode.Unauthorized, client.GetAsync("/api/v1/system/processes"));
    }
}
