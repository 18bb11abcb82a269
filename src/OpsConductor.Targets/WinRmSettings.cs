namespace OpsConductor.Targets;

public sealed record WinRmSettings(bool UseHttps, bool VerifyCertificate);
