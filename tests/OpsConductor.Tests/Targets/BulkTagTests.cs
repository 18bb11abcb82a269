using System.Net;
using System.Text.Json;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Targets;

/// <summary>
/// POST /targets/tags: the targets list's bulk tag and untag, in one request. Every id and tag is checked first; any
/// error names what was wrong and changes no target.
/// </summary>
public sealed class BulkTagTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    static string[] TagsOf(JsonElement target) => target.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToArray();

    async Task<string[]> TagsAsync(ApiClient client, long id) =>
        TagsOf(await client.ExpectAsync(HttpStatusCode.OK, client.GetAsync($"/api/v1/targets/{id}")));

    [Fact]
    public async Task An_operator_adds_and_removes_tags_on_many_targets_at_once()
    {
        using var admin = await fixture.AdminAsync();
        using var op = (await fixture.UserAsync("operator")).Client;
        var credential = await Inventory.PasswordCredentialAsync(admin);
        var a = await Inventory.SshTargetAsync(admin, credential, 22, tags: ["old", "keep"]);
        var b = await Inventory.SshTargetAsync(admin, credential, 22, tags: ["keep"]);

        var result = await op.ExpectAsync(HttpStatusCode.OK, op.PostAsync("/api/v1/targets/tags",
            new { targetIds = new[] { a, b, a }, add = new[] { " Web ", "web" }, remove = new[] { "OLD" } }));

        Assert.Equal(2, result.GetProperty("changed").GetInt32());
        var items = result.GetProperty("targets").EnumerateArray().ToDictionary(t => t.GetProperty("id").GetInt64());
        Assert.Equal(["keep", "web"], TagsOf(items[a]));
        Assert.Equal(["keep", "web"], TagsOf(items[b]));
        Assert.Equal(["keep", "web"], await TagsAsync(admin, a));
        var filtered = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync("/api/v1/targets?tag=web&pageSize=500"));
        Assert.Contains(filtered.GetProperty("items").EnumerateArray(), t => t.GetProperty("id").GetInt64() == b);

        // The same change again changes nothing.
        var again = await op.ExpectAsync(HttpStatusCode.OK, op.PostAsync("/api/v1/targets/tags", new { targetIds = new[] { a, b }, add = new[] { "web" } }));
        Assert.Equal(0, again.GetProperty("changed").GetInt32());
    }

    [Fact]
    public async Task An_unknown_id_or_a_bad_tag_is_a_400_naming_it_and_no_target_changes()
    {
        using var admin = await fixture.AdminAsync();
        var credential = await Inventory.PasswordCredentialAsync(admin);
        var a = await Inventory.SshTargetAsync(admin, credential, 22, tags: ["stay"]);
        const long missing = 987654321;

        var unknown = await admin.ExpectAsync(HttpStatusCode.BadRequest, admin.PostAsync("/api/v1/targets/tags",
            new { targetIds = new[] { a, missing }, add = new[] { "new" }, remove = new[] { "stay" } }));
        Assert.Contains($"{missing}", unknown.GetProperty("errors").GetProperty("targetIds")[0].GetString());
        Assert.Equal(["stay"], await TagsAsync(admin, a));

        var bad = await admin.ExpectAsync(HttpStatusCode.BadRequest, admin.PostAsync("/api/v1/targets/tags",
            new { targetIds = new[] { a }, add = new[] { "fine", "not ok!" } }));
        Assert.Contains("'not ok!'", bad.GetProperty("errors").GetProperty("add")[0].GetString());
        Assert.Equal(["stay"], await TagsAsync(admin, a));

        var both = await admin.ExpectAsync(HttpStatusCode.BadRequest, admin.PostAsync("/api/v1/targets/tags",
            new { targetIds = new[] { a }, add = new[] { "x" }, remove = new[] { "X" } }));
        Assert.True(both.GetProperty("errors").TryGetProperty("remove", out _));
        var empty = await admin.ExpectAsync(HttpStatusCode.BadRequest, admin.PostAsync("/api/v1/targets/tags", new { targetIds = Array.Empty<long>(), add = Array.Empty<string>() }));
        Assert.True(empty.GetProperty("errors").TryGetProperty("targetIds", out _));
        Assert.True(empty.GetProperty("errors").TryGetProperty("add", out _));

        // Over the per-target limit on one target: nothing changes on the other either.
        var b = await Inventory.SshTargetAsync(admin, credential, 22, tags: Enumerable.Range(1, 49).Select(i => $"t{i}").ToArray());
        var full = await admin.ExpectAsync(HttpStatusCode.BadRequest, admin.PostAsync("/api/v1/targets/tags",
            new { targetIds = new[] { a, b }, add = new[] { "n1", "n2" } }));
        Assert.Contains("50", full.GetProperty("errors").GetProperty("add")[0].GetString());
        Assert.Equal(["stay"], await TagsAsync(admin, a));
    }

    [Fact]
    public async Task A_viewer_may_not_tag()
    {
        using var admin = await fixture.AdminAsync();
        var credential = await Inventory.PasswordCredentialAsync(admin);
        var a = await Inventory.SshTargetAsync(admin, credential, 22, tags: ["stay"]);
        using var viewer = (await fixture.UserAsync("viewer")).Client;
        var refused = await viewer.PostAsync("/api/v1/targets/tags", new { targetIds = new[] { a }, add = new[] { "x" } });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(["stay"], await TagsAsync(admin, a));
    }
}
