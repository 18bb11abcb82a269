using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Http;
using OpsConductor.Shared.Persistence;
using OpsConductor.Shared.Security;

namespace OpsConductor.Users;

public static partial class UsersApi
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

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$")]
    private static partial Regex UsernamePattern();

    static UserDto ToDto(User u) => new(u.Id, u.Username, u.Email, u.FullName, u.Role, u.Disabled, u.CreatedAt, u.UpdatedAt);

    static async Task<Results<Ok<PagedList<UserDto>>, ValidationProblem>> List(
        UsersDb db, string? search, string? role, string? sort, [Microsoft.AspNetCore.Http.AsParameters] PageRequest paging, CancellationToken ct)
    {
        var errors = paging.Validate();
        var s = string.IsNullOrWhiteSpace(search) ? null : search.Trim().ToLowerInvariant();
        Role? r = null;
        if (role is not null)
        {
            if (Roles.TryParse(role, out var parsed))
            {
                r = parsed;
            }
            else
            {
                errors.Add("role", "role must be admin, operator or viewer.");
            }
        }
        var page = SortOrder.Pick(sort, "username", UserListQueries.Pages, errors);
        if (!errors.IsValid)
        {
            return errors.ToResult();
        }
        var total = await UserListQueries.Count(db, s, r);
        var skip = paging.Skip;
        var items = new List<UserDto>(Math.Clamp(total - skip, 0, paging.Size));
        if (total > skip)
        {
            await foreach (var user in page!(db, s, r, skip, paging.Size).WithCancellation(ct))
            {
                items.Add(user);
            }
        }
        return TypedResults.Ok(new PagedList<UserDto>(items, total, paging.Number, paging.Size));
    }

    static async Task<Results<Ok<UserDto>, ProblemHttpResult>> Get(long id, UsersDb db, CancellationToken ct) =>
        await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct) is { } user
            ? TypedResults.Ok(ToDto(user))
            : Problems.NotFound($"User {id}");

    static async Task<Results<Created<UserDto>, ValidationProblem, ProblemHttpResult>> Create(
        CreateUserRequest request, UsersDb db, Passwords passwords, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(request.Username))
        {
            errors.Add("username", "Username is required.");
        }
        else if (!UsernamePattern().IsMatch(request.Username.Trim()))
        {
            errors.Add("username", "Username must be 3 to 64 characters: letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }
        ValidateProfile(errors, request.Email, request.FullName);
        if (request.Role is null)
        {
            errors.Add("role", "Role is required: admin, operator or viewer.");
        }
        Passwords.Validate(errors, "password", request.Password);
        if (!errors.IsValid)
        {
            return errors.ToResult();
        }

        var username = request.Username!.Trim();
        var normalized = username.ToLowerInvariant();
        if (await db.Users.AnyAsync(u => u.NormalizedUsername == normalized, ct))
        {
            return Problems.Conflict($"The username '{username}' is taken.");
        }
        var now = clock.GetUtcNow();
        var user = new User
        {
            Username = username,
            NormalizedUsername = normalized,
            Email = request.Email?.Trim() ?? "",
            FullName = request.FullName?.Trim() ?? "",
            Role = request.Role!.Value,
            PasswordHash = passwords.Hash(request.Password!),
            CreatedAt = now,
            UpdatedAt = now,
            PasswordChangedAt = now,
        };
        db.Users.Add(user);
        if (await UniqueName.SaveOrConflictAsync(db, $"The username '{username}' is taken.", ct) is { } taken)
        {
            return taken;
        }
        return TypedResults.Created($"/api/v1/users/{user.Id}", ToDto(user));
    }

    static async Task<Results<Ok<UserDto>, ValidationProblem, ProblemHttpResult>> Update(
        long id, UpdateUserRequest request, ClaimsPrincipal caller, UsersDb db, UserTokenCheck tokens, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        ValidateProfile(errors, request.Email, request.FullName);
        if (!errors.IsValid)
        {
            return errors.ToResult();
        }
        if ((request.Role is not null || request.Disabled is not null) && !caller.IsAdmin())
        {
            return Problems.Forbidden("Only an admin can change a role or disable an account.");
        }
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return Problems.NotFound($"User {id}");
        }
        var losesAdmin = user.Role == Role.Admin && !user.Disabled
            && ((request.Role is { } newRole && newRole != Role.Admin) || request.Disabled == true);
        if (losesAdmin && !await OtherActiveAdminExists(db, id, ct))
        {
            return Problems.Conflict("This is the last active admin: make another user admin first.");
        }
        user.Email = request.Email?.Trim() ?? user.Email;
        user.FullName = request.FullName?.Trim() ?? user.FullName;
        user.Role = request.Role ?? user.Role;
        user.Disabled = request.Disabled ?? user.Disabled;
        user.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        tokens.Forget(id);
        return TypedResults.Ok(ToDto(user));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(long id, UsersDb db, UserTokenCheck tokens, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return Problems.NotFound($"User {id}");
        }
        if (user.Role == Role.Admin && !user.Disabled && !await OtherActiveAdminExists(db, id, ct))
        {
            return Problems.Conflict("This is the last active admin and cannot be deleted.");
        }
        await db.Users.Where(u => u.Id == id).ExecuteDeleteAsync(ct);
        tokens.Forget(id);
        return TypedResults.NoContent();
    }

    static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangePassword(
        long id, ChangePasswordRequest request, ClaimsPrincipal caller, UsersDb db, Passwords passwords, UserTokenCheck tokens, TimeProvider clock,
        CancellationToken ct)
    {
        var own = caller.UserId() == id;
        var errors = new ValidationErrors();
        if (own && string.IsNullOrEmpty(request.CurrentPassword))
        {
            errors.Add("currentPassword", "Your current password is required to change your own password.");
        }
        Passwords.Validate(errors, "newPassword", request.NewPassword);
        if (!errors.IsValid)
        {
            return errors.ToResult();
        }
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return Problems.NotFound($"User {id}");
        }
        if (own && !passwords.Verify(request.CurrentPassword!, user.PasswordHash))
        {
            return Problems.Invalid("currentPassword", "The current password is not correct.");
        }
        user.PasswordHash = passwords.Hash(request.NewPassword!);
        user.PasswordChangedAt = user.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        tokens.Forget(id);
        return TypedResults.NoContent();
    }

    static Task<bool> OtherActiveAdminExists(UsersDb db, long exceptId, CancellationToken ct) =>
        db.Users.AnyAsync(u => u.Id != exceptId && u.Role == Role.Admin && !u.Disabled, ct);

    static void ValidateProfile(ValidationErrors errors, string? email, string? fullName)
    {
        if (email is { Length: > 0 } e && (e.Length > 254 || !e.Contains('@') || e.Trim().Contains(' ')))
        {
            errors.Add("email", "Email must be a valid address like name@example.com.");
        }
        errors.MaxLength("fullName", fullName, "Full name", 200);
    }
}
