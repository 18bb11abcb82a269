using System.Security.Claims;

namespace OpsConductor.Shared.Security;

public enum Role
{
    Viewer,
    Operator,
    Admin,
}

public static class Roles
{
    public const string Admin = "admin";
    public const string Operator = "operator";
    public const string Viewer = "viewer";

    public static string ToClaim(this Role role) => role switch
    {
        Role.Admin => Admin,
        Role.Operator => Operator,
        _ => Viewer,
    };

    public static Role Parse(string? text) => TryParse(text, out var role) ? role : Role.Viewer;

    public static bool TryParse(string? text, out Role role)
    {
        switch (text)
        {
            case Admin: role = Role.Admin; return true;
            case Operator: role = Role.Operator; return true;
            case Viewer: role = Role.Viewer; return true;
            default: role = Role.Viewer; return false;
        }
    }
}

/// <summary>The authorization policies of the role table in the API contract.</summary>
public static class Policies
{
    /// <summary>Any signed-in user (viewer, operator or admin).</summary>
    public const string Viewer = "viewer";

    /// <summary>Operators and admins: create, change, run.</summary>
    public const string Operator = "operator";

    /// <summary>Admins only.</summary>
    public const string Admin = "admin";

    /// <summary>An admin, or the user named by the route value <c>id</c>.</summary>
    public const string SelfOrAdmin = "self-or-admin";

    /// <summary>Other OpsConductor services (service tokens), never a user.</summary>
    public const string Service = "service";
}

public static class ClaimNames
{
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Role = "role";
    public const string TokenKind = "kind";

    /// <summary>"true" on a user's token while the account must choose a new password.</summary>
    public const string PasswordChange = "pwd_change";
}

public static class UserClaims
{
    public static long UserId(this ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(ClaimNames.Subject), out var id) ? id : 0;

    public static string Username(this ClaimsPrincipal user) => user.FindFirstValue(ClaimNames.Name) ?? "";

    public static bool IsAdmin(this ClaimsPrincipal user) => user.HasClaim(ClaimNames.Role, Roles.Admin);

    /// <summary>Whether the token was issued to an account that must change its password first.</summary>
    public static bool MustChangePassword(this ClaimsPrincipal user) => user.HasClaim(ClaimNames.PasswordChange, "true");
}
