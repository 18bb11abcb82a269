using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Targets;

/// <summary>Tells the credentials service which targets use a credential, so it refuses to delete it.</summary>
sealed class TargetCredentialUsage(TargetsDb db) : ICredentialUsage
{
    public async Task<IReadOnlyList<CredentialUse>> FindUsesAsync(long credentialId, CancellationToken cancellationToken) =>
        await db.Targets.AsNoTracking().Where(t => t.CredentialId == credentialId).OrderBy(t => t.NormalizedName)
            .Select(t => new CredentialUse(TargetsModule.Service, "target", t.Id, t.Name))
            .ToListAsync(cancellationToken);
}
