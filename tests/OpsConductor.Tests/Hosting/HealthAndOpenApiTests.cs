using System.Net;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Hosting;

[Trait("Category", TestCategories.ProviderIndependent)]
public sealed class HealthAndOpenApiTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task Health_reports_database_and_migrations_per_service()
    {
        using var client = fixture.Anonymous();
        var health = await client.ExpectAsync(HttpStatusCode.OK, client.GetAsync("/health"));
        Assert.Equal("healthy", health.Str("status"));
        Assert.Equal("all", health.Str("service"));
        Assert.Equal("healthy", health.GetProperty("checks").Str("database:users"));
        Assert.Equal("healthy", health.GetProperty("checks").Str("database:auth"));
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api_and_its_bearer_scheme()
    {
        using var client = fixture.Anonymous();
        var doc = await client.ExpectAsync(HttpStatusCode.OK, client.GetAsync("/openapi/v1.json"));
        var paths = doc.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/users", "/api/v1/users/{id}", "/health" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} missing from the OpenAPI document");
        }
        Assert.Equal("bearer", doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").Str("scheme"));
    }

    [Fact]
    public async Task The_interactive_api_page_is_served()
    {
        using var client = fixture.Anonymous();
        using var response = await client.GetAsync("/api-docs");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("text/html", response.Content.Headers.ContentType?.MediaType);
    }
}
