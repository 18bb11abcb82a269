using System.Xml.Linq;
using OpsConductor.Remoting.WinRm;

namespace OpsConductor.Tests.WinRm.Client;

/// <summary>The recorded Windows responses under Data/ (excerpts of pypsrp and masterzen/winrm, see each file's header).</summary>
public static class RecordedTraffic
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "WinRm", "Client", "Data", name);

    public static string Text(string name) => File.ReadAllText(Path(name));

    public static XDocument Load(string name) => WsManResponse.Load(File.ReadAllBytes(Path(name)));
}
