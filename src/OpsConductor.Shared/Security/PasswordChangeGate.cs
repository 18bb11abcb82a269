using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace OpsConductor.Shared.Security;

/// <summary>
/// A user whose password was generated or set by an admin gets tokens marked <see cref="ClaimNames.PasswordChange"/>.
/// Until they choose a password of their own, every endpoint refuses such a token with 403 and the problem
/// <c>code</c> <see cref="Code"/>, except the anonymous ones (sign-in, refresh) and those marked
/// <see cref="AllowBeforePasswordChange{TBuilder}"/> (who am I, sign-out, change my password). Enforced in every
/// process of a split deployment, since each verifies tokens itself.
/// </summary>
public static class PasswordChangeGate
{
    public const string Code = "password_change_required";

    /// <summary>Runs after authorization, so a caller without the right role still gets the ordinary 401 or 403.</summary>
    public static IApplicationBuilder UsePasswordChangeGate(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.User.MustChangePassword() && context.GetEndpoint() is { } endpoint
                && endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null
                && endpoint.Metadata.GetMetadata<AllowBeforePasswordChangeMetadata>() is null)
            {
                await Problem().ExecuteAsync(context);
                return;
            }
            await next(context);
        });

    public static TBuilder AllowBeforePasswordChange<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(AllowBeforePasswordChangeMetadata.Instance);

    /// <summary>The refusal, also for an allowed endpoint that serves only the caller's own account.</summary>
    public static ProblemHttpResult Problem() =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Password change required",
            detail: "Choose a new password first: PUT /api/v1/users/{id}/password with your current and a new password, then sign in again.",
            extensions: new Dictionary<string, object?> { ["code"] = Code });
}
