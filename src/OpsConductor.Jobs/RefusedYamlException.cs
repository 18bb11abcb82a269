using YamlDotNet.Core;

namespace OpsConductor.Jobs;

/// <summary>Valid YAML that a job file may not contain; <see cref="Reason"/> is ours and safe to show.</summary>
public sealed class RefusedYamlException(Mark start, Mark end, string reason) : YamlException(start, end, reason)
{
    public string Reason { get; } = reason;
}
