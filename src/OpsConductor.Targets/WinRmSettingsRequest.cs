namespace OpsConductor.Targets;

public sealed record WinRmSettingsRequest(bool? UseHttps, bool? VerifyCertificate);
