using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Http;

namespace OpsConductor.Targets;

/// <summary>
/// Adds and removes tags on many targets in one request (the targets list's bulk action): every id and tag is checked
/// first, and an error anywhere changes nothing; the change is one transaction.
/// </summary>
public sealed class TargetTagging(TargetsDb db, TimeProvider clock)
{
    /// <summary>The most targets one request may change (the list's largest page).</summary>
    public const int MaxTargets = 500;

    public async Task<Outcome<BulkTagResult>> ApplyAsync(BulkTagRequest request, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var ids = (request.TargetIds ?? []).Distinct().ToList();
        if (ids.Count == 0)
        {
            errors.Add("targetIds", "Name at least one target.");
        }
        else if (ids.Count > MaxTargets)
        {
            errors.Add("targetIds", $"At most {MaxTargets} targets at once.");
        }
        var add = Tags(request.Add, "add", errors);
        var remove = Tags(request.Remove, "remove", errors);
        if (request.Add is not { Count: > 0 } && request.Remove is not { Count: > 0 })
        {
            errors.Add("add", "Name a tag to add or to remove.");
        }
        if (add.Intersect(remove).ToList() is { Count: > 0 } both)
        {
            errors.Add("remove", $"A tag cannot be added and removed at once: {string.Join(", ", both)}.");
        }
        if (!errors.IsValid)
        {
            return new Outcome<BulkTagResult>.Invalid(errors);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var targets = await db.Targets.Include(t => t.Tags).Where(t => ids.Contains(t.Id)).ToListAsync(ct);
        if (ids.Except(targets.Select(t => t.Id)).Order().ToList() is { Count: > 0 } missing)
        {
            errors.Add("targetIds", $"No target with id {string.Join(", ", missing)}.");
        }
        var tooMany = targets.Where(t => t.Tags.Select(x => x.Tag).Except(remove).Union(add).Count() > TargetRules.MaxTags).ToList();
        if (tooMany.Count > 0)
        {
            errors.Add("add", $"A target has at most {TargetRules.MaxTags} tags: {string.Join(", ", tooMany.Select(t => t.Name).Order(StringComparer.Ordinal))} would have more.");
        }
        if (!errors.IsValid)
        {
            return new Outcome<BulkTagResult>.Invalid(errors);
        }

        var now = clock.GetUtcNow();
        var changed = 0;
        foreach (var target in targets)
        {
            var removed = target.Tags.RemoveAll(t => remove.Contains(t.Tag));
            var added = add.Where(tag => target.Tags.All(t => t.Tag != tag)).ToList();
            target.Tags.AddRange(added.Select(tag => new TargetTag { TargetId = target.Id, Tag = tag }));
            if (removed + added.Count > 0)
            {
                target.UpdatedAt = now;
                changed++;
            }
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new Outcome<BulkTagResult>.Success(new BulkTagResult(changed,
            targets.OrderBy(t => t.NormalizedName, StringComparer.Ordinal).ThenBy(t => t.Id).Select(TargetInventory.ToDto).ToList()));
    }

    /// <summary>The tags normalized and each once; an invalid one is an error under <paramref name="field"/> naming it.</summary>
    static List<string> Tags(IReadOnlyList<string?>? tags, string field, ValidationErrors errors)
    {
        var normalized = new List<string>();
        var bad = new List<string>();
        foreach (var tag in tags ?? [])
        {
            var t = TargetRules.NormalizeTag(tag ?? "");
            if (TargetRules.IsTag(t))
            {
                normalized.Add(t);
            }
            else
            {
                bad.Add($"'{tag}'");
            }
        }
        if (bad.Count > 0)
        {
            errors.Add(field, $"Not a valid tag: {string.Join(", ", bad)}. Tags are 1 to 64 characters: letters, digits and . _ : / = -, starting with a letter or digit.");
        }
        if (normalized.Count > TargetRules.MaxTags)
        {
            errors.Add(field, $"At most {TargetRules.MaxTags} tags at once.");
        }
        return normalized.Distinct().ToList();
    }
}
