using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The management API described: an OpenAPI document of every <c>/api/v1</c> route at <c>/openapi/v1.json</c>, and a
/// browsable reference at <c>/api-docs</c> (Scalar, served from the package — no CDN, no fonts or telemetry fetched).
/// The gateway routes (<c>/v1/messages</c>, <c>/v1/responses</c>, …) are not in it: they speak the upstreams' own APIs,
/// documented by Anthropic and OpenAI.
/// </summary>
internal static class ApiReference
{
    public const string DocumentPath = "/openapi/{documentName}.json";
    public const string PagePath = "/api-docs";

    public static IServiceCollection AddApiReference(this IServiceCollection services) =>
        services.AddOpenApi("v1", options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/v1/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Sub2Api management API",
                    Version = "v1",
                    Description = "Answers are wrapped as {\"code\":0,\"message\":\"success\",\"data\":…}; errors carry a non-zero code and "
                        + "a message. Authenticate with \"Authorization: Bearer <access token>\" from POST /api/v1/auth/login.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                };
                return Task.CompletedTask;
            });
        });

    public static WebApplication MapApiReference(this WebApplication app)
    {
        app.MapOpenApi(DocumentPath);
        app.MapScalarApiReference(PagePath, options => options
            .WithTitle("Sub2Api API reference")
            .WithOpenApiRoutePattern(DocumentPath)
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp());
        return app;
    }
}
