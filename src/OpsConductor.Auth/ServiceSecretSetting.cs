namespace OpsConductor.Auth;

/// <summary>The deployment's service secret as read (and checked) at start; null when split mode is not configured.</summary>
public sealed record ServiceSecretSetting(string? Secret);
