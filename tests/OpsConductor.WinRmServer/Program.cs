using OpsConductor.WinRmServer;

// opsc-winrm-server [--http N] [--https N] [--endpoints N] [--port P] [--user NAME:PASSWORD[@DOMAIN]]... [--pwsh PATH]
// Prints "listening <scheme> <port>" per listener and "thumbprint sha256 <hex>", then serves until SIGINT or SIGTERM.
var users = new List<WinRmTestUser>();
int? http = null;
int? https = null;
var port = 0;
var options = new WinRmTestServerOptions();
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--user":
            users.Add(WinRmTestUser.Parse(Next()));
            break;
        case "--http":
            http = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture);
            break;
        case "--https":
            https = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture);
            break;
        case "--endpoints":
            // N endpoints of the default kind (HTTP with NTLM and encryption), unless --http/--https say otherwise.
            http ??= int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture);
            break;
        case "--port":
            port = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture);
            break;
        case "--pwsh":
            options = options with { PowerShell = Next() };
            break;
        case "--max-receive-bytes":
            options = options with { MaxReceiveBytes = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture) };
            break;
        default:
            Console.Error.WriteLine($"unknown option {args[i]}");
            return 2;
    }
}
options = options with { Users = users, HttpListeners = http ?? 1, HttpsListeners = https ?? 1, Port = port };
await using var server = await WinRmTestServer.StartAsync(options);
foreach (var p in server.HttpPorts)
{
    Console.WriteLine($"listening http {p}");
}
foreach (var p in server.HttpsPorts)
{
    Console.WriteLine($"listening https {p}");
}
Console.WriteLine($"thumbprint sha256 {server.Thumbprint}");
Console.WriteLine($"thumbprint sha1 {server.ThumbprintSha1}");
Console.Out.Flush();

var stop = new TaskCompletionSource();
using var interrupt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Stop);
using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Stop);
await stop.Task;
return 0;

void Stop(System.Runtime.InteropServices.PosixSignalContext context)
{
    context.Cancel = true;
    stop.TrySetResult();
}
