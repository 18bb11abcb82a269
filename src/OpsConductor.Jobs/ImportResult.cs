namespace OpsConductor.Jobs;

public sealed record ImportResult(IReadOnlyList<JobDto> Created, IReadOnlyList<JobDto> Updated);
