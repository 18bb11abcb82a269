using System.Diagnostics;
using System.Net;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Security;

/// <summary>No executor: runs stay queued, so their event streams stay open until something ends them.</summary>
public sealed class EventStreamFixture : HostFixture
{
    public const int TokenSeconds = 8;

    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["OpsConductor__Services"] = "auth,users,credentials,targets,jobs",
        ["OpsConductor__Auth__AccessTokenSeconds"] = TokenSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["OpsConductor__Jobs__MaxStreamsPerUser"] = "2",
    };

    /// <summary>A queued run that never starts.</summary>
    public async Task<long> QueuedRunAsync()
    {
        using var admin = await AdminAsync();
        var credential = await Inventory.PasswordCredentialAsync(admin);
        var target = await Inventory.SshTargetAsync(admin, credential, port: 1);
        var job = await admin.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/api/v1/jobs", new
        {
            name = Inventory.UniqueName("stream"),
            steps = new[] { new { name = "noop", type = "command", script = "true" } },
            targets = new { targetIds = new[] { target } },
        }));
        return await FleetFixture.StartAsync(admin, job.GetProperty("id").GetInt64());
    }
}

[Trait("Category", TestCategories.ProviderIndependent)]
public sealed class EventStreamLimitTests(EventStreamFixture fixture) : IClassFixture<EventStreamFixture>
{
    static Task<HttpResponseMessage> OpenAsync(ApiClient client, long runId, long? after = null) =>
        client.Http.GetAsync($"/api/v1/runs/{runId}/events{(after is null ? "" : $"?after={after}")}", HttpCompletionOption.ResponseHeadersRead);

    [Fact]
    public async Task A_stream_ends_when_its_token_expires_and_resumes_with_a_fresh_one()
    {
        var runId = await fixture.QueuedRunAsync();
        using var viewer = (await fixture.UserAsync("viewer")).Client;
        var clock = Stopwatch.StartNew();
        using var response = await OpenAsync(viewer, runId);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(EventStreamFixture.TokenSeconds + 20));
        var lines = new List<string>();
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            lines.Add(line);
        }

        Assert.Equal("event: queued", lines[1]); // the run's first event, after its id
        Assert.Contains("event: expired", lines);
        Assert.DoesNotContain("event: end", lines);
        Assert.DoesNotMatch("^id: ", lines[lines.IndexOf("event: expired") - 1]); // the stream's own events carry no id
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(EventStreamFixture.TokenSeconds + 3), $"the stream outlived its token: {clock.Elapsed}");
        var lastId = lines.Where(l => l.StartsWith("id: ", StringComparison.Ordinal)).Select(l => long.Parse(l[4..])).DefaultIfEmpty(0).Last();

        // The expired token is refused; a fresh one resumes after the last event seen.
        using var stale = await OpenAsync(viewer, runId, lastId);
        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        var (fresh, _, _, _) = await fixture.UserAsync("viewer");
        using var _f = fresh;
        using var resumed = await OpenAsync(fresh, runId, lastId);
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
    }

    [Fact]
    public async Task A_queued_run_that_is_cancelled_ends_its_stream_with_the_cancel()
    {
        var runId = await fixture.QueuedRunAsync();
        using var admin = await fixture.AdminAsync();
        using var response = await OpenAsync(admin, runId);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("id: ", (await reader.ReadLineAsync())![..4]);
        Assert.Equal("event: queued", await reader.ReadLineAsync());

        await admin.ExpectAsync(HttpStatusCode.Accepted, admin.PostAsync($"/api/v1/runs/{runId}/cancel"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var rest = new List<string>();
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            rest.Add(line);
        }
        var data = rest.Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => System.Text.Json.JsonDocument.Parse(l[6..]).RootElement).ToList();
        var cancelled = data.Single(d => d.Str("kind") == "status_changed");
        Assert.Equal(("run", "cancelled"), (cancelled.Str("scope"), cancelled.Str("status")));
        Assert.Contains("before it started", cancelled.Str("error"));
        var run = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/runs/{runId}"));
        Assert.Equal(run.GetProperty("finishedAt").GetDateTimeOffset(), cancelled.GetProperty("finishedAt").GetDateTimeOffset());
        Assert.Equal(run.Str("error"), cancelled.Str("error"));
        Assert.Equal(("end", "cancelled"), (data[^1].Str("kind"), data[^1].Str("status")));
    }

    [Fact]
    public async Task A_user_holds_at_most_the_configured_number_of_streams()
    {
        var runId = await fixture.QueuedRunAsync();
        var (viewer, _, _, _) = await fixture.UserAsync("viewer");
        using var _v = viewer;
        using var first = await OpenAsync(viewer, runId);
        using var second = await OpenAsync(viewer, runId);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);

        using var third = await OpenAsync(viewer, runId);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal("application/problem+json", third.Content.Headers.ContentType?.MediaType);

        // Another user is not affected.
        using var admin = await fixture.AdminAsync();
        using var theirs = await OpenAsync(admin, runId);
        Assert.Equal(HttpStatusCode.OK, theirs.StatusCode);

        // Closing a stream frees its slot.
        first.Dispose();
        var status = HttpStatusCode.TooManyRequests;
        for (var i = 0; i < 20 && status == HttpStatusCode.TooManyRequests; i++)
        {
            await Task.Delay(250);
            using var again = await OpenAsync(viewer, runId);
            status = again.StatusCode;
        }
        Assert.Equal(HttpStatusCode.OK, status);
    }
}
