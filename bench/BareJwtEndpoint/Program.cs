using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

// Validates OpsConductor's access tokens with the keys the host publishes, then returns a fixed
// list of 50 users shaped like GET /api/v1/users: no database, no paging, no policy beyond "signed in".
var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
var jwks = await new HttpClient().GetStringAsync(builder.Configuration["JwksUrl"] ?? "http://127.0.0.1:5080/api/v1/auth/jwks");
builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
{
    o.MapInboundClaims = false;
    o.TokenValidationParameters = new TokenValidationParameters
    {
        ValidIssuer = "opsconductor",
        ValidAudience = "opsconductor-api",
        IssuerSigningKeys = new JsonWebKeySet(jwks).GetSigningKeys(),
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
    };
});
builder.Services.AddAuthorization();
var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
var now = DateTimeOffset.UtcNow;
var items = Enumerable.Range(1, 50).Select(i => new
{
    id = i,
    username = $"user{i:000}",
    email = $"user{i:000}@example.com",
    fullName = $"Bench User {i}",
    role = "viewer",
    disabled = false,
    createdAt = now,
    updatedAt = now,
}).ToList();
app.MapGet("/api/v1/users", () => new { items, total = 50, page = 1, pageSize = 50 }).RequireAuthorization();
app.Run();
