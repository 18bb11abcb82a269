using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Http;
using OpsConductor.Shared.Persistence;
using OpsConductor.Shared.Security;

namespace OpsConductor.Users;

/// <summary>
/// The rules of user accounts: what a username, profile and password must be, that a role or the disabled flag is an
/// admin's to change, and that the last active admin is never demoted, disabled or deleted.
/// </summary>
public sealed partial class UserAccounts(UsersDb db, Passwords passwords, UserTokenCheck tokens, TimeProvider clock)
{
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$")]
    private static partial Regex UsernamePattern();

    public static UserDto ToDto(User u) => new(u.Id, u.Username, u.Email, u.FullName, u.Role, u.Disabled, u.CreatedAt, u.UpdatedAt, u.MustChangePassword);

    public async Task<Outcome<PagedList<UserDto>>> ListAsync(
        string? search, string? role, string? sort, PageRequest paging, CancellationToken ct)
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
            return new Outcome<PagedList<UserDto>>.Invalid(errors);
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
        return new Outcome<PagedList<UserDto>>.Success(new PagedList<UserDto>(items, total, paging.Number, paging.Size));
    }

    public async Task<UserDto?> FindAsync(long id, CancellationToken ct) =>
        await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct) is { } user ? ToDto(user) : null;

    public async Task<Outcome<UserDto>> CreateAsync(CreateUserRequest request, CancellationToken ct)
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
            return new Outcome<UserDto>.Invalid(errors);
        }

        var username = request.Username!.Trim();
        var normalized = username.ToLowerInvariant();
        var taken = $"The username '{username}' is taken.";
        if (await db.Users.AnyAsync(u => u.NormalizedUsername == normalized, ct))
        {
            return new Outcome<UserDto>.Conflict(taken);
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
            MustChangePassword = request.MustChangePassword ?? true,
        };
        db.Users.Add(user);
        if (!await UniqueName.TrySaveAsync(db, ct))
        {
            return new Outcome<UserDto>.Conflict(taken);
        }
        return new Outcome<UserDto>.Success(ToDto(user));
    }

    /// <param name="byAdmin">Whether the caller is an admin: only an admin may change the role or the disabled flag.</param>
    public async Task<Outcome<UserDto>> UpdateAsync(long id, UpdateUserRequest request, bool byAdmin, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        ValidateProfile(errors, request.Email, request.FullName);
        if (!errors.IsValid)
        {
            return new Outcome<UserDto>.Invalid(errors);
        }
        if ((request.Role is not null || request.Disabled is not null) && !byAdmin)
        {
            return new Outcome<UserDto>.Forbidden("Only an admin can change a role or disable an account.");
        }
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return new Outcome<UserDto>.NotFound(id);
        }
        var losesAdmin = user.Role == Role.Admin && !user.Disabled
            && ((request.Role is { } newRole && newRole != Role.Admin) || request.Disabled == true);
        if (losesAdmin && !await OtherActiveAdminExists(id, ct))
        {
            return new Outcome<UserDto>.Conflict("This is the last active admin: make another user admin first.");
        }
        user.Email = request.Email?.Trim() ?? user.Email;
        user.FullName = request.FullName?.Trim() ?? user.FullName;
        user.Role = request.Role ?? user.Role;
        user.Disabled = request.Disabled ?? user.Disabled;
        user.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        tokens.Forget(id);
        return new Outcome<UserDto>.Success(ToDto(user));
    }

    /// <returns>On success the id of the deleted user.</returns>
    public async Task<Outcome<long>> DeleteAsync(long id, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return new Outcome<long>.NotFound(id);
        }
        if (user.Role == Role.Admin && !user.Disabled && !await OtherActiveAdminExists(id, ct))
        {
            return new Outcome<long>.Conflict("This is the last active admin and cannot be deleted.");
        }
        await db.Users.Where(u => u.Id == id).ExecuteDeleteAsync(ct);
        tokens.Forget(id);
        return new Outcome<long>.Success(id);
    }

    /// <param name="own">Whether callers change their own password: then the current one is required and checked.</param>
    /// <returns>On success the id of the user.</returns>
    public async Task<Outcome<long>> ChangePasswordAsync(long id, ChangePasswordRequest request, bool own, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (own && string.IsNullOrEmpty(request.CurrentPassword))
        {
            errors.Add("currentPassword", "Your current password is required to change your own password.");
        }
        Passwords.Validate(errors, "newPassword", request.NewPassword);
        if (!errors.IsValid)
        {
            return new Outcome<long>.Invalid(errors);
        }
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return new Outcome<long>.NotFound(id);
        }
        if (own && !passwords.Verify(request.CurrentPassword!, user.PasswordHash))
        {
            return new Outcome<long>.Invalid(new ValidationErrors().Add("currentPassword", "The current password is not correct."));
        }
        if (own && request.NewPassword == request.CurrentPassword)
        {
            return new Outcome<long>.Invalid(new ValidationErrors().Add("newPassword", "The new password must differ from the current one."));
        }
        user.PasswordHash = passwords.Hash(request.NewPassword!);
        user.PasswordChangedAt = user.UpdatedAt = clock.GetUtcNow();
        // Your own choice ends the requirement; a password an admin set is theirs to know, so the user must replace it.
        user.MustChangePassword = !own && (request.MustChangePassword ?? true);
        await db.SaveChangesAsync(ct);
        tokens.Forget(id);
        return new Outcome<long>.Success(id);
    }

    Task<bool> OtherActiveAdminExists(long exceptId, CancellationToken ct) =>
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
