namespace OpsConductor.Targets;

/// <summary>The targets of a bulk tag change as they are now (ordered by name); <see cref="Changed"/> of them were changed.</summary>
public sealed record BulkTagResult(int Changed, IReadOnlyList<TargetDto> Targets);
