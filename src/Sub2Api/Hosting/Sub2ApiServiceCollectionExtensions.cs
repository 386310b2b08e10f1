using Microsoft.AspNetCore.Http.Json;
using Sub2Api.Admin.Accounts;
using Sub2Api.Auth;
using Sub2Api.Auth.Recovery;
using Sub2Api.Common;
using Sub2Api.Configuration;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Security;
using Sub2Api.Settings;
using Sub2Api.WebApp;

namespace Microsoft.Extensions.DependencyInjection;

internal static class Sub2ApiServiceCollectionExtensions
{
    public const string AdminPolicy = "admin";

    /// <summary>Everything the gateway needs, one call per concern.</summary>
    public static WebApplicationBuilder AddSub2Api(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;
        var dataDirectory = DataDirectory.From(configuration);

        // Logging: credentials (keys in URLs, auth headers, tokens) are redacted from every entry, at every level.
        builder.Logging.AddSecretRedaction();

        // Configuration: options per concern, the run mode, and the persisted secrets.
        services.AddSingleton(dataDirectory);
        services.AddSingleton(RunMode.From(configuration));
        services.AddSingleton(SecretStore.Load(configuration, dataDirectory));
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<JwtOptions>().BindConfiguration(JwtOptions.Section);
        services.AddOptions<DefaultOptions>().BindConfiguration(DefaultOptions.Section);
        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.Section);
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section);

        // Data: EF Core on SQLite (default) or PostgreSQL.
        services.AddData(configuration, dataDirectory);

        // Security: credential encryption, API-key hashing, JWT.
        services.AddSingleton<SecretProtector>();
        services.AddSingleton<ApiKeys>();
        services.AddSingleton<JwtTokens>();
        services.AddScoped<AuthSessions>();
        services.AddSingleton<SettingsStore>();
        services.AddSingleton<Sub2Api.Email.EmailSender>();
        services.AddSingleton<CredentialsCodec>();
        services.AddSingleton<Sub2Api.Admin.Proxies.ProxyTester>();
        services.AddCodes();

        // Multi-node mode (Redis:ConnectionString set): Redis versions of the state ports, the cluster bus, leases.
        // Before AddRelay, whose in-memory defaults only fill what is still missing.
        services.AddRedis(configuration);

        // Metrics, traces and the ops error log's recorder (before the relay, which reports to them).
        services.AddObservability(configuration);
        services.AddOpsErrorLog();
        services.AddOpsAlerts(configuration);

        // The relay: scheduling, upstream forwarding, streaming, billing.
        services.AddRelay();
        services.AddAccountInsights();

        // The web app's static files (compressed; the API's JSON is not).
        services.AddWebApp();

        // The providers: each adds its relay routes, upstream adapter, health rules and OAuth flows.
        services.AddAnthropic();
        services.AddOpenAI();

        // Account credentials outside the scheduling snapshot, and token refresh (job, inline, after a 401).
        services.AddAccountCredentials();

        // Jobs that run once per cluster (expiry sweeps), each under a lease.
        services.AddClusterJobs();
        Sub2Api.Admin.Usage.Cleanup.UsageCleanupServiceCollectionExtensions.AddUsageCleanup(services);

        // /health/ready: database, Redis (when configured), usage writer.
        services.AddReadinessChecks();

        // The OpenAPI document of /api/v1 and its reference page.
        services.AddApiReference();

        // Management API plumbing: auth, rate limits, JSON wire format, error envelope.
        // No default scheme — not even the automatic one ASP.NET Core picks when only one scheme exists: only
        // endpoints with a policy authenticate, so gateway requests (API keys, often sent as
        // "Authorization: Bearer sk-…") never pay for the bearer handler or JWT parsing.
        AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", true);
        services.AddAuthentication()
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, BearerAuthenticationHandler>(
                BearerAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .SetDefaultPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder(BearerAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser().Build())
            .AddPolicy(AdminPolicy, p => p.AddAuthenticationSchemes(BearerAuthenticationHandler.SchemeName).RequireRole(Roles.Admin));
        services.AddAuthRateLimits(configuration);
        services.AddAccountSecurity(configuration);
        services.Configure<JsonOptions>(o => JsonDefaults.Apply(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ErrorHandling>();
        services.AddProblemDetails();
        return builder;
    }
}
