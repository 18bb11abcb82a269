using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace OpsConductor.Shared.Hosting;

/// <summary>JSON, problem details and OpenAPI: the same for every service.</summary>
public static partial class HttpDefaults
{
    public const long MaxRequestBodyBytes = 1024 * 1024;

    public static readonly JsonStringEnumConverter EnumConverter = new(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false);

    public static IServiceCollection AddHttpDefaults(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(EnumConverter);
            // Numbers are numbers: "5" for an int is a 400, and the OpenAPI types say integer, not integer|string.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails();
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddOpenApi(o =>
        {
            // A map of arbitrary JSON values (run parameters) is an object of anything, not an empty object.
            o.AddSchemaTransformer((schema, context, _) =>
            {
                if (context.JsonTypeInfo.Type == typeof(Dictionary<string, JsonElement>))
                {
                    schema.AdditionalProperties = new OpenApiSchema();
                }
                // A polymorphic record's discriminator (RunStreamEvent's "kind") is always written: say so, so clients can narrow on it.
                if (context.JsonTypeInfo.PolymorphismOptions is null && context.JsonTypeInfo.Type.BaseType is { } baseType
                    && context.JsonTypeInfo.Options.GetTypeInfo(baseType).PolymorphismOptions is { } polymorphism
                    && schema.Properties?.ContainsKey(polymorphism.TypeDiscriminatorPropertyName) == true)
                {
                    schema.Required ??= new HashSet<string>();
                    schema.Required.Add(polymorphism.TypeDiscriminatorPropertyName);
                }
                return Task.CompletedTask;
            });
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "OpsConductor API";
                document.Components ??= new OpenApiComponents();
                NonNullableEnums(document.Components);
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "Access token from POST /api/v1/auth/login.",
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] }];
                return Task.CompletedTask;
            });
        });
        return services;
    }

    /// <summary>
    /// An enum's shared schema is built from whichever use comes first; when that is a nullable property
    /// (<c>NotificationEvent? On</c>) the component itself says <c>null</c> is one of its values, and every non-nullable
    /// use (<c>event</c> of a notification) looks nullable too. The component is the enum's values only; a nullable use
    /// already says so itself (<c>oneOf: [null, $ref]</c>).
    /// </summary>
    static void NonNullableEnums(OpenApiComponents components)
    {
        foreach (var schema in (components.Schemas?.Values ?? []).OfType<OpenApiSchema>())
        {
            if (schema.Enum is not { Count: > 0 } values)
            {
                continue;
            }
            for (var i = values.Count - 1; i >= 0; i--)
            {
                if (values[i] is null || values[i]!.GetValueKind() == JsonValueKind.Null)
                {
                    values.RemoveAt(i);
                }
            }
            if (schema.Type is { } type && type.HasFlag(JsonSchemaType.Null))
            {
                schema.Type = type & ~JsonSchemaType.Null;
            }
        }
    }

    [GeneratedRegex("""\s+from\s+".*"\.?$""", RegexOptions.Singleline)]
    private static partial Regex BoundValue();

    /// <summary>Describes a bad request without echoing what the client sent (it may be a secret).</summary>
    internal static string Describe(BadHttpRequestException exception) => exception switch
    {
        { StatusCode: StatusCodes.Status413PayloadTooLarge } => $"The request body is larger than {MaxRequestBodyBytes} bytes.",
        { InnerException: JsonException json } => json.Path is { Length: > 0 } path
            ? $"The request body is not valid JSON or a value has the wrong type (at {path})."
            : "The request body is not valid JSON.",
        _ => BoundValue().Replace(exception.Message, "."),
    };
}

sealed class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }
        httpContext.Response.StatusCode = bad.StatusCode;
        var problem = new ProblemDetails
        {
            Status = bad.StatusCode,
            Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "Bad request",
            Detail = HttpDefaults.Describe(bad),
        };
        if (bad.InnerException is JsonException { Path: { Length: > 0 } path })
        {
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [path] = ["Invalid JSON or wrong type."] };
        }
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }
}
