using System.Diagnostics;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpsConductor.Shared.Http;
using OpsConductor.Shared.Security;

namespace OpsConductor.Users;

/// <summary>The users endpoints: bind, authorize, ask <see cref="UserAccounts"/>, answer its outcome over HTTP.</summary>
public static class UsersApi
{
    public static void MapUsersApi(this IEndpointRouteBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users");
        var admin = users.MapGroup("").RequireAuthorization(Policies.Admin);
        var selfOrAdmin = users.MapGroup("").RequireAuthorization(Policies.SelfOrAdmin);

        admin.MapGet("", List).WithName("ListUsers").WithSummary("Search and page users (admin).");
        admin.MapPost("", Create).WithName("CreateUser").WithSummary("Create a user (admin).");
        admin.MapDelete("/{id:long}", Delete).WithName("DeleteUser").WithSummary("Delete a user; never the last admin (admin).");
        selfOrAdmin.MapGet("/{id:long}", Get).WithName("GetUser").WithSummary("A user (admin, or the user themself).");
        selfOrAdmin.MapPut("/{id:long}", Update).WithName("UpdateUser")
            .WithSummary("Change profile fields; role and disabled only by an admin, never leaving no admin.");
        selfOrAdmin.MapPut("/{id:long}/password", ChangePassword).WithName("ChangeUserPassword")
            .WithSummary("Set a new password; your own needs the current one. One an admin sets must be changed by the user at next sign-in.")
            .AllowBeforePasswordChange();
    }

    static async Task<Results<Ok<PagedList<UserDto>>, ValidationProblem>> List(
        UserAccounts accounts, string? search, string? role, string? sort, [AsParameters] PageRequest paging, CancellationToken ct) =>
        await accounts.ListAsync(search, role, sort, paging, ct) switch
        {
            Outcome<PagedList<UserDto>>.Success page => TypedResults.Ok(page.Value),
            Outcome<PagedList<UserDto>>.Invalid invalid => invalid.Errors.ToResult(),
            var other => throw new UnreachableException($"Listing users does not answer {other.GetType().Name}."),
        };

    static async Task<Results<Ok<UserDto>, ProblemHttpResult>> Get(long id, UserAccounts accounts, CancellationToken ct) =>
        await accounts.FindAsync(id, ct) is { } user ? TypedResults.Ok(user) : Problems.NotFound($"User {id}");

    static async Task<Results<Created<UserDto>, ValidationProblem, ProblemHttpResult>> Create(
        CreateUserRequest request, UserAccounts accounts, CancellationToken ct) =>
        await accounts.CreateAsync(request, ct) switch
        {
            Outcome<UserDto>.Success created => TypedResults.Created($"/api/v1/users/{created.Value.Id}", created.Value),
            Outcome<UserDto>.Invalid invalid => invalid.Errors.ToResult(),
            var refused => Problem(refused),
        };

    static async Task<Results<Ok<UserDto>, ValidationProblem, ProblemHttpResult>> Update(
        long id, UpdateUserRequest request, ClaimsPrincipal caller, UserAccounts accounts, CancellationToken ct) =>
        await accounts.UpdateAsync(id, request, caller.IsAdmin(), ct) switch
        {
            Outcome<UserDto>.Success updated => TypedResults.Ok(updated.Value),
            Outcome<UserDto>.Invalid invalid => invalid.Errors.ToResult(),
            var refused => Problem(refused),
        };

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(long id, UserAccounts accounts, CancellationToken ct) =>
        await accounts.DeleteAsync(id, ct) switch
        {
            Outcome<long>.Success => TypedResults.NoContent(),
            var refused => Problem(refused),
        };

    static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangePassword(
        long id, ChangePasswordRequest request, ClaimsPrincipal caller, UserAccounts accounts, CancellationToken ct)
    {
        if (caller.MustChangePassword() && caller.UserId() != id)
        {
            return PasswordChangeGate.Problem(); // an admin who must change their own password sets nobody else's first
        }
        return await accounts.ChangePasswordAsync(id, request, caller.UserId() == id, ct) switch
        {
            Outcome<long>.Success => TypedResults.NoContent(),
            Outcome<long>.Invalid invalid => invalid.Errors.ToResult(),
            var refused => Problem(refused),
        };
    }

    static ProblemHttpResult Problem<T>(Outcome<T> refused) => refused.ToProblem("User");
}
