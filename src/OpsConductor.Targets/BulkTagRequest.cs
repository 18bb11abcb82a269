namespace OpsConductor.Targets;

/// <summary>Tags to add to and remove from every one of <see cref="TargetIds"/>, all at once or not at all.</summary>
public sealed record BulkTagRequest(IReadOnlyList<long>? TargetIds, IReadOnlyList<string?>? Add, IReadOnlyList<string?>? Remove);
