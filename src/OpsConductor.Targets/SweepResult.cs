using Microsoft.Extensions.Logging;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Targets;

public sealed record SweepResult(int Targets, int Checked, long DurationMs, int StatusChanges, IReadOnlyDictionary<TargetStatus, int> Statuses);
