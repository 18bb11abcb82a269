using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace OpsConductor.Tests.Infrastructure;

/// <summary>Plain HTTP against the host, with the small conveniences every test needs.</summary>
public sealed class ApiClient(HttpClient http) : IDisposable
{
    public HttpClient Http => http;

    public ApiClient WithToken(string? accessToken)
    {
        http.DefaultRequestHeaders.Authorization = accessToken is null ? null : new AuthenticationHeaderValue("Bearer", accessToken);
        return this;
    }

    /// <summary>Requests appear to come from this client address (the host trusts X-Forwarded-For from loopback).</summary>
    public ApiClient From(string clientAddress)
    {
        http.DefaultRequestHeaders.Remove("X-Forwarded-For");
        http.DefaultRequestHeaders.Add("X-Forwarded-For", clientAddress);
        return this;
    }

    public async Task<JsonElement> LoginAsync(string username, string password)
    {
        using var response = await http.PostAsJsonAsync("/api/v1/auth/login", new { username, password });
        var body = await Json(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"login as {username}: {(int)response.StatusCode} {body}");
        WithToken(body.GetProperty("accessToken").GetString());
        return body;
    }

    public Task<HttpResponseMessage> GetAsync(string path) => http.GetAsync(path);

    public Task<HttpResponseMessage> DeleteAsync(string path) => http.DeleteAsync(path);

    public Task<HttpResponseMessage> PostAsync(string path, object? body = null) => http.PostAsJsonAsync(path, body ?? new { });

    public Task<HttpResponseMessage> PutAsync(string path, object body) => http.PutAsJsonAsync(path, body);

    public Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, string body, string contentType = "application/json") =>
        http.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, contentType) });

    /// <summary>Sends, checks the status code and returns the JSON body.</summary>
    public async Task<JsonElement> ExpectAsync(HttpStatusCode status, Task<HttpResponseMessage> request)
    {
        using var response = await request;
        var body = await Json(response);
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return body;
    }

    public static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (string.IsNullOrWhiteSpace(text))
        {
            return default;
        }
        try
        {
            return JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonDocument.Parse(JsonSerializer.Serialize(text)).RootElement.Clone();
        }
    }

    public void Dispose() => http.Dispose();
}
