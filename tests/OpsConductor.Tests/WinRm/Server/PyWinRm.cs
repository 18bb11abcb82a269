using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace OpsConductor.Tests.WinRm.Server;

/// <summary>
/// Runs a Python script with Debian's python3-winrm 0.3.0 (requests-ntlm, ntlm-auth) and returns the JSON it prints
/// last. ntlm-auth hashes with hashlib.new('md4'), which Debian's OpenSSL 3 keeps in the legacy provider: the script
/// runs with OPENSSL_CONF pointing at a config that activates the default and legacy providers.
/// </summary>
public static class PyWinRm
{
    const string Python = "/usr/bin/python3";

    const string OpenSslConfig = """
        openssl_conf = openssl_init
        [openssl_init]
        providers = provider_sect
        [provider_sect]
        default = default_sect
        legacy = legacy_sect
        [default_sect]
        activate = 1
        [legacy_sect]
        activate = 1
        """;

    public sealed record Result(int ExitCode, JsonElement Json, string Stdout, string Stderr);

    public static async Task<Result> RunAsync(string script)
    {
        var directory = Directory.CreateTempSubdirectory("opsc-pywinrm-").FullName;
        try
        {
            var scriptPath = Path.Combine(directory, "script.py");
            var configPath = Path.Combine(directory, "openssl.cnf");
            await File.WriteAllTextAsync(scriptPath, script);
            await File.WriteAllTextAsync(configPath, OpenSslConfig);
            var start = new ProcessStartInfo(Python)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                StandardOutputEncoding = new UTF8Encoding(false),
            };
            start.ArgumentList.Add(scriptPath);
            start.Environment["OPENSSL_CONF"] = configPath;
            // requests takes a CA bundle from the environment over server_cert_validation='ignore'.
            start.Environment.Remove("REQUESTS_CA_BUNDLE");
            start.Environment.Remove("CURL_CA_BUNDLE");
            start.Environment["NO_PROXY"] = "127.0.0.1,localhost";
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            await process.WaitForExitAsync(timeout.Token);
            var output = await stdout;
            var lastLine = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "null";
            JsonElement json;
            try
            {
                json = JsonDocument.Parse(lastLine).RootElement.Clone();
            }
            catch (JsonException)
            {
                json = default;
            }
            return new Result(process.ExitCode, json, output, await stderr);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>A Python string literal (JSON strings are valid Python literals).</summary>
    public static string Literal(string value) => JsonSerializer.Serialize(value);
}
