using System.Diagnostics;
using System.Net;
using OpsConductor.Tests.Infrastructure;
using OpsConductor.Tests.Jobs;

namespace OpsConductor.Tests.Security;

/// <summary>
/// <c>POST /jobs/import</c> refuses YAML a job never needs: anchors and aliases (a 375-byte alias bomb cost
/// 6 s and 1.3 GB before) and the non-finite numbers <c>.nan</c>/<c>.inf</c> (a 500 before), each with a 400
/// that names the line.
/// </summary>
[Trait("Category", TestCategories.ProviderIndependent)]
public sealed class JobImportYamlTests(NoExecutorFixture fixture) : IClassFixture<NoExecutorFixture>
{
    const string Job = "name: yaml-refusal\nsteps:\n- name: s\n  type: command\n  script: uptime\ntargets:\n  tags: [web]\n";

    static async Task<string> RefusedAsync(ApiClient admin, string yaml)
    {
        var problem = await admin.ExpectAsync(HttpStatusCode.BadRequest,
            admin.SendRawAsync(HttpMethod.Post, "/api/v1/jobs/import", yaml, "application/yaml"));
        return problem.GetProperty("errors").GetProperty("yaml")[0].GetString() ?? "";
    }

    [Fact]
    public async Task An_alias_bomb_is_refused_at_once_naming_the_line_of_the_first_anchor()
    {
        using var admin = await fixture.AdminAsync();
        // The document of the report: nine levels of nine aliases each, 9^9 nodes once expanded.
        var bomb = "name: bomb\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
            + string.Join("", Enumerable.Range(1, 8).Select(i =>
            {
                var (name, previous) = ((char)('a' + i), (char)('a' + i - 1));
                return $"{name}: &{name} [{string.Join(",", Enumerable.Repeat($"*{previous}", 9))}]\n";
            }))
            + "steps:\n- name: s\n  type: command\n  script: uptime\ntargets:\n  tags: [web]\n";
        var started = Stopwatch.GetTimestamp();
        var message = await RefusedAsync(admin, bomb);
        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(5), "the bomb was expanded before being refused");
        Assert.Contains("Line 2", message);
        Assert.Contains("anchors", message);
    }

    [Fact]
    public async Task A_single_anchor_or_alias_is_refused_with_its_line()
    {
        using var admin = await fixture.AdminAsync();
        var anchored = await RefusedAsync(admin, Job.Replace("script: uptime", "script: &s uptime"));
        Assert.Contains("Line 5", anchored);
        Assert.Contains("anchors", anchored);

        // An alias to a key of an earlier document is still an alias.
        var aliased = await RefusedAsync(admin, "name: yaml-alias\nsteps:\n- name: s\n  type: command\n  script: *nothing\n");
        Assert.Contains("Line 5", aliased);
        Assert.Contains("aliases", aliased);
    }

    [Theory]
    [InlineData(".nan")]
    [InlineData(".inf")]
    [InlineData("-.Inf")]
    public async Task A_non_finite_number_is_refused_with_its_line(string value)
    {
        using var admin = await fixture.AdminAsync();
        var message = await RefusedAsync(admin, Job + $"maxParallelTargets: {value}\n");
        Assert.Contains("Line 8", message);
        Assert.Contains("finite", message);
    }

    [Fact]
    public async Task A_number_too_large_for_a_double_is_a_400_not_a_500()
    {
        using var admin = await fixture.AdminAsync();
        await RefusedAsync(admin, Job + "maxParallelTargets: 1e999\n");
    }

    [Fact]
    public async Task A_quoted_nan_is_a_string_and_the_job_still_imports()
    {
        using var admin = await fixture.AdminAsync();
        var yaml = Job.Replace("yaml-refusal", "yaml-quoted-" + Guid.NewGuid().ToString("N")[..6]).Replace("script: uptime", "script: \"echo .nan\"");
        var imported = await admin.ExpectAsync(HttpStatusCode.OK, admin.SendRawAsync(HttpMethod.Post, "/api/v1/jobs/import", yaml, "application/yaml"));
        Assert.Equal(1, imported.GetProperty("created").GetArrayLength());
    }
}
