namespace OpsConductor.Targets;

/// <summary>The fingerprint the operator compared with the server's own (<c>ssh-keygen -lf</c> on the host).</summary>
public sealed record AcceptHostKeyRequest(string? Fingerprint);
