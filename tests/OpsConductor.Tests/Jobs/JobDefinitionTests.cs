using System.Net;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Jobs;

/// <summary>A host without the executor: runs stay queued, so what a queued run says can be checked.</summary>
public sealed class NoExecutorFixture : HostFixture
{
    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["OpsConductor__Services"] = "auth,users,credentials,targets,jobs",
    };
}

public sealed class JobDefinitionTests(NoExecutorFixture fixture) : IClassFixture<NoExecutorFixture>
{
    internal static object Job(string name, object? parameters = null, object? steps = null, object? targets = null) => new
    {
        name,
        description = "Restart a service",
        parameters = parameters ?? new object[]
        {
            new { name = "service", type = "string", required = true },
            new { name = "count", type = "int", @default = 3 },
            new { name = "mode", type = "choice", choices = new[] { "soft", "hard" }, @default = "soft" },
            new { name = "dryRun", type = "bool", @default = false },
            new { name = "token", type = "secret" },
        },
        steps = steps ?? new object[]
        {
            new { name = "show", type = "command", script = "echo {{service}} {{count}} {{mode}} {{dryRun}}", timeoutSeconds = 30 },
            new { name = "script", type = "shell_script", script = "#!/bin/sh\necho hi\n", continueOnError = true },
        },
        targets = targets ?? new { tags = new[] { "web" } },
        maxParallelTargets = 10,
    };

    [Fact]
    public async Task An_operator_creates_reads_updates_and_deletes_a_job()
    {
        var (op, _, _, _) = await fixture.UserAsync("operator");
        using var _o = op;
        var created = await op.ExpectAsync(HttpStatusCode.Created, op.PostAsync("/api/v1/jobs", Job("restart-" + Guid.NewGuid().ToString("N")[..6])));
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal(5, created.GetProperty("parameters").GetArrayLength());
        Assert.Equal("shell_script", created.GetProperty("steps")[1].Str("type"));

        var list = await op.ExpectAsync(HttpStatusCode.OK, op.GetAsync("/api/v1/jobs?search=restart"));
        Assert.Contains(list.GetProperty("items").EnumerateArray(), j => j.GetProperty("id").GetInt64() == id);

        var updated = await op.ExpectAsync(HttpStatusCode.OK, op.PutAsync($"/api/v1/jobs/{id}", Job("renamed-" + id)));
        Assert.Equal("renamed-" + id, updated.Str("name"));

        await op.ExpectAsync(HttpStatusCode.NoContent, op.DeleteAsync($"/api/v1/jobs/{id}"));
        await op.ExpectAsync(HttpStatusCode.NotFound, op.GetAsync($"/api/v1/jobs/{id}"));
    }

    [Fact]
    public async Task Jobs_sort_by_a_whitelisted_key_and_an_unknown_key_is_a_400_naming_the_allowed_ones()
    {
        using var admin = await fixture.AdminAsync();
        var prefix = "sorted-" + Guid.NewGuid().ToString("N")[..6];
        foreach (var suffix in new[] { "a", "b" })
        {
            await admin.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/api/v1/jobs", Job($"{prefix}-{suffix}")));
        }
        var descending = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/jobs?search={prefix}&sort=-name"));
        Assert.Equal([$"{prefix}-b", $"{prefix}-a"], descending.GetProperty("items").EnumerateArray().Select(j => j.Str("name")).ToArray());

        var refused = await admin.ExpectAsync(HttpStatusCode.BadRequest, admin.GetAsync("/api/v1/jobs?sort=owner"));
        Assert.Equal("sort must be one of name, updatedAt, optionally prefixed with '-'.", refused.GetProperty("errors").GetProperty("sort")[0].GetString());
        var users = await admin.ExpectAsync(HttpStatusCode.BadRequest, admin.GetAsync("/api/v1/users?sort=password"));
        Assert.Equal("sort must be one of username, createdAt, role, optionally prefixed with '-'.", users.GetProperty("errors").GetProperty("sort")[0].GetString());
    }

    [Fact]
    public async Task Creating_the_same_job_name_at_once_gives_one_job_and_409s_never_a_500()
    {
        using var admin = await fixture.AdminAsync();
        var name = "twin-" + Guid.NewGuid().ToString("N")[..6];
        // Requests that all pass the name check before any saves reach the unique index, which must answer 409.
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => admin.PostAsync("/api/v1/jobs", Job(name))));

        Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
    }

    [Fact]
    public async Task Invalid_definitions_are_refused_with_field_messages()
    {
        using var admin = await fixture.AdminAsync();
        var problem = await admin.ExpectAsync(HttpStatusCode.BadRequest, admin.PostAsync("/api/v1/jobs", new
        {
            name = "",
            parameters = new object[] { new { name = "1bad", type = "string" }, new { name = "pw", type = "secret", @default = "x" } },
            steps = new object[] { new { name = "s", type = "command", script = "echo {{nope}}", timeoutSeconds = 0 } },
        }));
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "name", "parameters[0].name", "parameters[1].default", "steps[0].script", "steps[0].timeoutSeconds", "targets" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }
        await admin.ExpectAsync(HttpStatusCode.BadRequest, admin.SendRawAsync(HttpMethod.Post, "/api/v1/jobs",
            """{"name":"x","steps":[{"name":"s","type":"bash","script":"x"}],"targets":{"tags":["a"]}}"""));
    }

    [Fact]
    public async Task Yaml_export_and_import_round_trip_a_job()
    {
        using var admin = await fixture.AdminAsync();
        var name = "yaml-" + Guid.NewGuid().ToString("N")[..6];
        var created = await admin.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/api/v1/jobs", Job(name)));
        var id = created.GetProperty("id").GetInt64();
        using var export = await admin.GetAsync($"/api/v1/jobs/{id}/export");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("application/yaml", export.Content.Headers.ContentType?.MediaType);
        var yaml = await export.Content.ReadAsStringAsync();
        Assert.Contains($"name: {name}", yaml);

        var copy = yaml.Replace($"name: {name}", $"name: {name}-copy");
        var imported = await admin.ExpectAsync(HttpStatusCode.OK, admin.SendRawAsync(HttpMethod.Post, "/api/v1/jobs/import", copy, "application/yaml"));
        var copyJob = imported.GetProperty("created")[0];
        Assert.Equal($"{name}-copy", copyJob.Str("name"));
        foreach (var property in new[] { "parameters", "steps", "targets", "maxParallelTargets", "allowConcurrentRuns" })
        {
            Assert.Equal(created.GetProperty(property).ToString(), copyJob.GetProperty(property).ToString());
        }

        // Importing the original again updates it in place.
        var again = await admin.ExpectAsync(HttpStatusCode.OK, admin.SendRawAsync(HttpMethod.Post, "/api/v1/jobs/import", yaml, "application/yaml"));
        Assert.Equal(id, again.GetProperty("updated")[0].GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task A_bad_yaml_import_changes_nothing()
    {
        using var admin = await fixture.AdminAsync();
        var good = "name: import-good-" + Guid.NewGuid().ToString("N")[..6] + "\nsteps:\n- name: s\n  type: command\n  script: uptime\ntargets:\n  tags: [web]\n";
        var bad = "name: import-bad\nsteps: []\ntargets:\n  tags: [web]\n";
        var problem = await admin.ExpectAsync(HttpStatusCode.BadRequest,
            admin.SendRawAsync(HttpMethod.Post, "/api/v1/jobs/import", good + "---\n" + bad, "application/yaml"));
        Assert.Contains("import-bad", problem.GetProperty("errors").ToString());
        var list = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync("/api/v1/jobs?search=import-good"));
        Assert.Equal(0, list.GetProperty("total").GetInt32());

        var syntax = await admin.ExpectAsync(HttpStatusCode.BadRequest,
            admin.SendRawAsync(HttpMethod.Post, "/api/v1/jobs/import", "name: [unclosed\n", "application/yaml"));
        Assert.Contains("line", syntax.GetProperty("errors").GetProperty("yaml")[0].GetString());
    }

    [Fact]
    public async Task Run_requests_are_validated_against_the_parameters()
    {
        using var admin = await fixture.AdminAsync();
        var created = await admin.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/api/v1/jobs", Job("params-" + Guid.NewGuid().ToString("N")[..6])));
        var id = created.GetProperty("id").GetInt64();

        var problem = await admin.ExpectAsync(HttpStatusCode.BadRequest, admin.PostAsync($"/api/v1/jobs/{id}/runs",
            new { parameters = new { count = "many", mode = "brutal", dryRun = "yes", extra = 1 } }));
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "parameters.service", "parameters.count", "parameters.mode", "parameters.dryRun", "parameters.extra" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }
        var runs = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/runs?jobId={id}"));
        Assert.Equal(0, runs.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_run_is_queued_at_once_says_why_it_waits_and_never_shows_secret_values()
    {
        using var admin = await fixture.AdminAsync();
        var created = await admin.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/api/v1/jobs", Job("queued-" + Guid.NewGuid().ToString("N")[..6])));
        var id = created.GetProperty("id").GetInt64();
        var run = await admin.ExpectAsync(HttpStatusCode.Accepted, admin.PostAsync($"/api/v1/jobs/{id}/runs",
            new { parameters = new { service = "nginx", token = "very-secret-token-value" } }));
        Assert.Equal("queued", run.Str("status"));
        var runId = run.GetProperty("id").GetInt64();

        var fetched = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/runs/{runId}"));
        Assert.Equal("No executor is running: start the executor service to run it.", fetched.Str("waitReason"));
        Assert.Equal("nginx", fetched.GetProperty("parameters").Str("service"));
        Assert.Equal("3", fetched.GetProperty("parameters").Str("count"));
        Assert.Equal("********", fetched.GetProperty("parameters").Str("token"));
        Assert.DoesNotContain("very-secret-token-value", fixture.Host.Output);

        await admin.ExpectAsync(HttpStatusCode.Accepted, admin.PostAsync($"/api/v1/runs/{runId}/cancel"));
        var cancelled = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/runs/{runId}"));
        Assert.Equal("cancelled", cancelled.Str("status"));
        await admin.ExpectAsync(HttpStatusCode.Conflict, admin.PostAsync($"/api/v1/runs/{runId}/cancel"));

        var history = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/runs?jobId={id}&status=cancelled"));
        Assert.Equal(1, history.GetProperty("total").GetInt32());
        await admin.ExpectAsync(HttpStatusCode.BadRequest, admin.GetAsync("/api/v1/runs?status=exploded"));
    }

    [Fact]
    public async Task Viewers_read_jobs_and_runs_but_cannot_change_or_run_them()
    {
        using var admin = await fixture.AdminAsync();
        var created = await admin.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/api/v1/jobs", Job("viewer-" + Guid.NewGuid().ToString("N")[..6])));
        var id = created.GetProperty("id").GetInt64();
        var (viewer, _, _, _) = await fixture.UserAsync("viewer");
        using var _v = viewer;
        await viewer.ExpectAsync(HttpStatusCode.OK, viewer.GetAsync($"/api/v1/jobs/{id}"));
        await viewer.ExpectAsync(HttpStatusCode.OK, viewer.GetAsync("/api/v1/runs"));
        await viewer.ExpectAsync(HttpStatusCode.OK, viewer.GetAsync($"/api/v1/jobs/{id}/export"));
        await viewer.ExpectAsync(HttpStatusCode.Forbidden, viewer.PostAsync("/api/v1/jobs", Job("nope")));
        await viewer.ExpectAsync(HttpStatusCode.Forbidden, viewer.PutAsync($"/api/v1/jobs/{id}", Job("nope")));
        await viewer.ExpectAsync(HttpStatusCode.Forbidden, viewer.DeleteAsync($"/api/v1/jobs/{id}"));
        await viewer.ExpectAsync(HttpStatusCode.Forbidden, viewer.PostAsync($"/api/v1/jobs/{id}/runs", new { parameters = new { service = "x" } }));
        await viewer.ExpectAsync(HttpStatusCode.Forbidden, viewer.SendRawAsync(HttpMethod.Post, "/api/v1/jobs/import", "name: x", "application/yaml"));
        await viewer.ExpectAsync(HttpStatusCode.Forbidden, viewer.PostAsync("/api/v1/runs/1/cancel"));
        using var anonymous = fixture.Anonymous();
        await anonymous.ExpectAsync(HttpStatusCode.Unauthorized, anonymous.GetAsync("/api/v1/jobs"));
        await anonymous.ExpectAsync(HttpStatusCode.Unauthorized, anonymous.GetAsync("/api/v1/runs"));
    }
}
