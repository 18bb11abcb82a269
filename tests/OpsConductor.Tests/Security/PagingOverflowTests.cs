using System.Net;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Security;

/// <summary>A page number whose offset does not fit in an int is refused instead of wrapping around to another page.</summary>
public sealed class PagingOverflowTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Theory]
    [InlineData("/api/v1/users")]
    [InlineData("/api/v1/jobs")]
    [InlineData("/api/v1/runs")]
    [InlineData("/api/v1/targets")]
    [InlineData("/api/v1/credentials")]
    public async Task A_page_beyond_the_last_representable_one_is_a_validation_error(string list)
    {
        using var admin = await fixture.AdminAsync();

        // (4294969 - 1) * 500 overflows an int and used to come back as page 1.
        var refused = await admin.ExpectAsync(HttpStatusCode.BadRequest, admin.GetAsync($"{list}?page=4294969&pageSize=500"));
        Assert.Contains("4294968", refused.GetProperty("errors").GetProperty("page")[0].GetString());

        // The last representable page is still an ordinary, empty page.
        var last = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"{list}?page=4294968&pageSize=500"));
        Assert.Equal(0, last.GetProperty("items").GetArrayLength());
        Assert.Equal(4294968, last.GetProperty("page").GetInt32());
    }

    [Fact]
    public async Task The_largest_page_of_single_rows_is_accepted()
    {
        using var admin = await fixture.AdminAsync();
        var page = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/users?page={int.MaxValue}&pageSize=1"));
        Assert.Equal(0, page.GetProperty("items").GetArrayLength());
    }
}
