using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using OpsConductor.Tests.Infrastructure;

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

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var cert = Path.Combine(Directory, "gateway.crt");
        var key = Path.Combine(Directory, "gateway.key");
        await Run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost", "-keyout", key, "-out", cert);
        var pem = await File.ReadAllTextAsync(cert);
        var body = pem[(pem.IndexOf("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal) + 27)..pem.IndexOf("-----END CERTIFICATE-----", StringComparison.Ordinal)];
        Certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(body));
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

    /// <summary>A client that trusts exactly the gateway's self-signed certificate.</summary>
    public ApiClient Gateway() => new(new HttpClient(new HttpClientHandler
    {
        AllowAutoRedirect = false,
        ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert?.Thumbprint == Certificate!.Thumbprint,
    })
    { BaseAddress = new Uri($"https://localhost:{HttpsPort}"), Timeout = TimeSpan.FromSeconds(60) });

    static async Task Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} failed: {error}");
    }
}

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
                    arrivals.Add((JsonDocument.Parse(line[6..]).RootElement.Str("line"), clock.Elapsed));
                }
            }
        }

        Assert.Equal(["tick1", "tick2", "tick3", "tick4"], arrivals.Select(a => a.Line));
        Assert.True(arrivals[^1].At - arrivals[0].At > TimeSpan.FromSeconds(1),
            "output was buffered by the gateway: " + string.Join(", ", arrivals.Select(a => $"{a.Line}@{a.At.TotalMilliseconds:0}ms")));
    }
}
