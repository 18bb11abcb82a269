using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using OpsConductor.Tests.Infrastructure;
using OpsConductor.Tests.Security;

namespace OpsConductor.Tests.Deployment;

/// <summary>Debian's nginx with deploy/nginx/opsconductor.conf.template in front of a real host: TLS, routing, live SSE.</summary>
public sealed class GatewayFixture : FleetFixture
{
    Process? _nginx;
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("opsc-nginx-").FullName;
    public int HttpPort { get; } = SshServer.FreePort();
    public int HttpsPort { get; } = SshServer.FreePort();
    public X509Certificate2? Certificate { get; private set; }
    public string NginxLog => File.Exists(Path.Combine(Directory, "error.log")) ? File.ReadAllText(Path.Combine(Directory, "error.log")) : "";

    /// <summary>The host runs with the image's ASP.NET and .NET settings (deploy/Dockerfile ENV), as behind the real gateway.</summary>
    protected override IDictionary<string, string> Settings
    {
        get
        {
            var settings = base.Settings;
            foreach (var (name, value) in ImageEnvironment())
            {
                settings[name] = value;
            }
            return settings;
        }
    }

    static IEnumerable<(string Name, string Value)> ImageEnvironment()
    {
        var dockerfile = File.ReadAllText(RepositoryPaths.Combine("deploy", "Dockerfile")).Replace("\\\n", " ", StringComparison.Ordinal);
        foreach (var line in dockerfile.Split('\n').Where(l => l.StartsWith("ENV ", StringComparison.Ordinal)))
        {
            foreach (var pair in line[4..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(p => p.Contains('=')))
            {
                var name = pair[..pair.IndexOf('=')];
                if (name.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || name.StartsWith("DOTNET_", StringComparison.Ordinal))
                {
                    yield return (name, pair[(name.Length + 1)..]);
                }
            }
        }
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var cert = Path.Combine(Directory, "gateway.crt");
        var key = Path.Combine(Directory, "gateway.key");
        await Run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost", "-keyout", key, "-out", cert);
        Certificate = GatewayClient.LoadPem(cert);
        var ui = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "ui")).FullName;
        await File.WriteAllTextAsync(Path.Combine(ui, "index.html"), "<!doctype html><title>OpsConductor</title><div id=root></div>");

        var upstream = $"127.0.0.1:{Host.BaseAddress.Port}";
        var values = new Dictionary<string, string>
        {
            ["OPSC_AUTH"] = upstream,
            ["OPSC_USERS"] = upstream,
            ["OPSC_CREDENTIALS"] = upstream,
            ["OPSC_TARGETS"] = upstream,
            ["OPSC_JOBS"] = upstream,
            ["OPSC_EXECUTOR"] = upstream,
            ["OPSC_SCHEDULER"] = upstream,
            ["OPSC_NOTIFICATIONS"] = upstream,
            ["OPSC_HTTP_PORT"] = $"127.0.0.1:{HttpPort}",
            ["OPSC_HTTPS_PORT"] = $"127.0.0.1:{HttpsPort}",
            ["OPSC_TLS_CERT"] = cert,
            ["OPSC_TLS_KEY"] = key,
            ["OPSC_UI_ROOT"] = ui,
        };
        var template = await File.ReadAllTextAsync(RepositoryPaths.Combine("deploy", "nginx", "opsconductor.conf.template"));
        foreach (var (name, value) in values)
        {
            template = template.Replace("${" + name + "}", value);
        }
        // The redirect keeps the public port only; in the test that is the HTTPS port number.
        template = template.Replace($"https://$host:127.0.0.1:{HttpsPort}", $"https://$host:{HttpsPort}");
        await File.WriteAllTextAsync(Path.Combine(Directory, "opsconductor.conf"), template);
        foreach (var temp in new[] { "client", "proxy", "fastcgi", "uwsgi", "scgi" })
        {
            System.IO.Directory.CreateDirectory(Path.Combine(Directory, temp));
        }
        await File.WriteAllTextAsync(Path.Combine(Directory, "nginx.conf"), $$"""
            {{(Environment.UserName == "root" ? "user root;" : "")}}
            daemon off;
            worker_processes 1;
            pid {{Directory}}/nginx.pid;
            error_log {{Directory}}/error.log warn;
            events { worker_connections 256; }
            http {
                access_log off;
                include /etc/nginx/mime.types;
                client_body_temp_path {{Directory}}/client;
                proxy_temp_path {{Directory}}/proxy;
                fastcgi_temp_path {{Directory}}/fastcgi;
                uwsgi_temp_path {{Directory}}/uwsgi;
                scgi_temp_path {{Directory}}/scgi;
                include {{Directory}}/opsconductor.conf;
            }
            """);
        await Run("/usr/sbin/nginx", "-t", "-p", Directory, "-c", Path.Combine(Directory, "nginx.conf"));
        _nginx = Process.Start(new ProcessStartInfo("/usr/sbin/nginx", ["-p", Directory, "-c", Path.Combine(Directory, "nginx.conf")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var _ = await http.GetAsync($"http://127.0.0.1:{HttpPort}/health");
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(50);
            }
        }
        throw new InvalidOperationException("nginx did not start: " + NginxLog);
    }

    public override async Task DisposeAsync()
    {
        if (_nginx is { HasExited: false })
        {
            _nginx.Kill(entireProcessTree: true);
            await _nginx.WaitForExitAsync();
        }
        await base.DisposeAsync();
    }

    /// <summary>A client that trusts exactly the gateway's certificate (see <see cref="GatewayClient.Create"/>).</summary>
    public ApiClient Gateway(string? from = null) => GatewayClient.Create(new Uri($"https://localhost:{HttpsPort}"), Certificate!, from);

    /// <summary>Whether a TLS 1.2 handshake with exactly this OpenSSL cipher succeeds.</summary>
    public async Task<bool> Tls12HandshakeAsync(string cipher)
    {
        var (connected, output) = await GatewayClient.HandshakeAsync(HttpsPort, "-tls1_2", "-cipher", cipher);
        return connected && output.Contains($"Cipher is {cipher}", StringComparison.Ordinal);
    }

    static async Task Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} failed: {error}");
    }
}

[Trait("Category", TestCategories.ProviderIndependent)]
public sealed class GatewayTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Http_redirects_to_https_which_serves_the_api_the_ui_and_security_headers()
    {
        using var plain = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var redirect = await plain.GetAsync($"http://127.0.0.1:{gateway.HttpPort}/jobs?x=1");
        Assert.Equal(HttpStatusCode.MovedPermanently, redirect.StatusCode);
        Assert.Equal($"https://127.0.0.1:{gateway.HttpsPort}/jobs?x=1", redirect.Headers.Location?.ToString());

        using var client = gateway.Gateway();
        var health = await client.ExpectAsync(HttpStatusCode.OK, client.GetAsync("/health"));
        Assert.Equal("healthy", health.Str("status"));
        using var page = await client.GetAsync("/runs/42");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<div id=root>", await page.Content.ReadAsStringAsync());
        Assert.Contains("max-age=", page.Headers.GetValues("Strict-Transport-Security").Single());
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        await client.ExpectAsync(HttpStatusCode.Unauthorized, client.GetAsync("/api/v1/users"));
        await client.ExpectAsync(HttpStatusCode.OK, client.GetAsync("/openapi/v1.json"));
    }

    [Fact]
    public async Task Sign_in_and_live_run_output_pass_through_the_gateway_unbuffered()
    {
        using var client = gateway.Gateway();
        await client.LoginAsync("admin", HostProcess.AdminPassword);
        var job = await gateway.JobAsync(client, [new { name = "tick", type = "command", script = "for i in 1 2 3 4; do echo tick$i; sleep 0.7; done" }],
            targets: new { targetIds = new[] { gateway.TargetIds[0] } });
        var runId = await FleetFixture.StartAsync(client, job);

        var clock = Stopwatch.StartNew();
        var arrivals = new List<(string Line, TimeSpan At)>();
        using (var response = await client.Http.GetAsync($"/api/v1/runs/{runId}/events", HttpCompletionOption.ResponseHeadersRead))
        using (var reader = new StreamReader(await response.Content.ReadAsStreamAsync()))
        {
            string? kind = null;
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    kind = line[7..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal) && kind == "output")
                {
                    foreach (var text in JsonDocument.Parse(line[6..]).RootElement.GetProperty("lines").EnumerateArray())
                    {
                        arrivals.Add((text.GetString()!, clock.Elapsed));
                    }
                }
            }
        }

        Assert.Equal(["tick1", "tick2", "tick3", "tick4"], arrivals.Select(a => a.Line));
        Assert.True(arrivals[^1].At - arrivals[0].At > TimeSpan.FromSeconds(1),
            "output was buffered by the gateway: " + string.Join(", ", arrivals.Select(a => $"{a.Line}@{a.At.TotalMilliseconds:0}ms")));
    }

    [Fact]
    public async Task Every_response_carries_a_content_security_policy_and_no_nginx_version()
    {
        using var client = gateway.Gateway();
        foreach (var path in new[] { "/", "/runs/42", "/health", "/api/v1/users", "/no-such-file.js" })
        {
            using var response = await client.GetAsync(path);
            var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self';", csp);
            Assert.Contains("object-src 'none'", csp);
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.DoesNotContain("unsafe-eval", csp);
            Assert.Equal("nginx", Assert.Single(response.Headers.GetValues("Server")));
        }
        using var plain = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var redirect = await plain.GetAsync($"http://127.0.0.1:{gateway.HttpPort}/");
        Assert.Equal("nginx", Assert.Single(redirect.Headers.GetValues("Server")));
        Assert.DoesNotContain("nginx/", await redirect.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Tls_1_2_offers_forward_secret_ciphers_only()
    {
        Assert.True(await gateway.Tls12HandshakeAsync("ECDHE-RSA-AES128-GCM-SHA256"), "the ECDHE suite must be accepted");
        foreach (var staticKeyExchange in new[] { "AES128-GCM-SHA256", "AES256-SHA256", "AES128-SHA" })
        {
            Assert.False(await gateway.Tls12HandshakeAsync(staticKeyExchange), $"{staticKeyExchange} has no forward secrecy");
        }
    }

    [Fact]
    public async Task Service_to_service_endpoints_are_not_reachable_through_the_gateway()
    {
        using var client = gateway.Gateway();
        using var direct = gateway.Anonymous();
        // They exist on the host (401: no service token / wrong secret), so a 404 here is the gateway's doing.
        await direct.ExpectAsync(HttpStatusCode.Unauthorized, direct.PostAsync("/api/v1/credentials/internal/1/secret", new { purpose = "probe" }));
        await direct.ExpectAsync(HttpStatusCode.Unauthorized, direct.PostAsync("/api/v1/auth/service-token", new { service = "executor", secret = "guess" }));

        var probes = new (HttpMethod Method, string Path)[]
        {
            (HttpMethod.Post, "/api/v1/auth/service-token"),
            (HttpMethod.Post, "/api/v1/auth/Service-Token"),
            (HttpMethod.Post, "/api/v1/auth/service-token/"),
            (HttpMethod.Post, "/api/v1/credentials/internal/1/secret"),
            (HttpMethod.Post, "/api/v1/Credentials/Internal/1/secret"),
            (HttpMethod.Post, "/api/v1/credentials/INTERNAL/1/secret"),
            (HttpMethod.Post, "/api/v1/credentials/%69nternal/1/secret"),
            (HttpMethod.Post, "/api/v1//credentials/internal/1/secret"),
            (HttpMethod.Get, "/api/v1/credentials/internal/1"),
        };
        foreach (var (method, path) in probes)
        {
            using var response = await client.Http.SendAsync(new HttpRequestMessage(method, path)
            {
                Content = JsonContent.Create(new { service = "executor", secret = "guess", purpose = "probe" }),
            });
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {(int)response.StatusCode}");
            Assert.NotEqual("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        // The public credentials API still passes.
        await client.ExpectAsync(HttpStatusCode.Unauthorized, client.GetAsync("/api/v1/credentials"));
    }

    [Fact]
    public async Task Auth_requests_are_rate_limited_per_client_address()
    {
        using var flooder = gateway.Gateway(from: "127.0.0.2");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
        {
            using var response = await flooder.GetAsync("/api/v1/auth/jwks");
            statuses.Add(response.StatusCode);
        }
        Assert.Contains(HttpStatusCode.OK, statuses);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, s.ToString()));
        // Someone else is not affected.
        using var other = gateway.Gateway(from: "127.0.0.4");
        await other.ExpectAsync(HttpStatusCode.OK, other.GetAsync("/api/v1/auth/jwks"));
    }

    [Fact]
    public async Task The_host_sees_the_address_the_gateway_saw_not_the_one_a_client_wrote()
    {
        using var client = gateway.Gateway(from: "127.0.0.3");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login")
        {
            Content = JsonContent.Create(new { username = "forged-address", password = "wrong-password" }),
        };
        request.Headers.Add("X-Forwarded-For", "203.0.113.77");
        using var response = await client.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var log = await gateway.Host.OutputContainingAsync("Failed sign-in for (unknown username) from 127.0.0.3");
        Assert.Contains("Failed sign-in for (unknown username) from 127.0.0.3", log);
        Assert.DoesNotContain("203.0.113.77", log);
    }

    [Fact]
    public async Task Through_the_gateway_the_refresh_cookie_is_secure()
    {
        using var client = gateway.Gateway();
        using var login = await client.Http.SendAsync(RefreshCookieTests.Browser(HttpMethod.Post, "/api/v1/auth/login",
            new { username = "admin", password = HostProcess.AdminPassword }));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var cookie = RefreshCookieTests.SessionCookie(login);
        Assert.Contains("secure", cookie.Attributes);
        Assert.Contains("httponly", cookie.Attributes);
        using var refreshed = await client.Http.SendAsync(RefreshCookieTests.Browser(HttpMethod.Post, "/api/v1/auth/refresh", cookie: cookie.Value));
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
    }
}
