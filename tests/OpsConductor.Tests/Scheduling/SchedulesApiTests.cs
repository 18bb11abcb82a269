using System.Net;
using System.Text.Json;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Scheduling;

/// <summary>The schedules API against a real host: validation that names the field, CRUD, roles, preview and secrets.</summary>
public sealed class SchedulesApiTests(HostFixture host) : IClassFixture<HostFixture>
{
    async Task<long> JobAsync(ApiClient client, object[]? parameters = null)
    {
        var job = await client.ExpectAsync(HttpStatusCode.Created, client.PostAsync("/api/v1/jobs", new
        {
            name = Inventory.UniqueName("sched-job"),
            parameters = parameters ?? [],
            steps = new[] { new { name = "noop", type = "command", script = "true" } },
            targets = new { tags = new[] { "nowhere" } },
        }));
        return job.GetProperty("id").GetInt64();
    }

    static async Task<JsonElement> Invalid(ApiClient client, object body, string field)
    {
        var problem = await client.ExpectAsync(HttpStatusCode.BadRequest, client.PostAsync("/api/v1/schedules", body));
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), $"no error for {field}: {problem}");
        Assert.NotEmpty(messages.EnumerateArray().Select(m => m.GetString()));
        return messages;
    }

    [Fact]
    public async Task Invalid_schedules_are_400s_naming_the_field_and_the_reason()
    {
        using var op = (await host.UserAsync("operator")).Client;
        var job = await JobAsync(op, [new { name = "count", type = "int", required = true }]);
        var ok = new Dictionary<string, object> { ["count"] = 3 };

        var cron = await Invalid(op, new { name = "bad cron", jobId = job, cron = "61 * * * *", parameters = ok }, "cron");
        Assert.Contains("Invalid cron expression", cron[0].GetString());
        var fields = await Invalid(op, new { name = "four fields", jobId = job, cron = "* * * *", parameters = ok }, "cron");
        Assert.Contains("5 fields", fields[0].GetString());
        var zone = await Invalid(op, new { name = "bad zone", jobId = job, cron = "0 * * * *", timezone = "Mars/Olympus_Mons", parameters = ok }, "timezone");
        Assert.Contains("Mars/Olympus_Mons", zone[0].GetString());
        await Invalid(op, new { name = "both", jobId = job, cron = "0 * * * *", runAt = "2030-01-01T00:00:00", parameters = ok }, "runAt");
        await Invalid(op, new { name = "neither", jobId = job, parameters = ok }, "cron");
        await Invalid(op, new { name = "offset", jobId = job, runAt = "2030-01-01T00:00:00Z", parameters = ok }, "runAt");
        var past = await Invalid(op, new { name = "past", jobId = job, runAt = "2001-01-01T00:00:00", parameters = ok }, "runAt");
        Assert.Contains("in the past", past[0].GetString());
        var unknownJob = await Invalid(op, new { name = "no job", jobId = 987654, cron = "0 * * * *" }, "jobId");
        Assert.Equal("Job 987654 does not exist.", unknownJob[0].GetString());
        var required = await Invalid(op, new { name = "missing", jobId = job, cron = "0 * * * *" }, "parameters.count");
        Assert.Equal("'count' is required.", required[0].GetString());
        var type = await Invalid(op, new { name = "wrong type", jobId = job, cron = "0 * * * *", parameters = new { count = "many" } }, "parameters.count");
        Assert.Equal("'count' must be a whole number.", type[0].GetString());
        await Invalid(op, new { name = "unknown parameter", jobId = job, cron = "0 * * * *", parameters = new { count = 1, other = "x" } }, "parameters.other");
        await Invalid(op, new { name = "", jobId = job, cron = "0 * * * *", parameters = ok }, "name");
    }

    [Fact]
    public async Task A_schedule_is_created_read_listed_updated_paused_resumed_and_deleted()
    {
        using var op = (await host.UserAsync("operator")).Client;
        var job = await JobAsync(op);
        var name = Inventory.UniqueName("nightly");
        var created = await op.ExpectAsync(HttpStatusCode.Created, op.PostAsync("/api/v1/schedules",
            new { name, jobId = job, cron = "30 2 * * *", timezone = "Europe/Berlin", tags = new[] { "Nightly" } }));
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal("Europe/Berlin", created.Str("timezone"));
        Assert.True(created.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, created.GetProperty("lastRunStatus").ValueKind);
        Assert.Equal(["nightly"], created.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        var next = created.GetProperty("nextFireAt").GetDateTimeOffset();
        var berlin = TimeZoneInfo.ConvertTime(next, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        Assert.True(berlin.TimeOfDay == new TimeSpan(2, 30, 0) || berlin.TimeOfDay == new TimeSpan(3, 0, 0), berlin.ToString("O"));

        await op.ExpectAsync(HttpStatusCode.Conflict, op.PostAsync("/api/v1/schedules", new { name = name.ToUpperInvariant(), jobId = job, cron = "0 * * * *" }));

        var read = await op.ExpectAsync(HttpStatusCode.OK, op.GetAsync($"/api/v1/schedules/{id}"));
        Assert.Equal(name, read.Str("name"));
        Assert.Equal(job, read.GetProperty("jobId").GetInt64());
        var list = await op.ExpectAsync(HttpStatusCode.OK, op.GetAsync($"/api/v1/schedules?jobId={job}&tag=nightly&enabled=true"));
        Assert.Equal(1, list.GetProperty("total").GetInt32());
        Assert.Equal(id, list.GetProperty("items")[0].GetProperty("id").GetInt64());

        var updated = await op.ExpectAsync(HttpStatusCode.OK, op.PutAsync($"/api/v1/schedules/{id}",
            new { name, jobId = job, cron = "*/5 * * * * *", timezone = "UTC" }));
        Assert.Equal("*/5 * * * * *", updated.Str("cron"));
        Assert.True(updated.GetProperty("nextFireAt").GetDateTimeOffset() - DateTimeOffset.UtcNow < TimeSpan.FromSeconds(6));

        var paused = await op.ExpectAsync(HttpStatusCode.OK, op.PostAsync($"/api/v1/schedules/{id}/pause"));
        Assert.True(paused.GetProperty("paused").GetBoolean());
        Assert.Equal(JsonValueKind.Null, paused.GetProperty("nextFireAt").ValueKind);
        var resumed = await op.ExpectAsync(HttpStatusCode.OK, op.PostAsync($"/api/v1/schedules/{id}/resume"));
        Assert.False(resumed.GetProperty("paused").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, resumed.GetProperty("nextFireAt").ValueKind);

        await op.ExpectAsync(HttpStatusCode.NoContent, op.DeleteAsync($"/api/v1/schedules/{id}"));
        await op.ExpectAsync(HttpStatusCode.NotFound, op.GetAsync($"/api/v1/schedules/{id}"));
    }

    [Fact]
    public async Task The_list_is_ordered_by_next_fire_time_with_disabled_ones_last()
    {
        using var op = (await host.UserAsync("operator")).Client;
        var job = await JobAsync(op);
        var tag = Inventory.UniqueName("order");
        async Task<long> Create(string cron, bool enabled = true) => (await op.ExpectAsync(HttpStatusCode.Created, op.PostAsync("/api/v1/schedules",
            new { name = Inventory.UniqueName("s"), jobId = job, cron, enabled, tags = new[] { tag } }))).GetProperty("id").GetInt64();
        var yearly = await Create("0 0 1 1 *");
        var off = await Create("* * * * *", enabled: false);
        var daily = await Create("0 0 * * *");
        var list = await op.ExpectAsync(HttpStatusCode.OK, op.GetAsync($"/api/v1/schedules?tag={tag}"));
        Assert.Equal([daily, yearly, off], list.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetInt64()));
        foreach (var id in new[] { yearly, off, daily })
        {
            await op.ExpectAsync(HttpStatusCode.NoContent, op.DeleteAsync($"/api/v1/schedules/{id}"));
        }
    }

    [Fact]
    public async Task Preview_gives_utc_and_local_fire_times_across_a_dst_change()
    {
        using var op = (await host.UserAsync("operator")).Client;
        var preview = await op.ExpectAsync(HttpStatusCode.OK, op.PostAsync("/api/v1/schedules/preview?count=7",
            new { cron = "30 2 * * *", timezone = "Europe/Berlin" }));
        var items = preview.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(7, items.Count);
        Assert.All(items, i =>
        {
            var at = i.GetProperty("at").GetDateTimeOffset();
            var local = i.GetProperty("local").GetDateTimeOffset();
            Assert.Equal(at, local);
            Assert.Equal(TimeSpan.Zero, at.Offset);
        });
        var bad = await op.ExpectAsync(HttpStatusCode.BadRequest, op.PostAsync("/api/v1/schedules/preview?count=0", new { cron = "nope" }));
        Assert.True(bad.GetProperty("errors").TryGetProperty("cron", out _));
        Assert.True(bad.GetProperty("errors").TryGetProperty("count", out _));

        var job = await JobAsync(op);
        var id = (await op.ExpectAsync(HttpStatusCode.Created, op.PostAsync("/api/v1/schedules",
            new { name = Inventory.UniqueName("p"), jobId = job, runAt = "2099-03-29T02:30:00", timezone = "Europe/Berlin" }))).GetProperty("id").GetInt64();
        var once = await op.ExpectAsync(HttpStatusCode.OK, op.GetAsync($"/api/v1/schedules/{id}/preview?count=5"));
        var only = Assert.Single(once.GetProperty("items").EnumerateArray());
        // 02:30 does not exist that night: the one-time run is at the transition, 03:00 CEST.
        Assert.Equal(new DateTimeOffset(2099, 3, 29, 1, 0, 0, TimeSpan.Zero), only.GetProperty("at").GetDateTimeOffset());
        Assert.Equal(TimeSpan.FromHours(2), only.GetProperty("local").GetDateTimeOffset().Offset);
    }

    [Fact]
    public async Task Viewers_read_operators_write_schedules_and_only_admins_write_blackout_windows()
    {
        using var op = (await host.UserAsync("operator")).Client;
        using var viewer = (await host.UserAsync("viewer")).Client;
        using var anonymous = host.Anonymous();
        var job = await JobAsync(op);
        await anonymous.ExpectAsync(HttpStatusCode.Unauthorized, anonymous.GetAsync("/api/v1/schedules"));
        await viewer.ExpectAsync(HttpStatusCode.OK, viewer.GetAsync("/api/v1/schedules"));
        await viewer.ExpectAsync(HttpStatusCode.Forbidden, viewer.PostAsync("/api/v1/schedules", new { name = "v", jobId = job, cron = "0 * * * *" }));
        await viewer.ExpectAsync(HttpStatusCode.OK, viewer.GetAsync("/api/v1/schedules/blackout-windows"));
        var window = new { name = Inventory.UniqueName("freeze"), periods = new[] { new { start = "2099-12-20T00:00:00", end = "2100-01-04T00:00:00" } } };
        await op.ExpectAsync(HttpStatusCode.Forbidden, op.PostAsync("/api/v1/schedules/blackout-windows", window));
        using var admin = await host.AdminAsync();
        var created = await admin.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/api/v1/schedules/blackout-windows", window));
        await admin.ExpectAsync(HttpStatusCode.NoContent, admin.DeleteAsync($"/api/v1/schedules/blackout-windows/{created.GetProperty("id").GetInt64()}"));
    }

    [Fact]
    public async Task Secret_parameter_values_are_masked_and_kept_when_sent_back_masked()
    {
        using var op = (await host.UserAsync("operator")).Client;
        var job = await JobAsync(op, [new { name = "token", type = "secret", required = true }, new { name = "who", type = "string" }]);
        var secret = "s3cr3t-" + Guid.NewGuid().ToString("N");
        var created = await op.ExpectAsync(HttpStatusCode.Created, op.PostAsync("/api/v1/schedules",
            new { name = Inventory.UniqueName("secret"), jobId = job, cron = "0 0 1 1 *", parameters = new { token = secret, who = "ops" } }));
        Assert.Equal("********", created.GetProperty("parameters").Str("token"));
        Assert.Equal("ops", created.GetProperty("parameters").Str("who"));
        var id = created.GetProperty("id").GetInt64();
        var updated = await op.ExpectAsync(HttpStatusCode.OK, op.PutAsync($"/api/v1/schedules/{id}",
            new { name = created.Str("name"), jobId = job, cron = "0 0 1 1 *", parameters = new { token = "********", who = "dev" } }));
        Assert.Equal("********", updated.GetProperty("parameters").Str("token"));
        var list = await op.ExpectAsync(HttpStatusCode.OK, op.GetAsync($"/api/v1/schedules?jobId={job}"));
        Assert.DoesNotContain(secret, list.ToString());
        Assert.DoesNotContain(secret, host.Host.Output);
    }

    [Fact]
    public async Task Blackout_windows_are_validated_and_shown_in_a_calendar()
    {
        using var admin = await host.AdminAsync();
        var both = await admin.ExpectAsync(HttpStatusCode.BadRequest, admin.PostAsync("/api/v1/schedules/blackout-windows",
            new { name = "x", cron = "0 8 * * 1-5", periods = new[] { new { start = "2099-01-01T00:00", end = "2099-01-02T00:00" } } }));
        Assert.True(both.GetProperty("errors").TryGetProperty("periods", out _));
        var noDuration = await admin.ExpectAsync(HttpStatusCode.BadRequest, admin.PostAsync("/api/v1/schedules/blackout-windows",
            new { name = "x", cron = "0 8 * * 1-5" }));
        Assert.True(noDuration.GetProperty("errors").TryGetProperty("durationMinutes", out _));
        var backwards = await admin.ExpectAsync(HttpStatusCode.BadRequest, admin.PostAsync("/api/v1/schedules/blackout-windows",
            new { name = "x", periods = new[] { new { start = "2099-01-02T00:00", end = "2099-01-01T00:00" } } }));
        Assert.True(backwards.GetProperty("errors").TryGetProperty("periods[0].end", out _));

        var name = Inventory.UniqueName("office hours");
        var created = await admin.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/api/v1/schedules/blackout-windows",
            new { name, timezone = "Europe/Berlin", cron = "0 8 * * 1-5", durationMinutes = 600, tags = new[] { Inventory.UniqueName("nobody") } }));
        var calendar = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync("/api/v1/schedules/blackout-windows/calendar?days=14"));
        var mine = calendar.GetProperty("windows").EnumerateArray().Single(w => w.Str("name") == name);
        var intervals = mine.GetProperty("intervals").EnumerateArray().ToList();
        Assert.InRange(intervals.Count, 9, 11);
        Assert.All(intervals, i =>
        {
            Assert.Equal(8, i.GetProperty("localStart").GetDateTimeOffset().Hour);
            Assert.Equal(18, i.GetProperty("localEnd").GetDateTimeOffset().Hour);
        });
        await admin.ExpectAsync(HttpStatusCode.NoContent, admin.DeleteAsync($"/api/v1/schedules/blackout-windows/{created.GetProperty("id").GetInt64()}"));
    }

    [Fact]
    public async Task Health_lists_the_scheduler_and_the_openapi_document_has_its_endpoints()
    {
        using var client = host.Anonymous();
        var health = await client.ExpectAsync(HttpStatusCode.OK, client.GetAsync("/health"));
        Assert.Contains("scheduler", health.ToString());
        var doc = await client.ExpectAsync(HttpStatusCode.OK, client.GetAsync("/openapi/v1.json"));
        var paths = doc.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/schedules", "/api/v1/schedules/{id}", "/api/v1/schedules/{id}/preview", "/api/v1/schedules/preview",
                     "/api/v1/schedules/{id}/occurrences", "/api/v1/schedules/{id}/pause", "/api/v1/schedules/blackout-windows",
                     "/api/v1/schedules/blackout-windows/{id}", "/api/v1/schedules/blackout-windows/calendar" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} missing from the OpenAPI document");
        }
        var schemas = doc.GetProperty("components").GetProperty("schemas").ToString();
        Assert.Contains("\"missed\"", schemas);
        Assert.Contains("\"skipped\"", schemas);
    }
}
