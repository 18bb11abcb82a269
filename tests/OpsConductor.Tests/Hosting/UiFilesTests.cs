using System.Net;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Hosting;

/// <summary>
/// The host serving the UI: its icon answers before anyone signs in (a browser asks for /favicon.ico on the sign-in
/// page), a file the UI does not have is a 404 rather than a 401, and the API still demands a token.
/// </summary>
public sealed class UiFilesTests
{
    [Fact]
    public async Task The_favicon_is_served_without_a_token_and_a_missing_file_is_not_found()
    {
        var ui = Directory.CreateTempSubdirectory("opsc-ui-").FullName;
        await File.WriteAllTextAsync(Path.Combine(ui, "index.html"), "<!doctype html><title>OpsConductor</title><div id=root></div>");
        await File.WriteAllTextAsync(Path.Combine(ui, "favicon.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        var settings = await TestDatabase.NewAsync();
        settings["OpsConductor__UiDirectory"] = ui;
        await using var host = await HostProcess.StartAsync(settings);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };

        using var ico = await client.GetAsync("/favicon.ico");
        Assert.Equal(HttpStatusCode.MovedPermanently, ico.StatusCode);
        Assert.Equal("/favicon.svg", ico.Headers.Location?.OriginalString);
        using var svg = await client.GetAsync("/favicon.svg");
        Assert.Equal(HttpStatusCode.OK, svg.StatusCode);
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
        using var missing = await client.GetAsync("/assets/not-there.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var page = await client.GetAsync("/jobs/new");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        using var api = await client.GetAsync("/api/v1/jobs");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }
}
