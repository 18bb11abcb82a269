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
            .WithSummary("Set a new password; your own needs the current one.");
    }

    static async Task<Results<Ok<PagedList<UserDto>>, ValidationProblem>> List(
        UserAccounts accounts, string? search, string? role, string? sort, [AsParameters] PageRequest paging, CancellationToken ct) =>
        await accounts.ListAsync(search, role, sort, paging, ct) switch
        {
            UserOutcome<PagedList<UserDto>>.Success page => TypedResults.Ok(page.Value),
            UserOutcome<PagedList<UserDto>>.Invalid invalid => invalid.Errors.ToResult(),
            var other => throw new UnreachableException($"Listing users does not answer {other.GetType().Name}."),
        };

    static async Task<Results<Ok<UserDto>, ProblemHttpResult>> Get(long id, UserAccounts accounts, CancellationToken ct) =>
        await accounts.FindAsync(id, ct) is { } user ? TypedResults.Ok(user) : Problems.NotFound($"User {id}");

    static async Task<Results<Created<UserDto>, ValidationProblem, ProblemHttpResult>> Create(
        CreateUserRequest request, UserAccounts accounts, CancellationToken ct) =>
        await accounts.CreateAsync(request, ct) switch
        {
            UserOutcome<UserDto>.Success created => TypedResults.Created($"/api/v1/users/{created.Value.Id}", created.Value),
            UserOutcome<UserDto>.Invalid invalid => invalid.Errors.ToResult(),
            var refused => Problem(refused),
        };

    static async Task<Results<Ok<UserDto>, ValidationProblem, ProblemHttpResult>> Update(
        long id, UpdateUserRequest request, ClaimsPrincipal caller, UserAccounts accounts, CancellationToken ct) =>
        await accounts.UpdateAsync(id, request, caller.IsAdmin(), ct) switch
        {
            UserOutcome<UserDto>.Success updated => TypedResults.Ok(updated.Value),
            UserOutcome<UserDto>.Invalid invalid => invalid.Errors.ToResult(),
            var refused => Problem(refused),
        };

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(long id, UserAccounts accounts, CancellationToken ct) =>
        await accounts.DeleteAsync(id, ct) switch
        {
            UserOutcome<long>.Success => TypedResults.NoContent(),
            var refused => Problem(refused),
        };

    static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangePassword(
        long id, ChangePasswordRequest request, ClaimsPrincipal caller, UserAccounts accounts, CancellationToken ct) =>
        await accounts.ChangePasswordAsync(id, request, caller.UserId() == id, ct) switch
        {
            UserOutcome<long>.Success => TypedResults.NoContent(),
            UserOutcome<long>.Invalid invalid => invalid.Errors.ToResult(),
            var refused => Problem(refused),
        };

    static ProblemHttpResult Problem<T>(UserOutcome<T> refused) => refused switch
    {
        UserOutcome<T>.NotFound notFound => Problems.NotFound($"User {notFound.Id}"),
        UserOutcome<T>.Conflict conflict => Problems.Conflict(conflict.Detail),
        UserOutcome<T>.Forbidden forbidden => Problems.Forbidden(forbidden.Detail),
        _ => throw new UnreachableException($"{refused.GetType().Name} is not a refusal."),
    };
}
