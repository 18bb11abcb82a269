using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Hosting;
using OpsConductor.Shared.Http;
using OpsConductor.Shared.Security;

namespace OpsConductor.Auth;

public static class AuthApi
{
    public static void MapAuthApi(this IEndpointRouteBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Auth");
        var open = auth.MapGroup("").AllowAnonymous();
        var signedIn = auth.MapGroup("").RequireAuthorization(Policies.Viewer);

        open.MapPost("/login", Login).WithName("Login")
            .WithSummary("Sign in with username and password; repeated failures are throttled (429 with Retry-After).");
        open.MapPost("/refresh", Refresh).WithName("RefreshSession")
            .WithSummary("Exchange a refresh token for a new pair; a used token is refused and revokes its family.");
        open.MapPost("/service-token", ServiceToken).WithName("IssueServiceToken")
            .WithSummary("Split mode: another OpsConductor service exchanges the shared service secret for a 5-minute service token.");
        open.MapGet("/jwks", Jwks).WithName("GetJwks").WithSummary("Public keys that verify access tokens.");
        signedIn.MapPost("/logout", Logout).WithName("Logout").WithSummary("End the session of this refresh token.")
            .AllowBeforePasswordChange();
        signedIn.MapGet("/me", Me).WithName("GetCurrentUser").WithSummary("The signed-in user; mustChangePassword says whether they must choose a password first.")
            .AllowBeforePasswordChange();
    }

    static TokenResponse ToResponse(TokenPair pair, bool inCookie = false) =>
        new(pair.AccessToken, inCookie ? null : pair.RefreshToken, "Bearer", pair.ExpiresIn, SessionUser.From(pair.User));

    /// <summary>A browser session gets its refresh token as a cookie, and the response body does not show it to scripts.</summary>
    static TokenResponse Issue(HttpContext http, RefreshCookie cookie, TokenPair pair)
    {
        var browser = RefreshCookie.IsBrowser(http.Request);
        if (browser)
        {
            cookie.Write(http, pair.RefreshToken);
        }
        return ToResponse(pair, inCookie: browser);
    }

    static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> Login(
        LoginRequest request, HttpContext http, IUserDirectory users, Sessions sessions, LoginThrottle throttle, RefreshCookie cookie, TimeProvider clock,
        ILogger<LoginRequest> logger, CancellationToken ct)
    {
        var errors = new ValidationErrors()
            .Required("username", request.Username, "Username", 64)
            .Required("password", request.Password, "Password", 256);
        if (!errors.IsValid)
        {
            return errors.ToResult();
        }
        var client = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var gate = throttle.Check(request.Username!, client);
        if (gate.RetryAfter is { } wait)
        {
            logger.LogWarning("Sign-in throttled for {Username} from {Client}", await LoggedUsernameAsync(users, request.Username!, ct), client);
            return TooManyAttempts(http, wait, "Too many failed sign-ins", "Too many failed sign-ins. Try again in {0} seconds.");
        }
        if (gate.Delay > TimeSpan.Zero)
        {
            await Task.Delay(gate.Delay, clock, ct);
        }
        var user = await users.VerifyPasswordAsync(request.Username!, request.Password!, ct);
        if (user is null)
        {
            throttle.RecordFailure(request.Username!, client);
            logger.LogWarning("Failed sign-in for {Username} from {Client}", await LoggedUsernameAsync(users, request.Username!, ct), client);
            return Problems.Unauthorized("Invalid username or password.");
        }
        throttle.RecordSuccess(request.Username!, client);
        logger.LogInformation("User {Username} signed in from {Client}", user.Username, client);
        return TypedResults.Ok(Issue(http, cookie, await sessions.StartAsync(user, ct)));
    }

    /// <summary>
    /// What a log line may say about a submitted username: only an existing account's name. Anything else may be a
    /// password typed into the wrong field, or carry line breaks that would forge log lines.
    /// </summary>
    static async Task<string> LoggedUsernameAsync(IUserDirectory users, string submitted, CancellationToken ct) =>
        await users.FindByUsernameAsync(submitted, ct) is { } known ? known.Username : "(unknown username)";

    static ProblemHttpResult TooManyAttempts(HttpContext http, TimeSpan wait, string title, string detailFormat)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: title,
            detail: string.Format(CultureInfo.InvariantCulture, detailFormat, seconds));
    }

    static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> Refresh(
        RefreshRequest? request, HttpContext http, Sessions sessions, RefreshCookie cookie, CancellationToken ct)
    {
        if (SessionToken(request, http) is not { } presented)
        {
            return CookieProblem(http) is { } problem ? problem : Problems.Invalid("refreshToken", "refreshToken is required.");
        }
        if (await sessions.RefreshAsync(presented.Token, ct) is { } pair)
        {
            return TypedResults.Ok(presented.FromCookie ? Issue(http, cookie, pair) : ToResponse(pair));
        }
        if (presented.FromCookie)
        {
            cookie.Delete(http);
        }
        return Problems.Unauthorized("The refresh token is invalid, expired or already used. Sign in again.");
    }

    static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Logout(
        RefreshRequest? request, HttpContext http, ClaimsPrincipal caller, Sessions sessions, RefreshCookie cookie, CancellationToken ct)
    {
        if (SessionToken(request, http) is not { } presented)
        {
            return CookieProblem(http) is { } problem ? problem : Problems.Invalid("refreshToken", "refreshToken is required.");
        }
        await sessions.EndAsync(presented.Token, caller.UserId(), ct);
        if (presented.FromCookie)
        {
            cookie.Delete(http);
        }
        return TypedResults.NoContent();
    }

    /// <summary>The body's token (API clients) or, with the CSRF header, the cookie's (the web UI).</summary>
    static (string Token, bool FromCookie)? SessionToken(RefreshRequest? request, HttpContext http) =>
        request?.RefreshToken is { } body && !string.IsNullOrWhiteSpace(body) ? (body, false)
        : RefreshCookie.IsBrowser(http.Request) && RefreshCookie.Read(http.Request) is { } fromCookie ? (fromCookie, true)
        : null;

    /// <summary>Why a request without a body token cannot use the cookie; null when it did not try (then the body token is missing).</summary>
    static ProblemHttpResult? CookieProblem(HttpContext http) =>
        !RefreshCookie.IsBrowser(http.Request)
            ? RefreshCookie.Read(http.Request) is null ? null
                : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Missing CSRF header",
                    detail: $"Send the {RefreshCookie.CsrfHeader} header to use the session cookie.")
            : Problems.Unauthorized("There is no session cookie. Sign in again.");

    static async Task<Results<Ok<SessionUser>, ProblemHttpResult>> Me(ClaimsPrincipal caller, IUserDirectory users, CancellationToken ct) =>
        await users.FindAsync(caller.UserId(), ct) is { Disabled: false } user
            ? TypedResults.Ok(SessionUser.From(user))
            : Problems.Unauthorized("This account no longer exists or is disabled.");

    static Results<Ok<ServiceTokenResponse>, ValidationProblem, ProblemHttpResult> ServiceToken(
        ServiceTokenRequest request, HttpContext http, ServiceSecretSetting configured, Sessions sessions, ServiceTokenThrottle throttle,
        ILogger<LoginRequest> logger)
    {
        var errors = new ValidationErrors().Required("service", request.Service, "Service", 32).Required("secret", request.Secret, "Secret", 512);
        if (!errors.IsValid)
        {
            return errors.ToResult();
        }
        var expected = configured.Secret;
        if (!string.IsNullOrEmpty(expected) && ServiceNameIsKnown(request.Service!)
            && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.UTF8.GetBytes(expected), System.Text.Encoding.UTF8.GetBytes(request.Secret!)))
        {
            // Checked before the throttle: nobody else's failures can refuse the right secret.
            var (token, expiresIn) = sessions.ServiceToken(request.Service!);
            return TypedResults.Ok(new ServiceTokenResponse(token, "Bearer", expiresIn));
        }
        var client = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (throttle.RetryAfter(client) is { } wait)
        {
            return TooManyAttempts(http, wait, "Too many failed attempts", "Too many wrong service secrets from this address. Try again in {0} seconds.");
        }
        throttle.RecordFailure(client);
        logger.LogWarning("Refused a service token for {Service} from {Client}",
            ServiceNameIsKnown(request.Service!) ? request.Service : "(unknown service)", client);
        return Problems.Unauthorized("Service tokens need the deployment's service secret (OpsConductor:Auth:ServiceSecret).");
    }

    static bool ServiceNameIsKnown(string service) => OpsConductorHost.DefaultPorts.ContainsKey(service);

    static Ok<JwksDocument> Jwks(SigningKey key)
    {
        var k = key.PublicJwk;
        return TypedResults.Ok(new JwksDocument([new JsonWebKeyDto(k.Kty, k.Use, k.Alg, k.Kid, k.N, k.E)]));
    }
}
