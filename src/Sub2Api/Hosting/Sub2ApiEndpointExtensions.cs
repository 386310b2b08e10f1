using Sub2Api.Admin.Accounts;
using Sub2Api.Admin.Dashboard;
using Sub2Api.Admin.ErrorPassthrough;
using Sub2Api.Admin.Groups;
using Sub2Api.Admin.Proxies;
using Sub2Api.Admin.DataTransfer;
using Sub2Api.Admin.Usage;
using Sub2Api.Admin.Users;
using Sub2Api.Auth;
using Sub2Api.Codes;
using Sub2Api.Auth.Recovery;
using Sub2Api.Auth.Totp;
using Sub2Api.Common;
using Sub2Api.Email;
using Sub2Api.Ops.ErrorLog;
using Sub2Api.Providers.Anthropic.OAuth;
using Sub2Api.Providers.OpenAI.OAuth;
using Sub2Api.Settings;
using Sub2Api.Subscriptions;
using Sub2Api.UserPortal;
using Sub2Api.WebApp;

namespace Microsoft.AspNetCore.Builder;

internal static class Sub2ApiEndpointExtensions
{
    /// <summary>The middleware order and every route family.</summary>
    public static WebApplication MapSub2Api(this WebApplication app)
    {
        app.UseExceptionHandler();
        // Prometheus scrapes (token-checked when Metrics:Token is set), ahead of the management middlewares.
        app.MapMetrics();
        // Management API only: gateway routes authenticate API keys in the relay and have no policies or rate
        // limits here, and skipping these middlewares saves a DI scope and a few allocations per relayed request.
        app.UseWhen(context => !GatewayEndpoint.Is(context), management =>
        {
            // Unknown paths and wrong methods under /v1 and /api: the family's error shape, not an empty body.
            management.UseUnmatchedRouteErrors();
            // The web app at "/" and its pages: requests no route matched, outside /api, /v1 and /health.
            management.UseWebApp(app.Configuration, app.Logger);
            // Other bodiless answers under /api/v1 (e.g. 415) get the management envelope.
            management.UseStatusCodePages(Sub2Api.Common.ErrorHandling.WriteEmptyErrorAsync);
            management.Use(Sub2Api.Common.QueryStringGuard.RejectNulAsync);
            management.UseAuthentication();
            management.UseAuthorization();
            management.UseRateLimiter();
        });
        // UseWhen's branch keeps its own copy of the builder properties, so WebApplication would not see that
        // authentication and authorization are placed and would add a second, unconditional pair in front of
        // everything (its automatic UseAuthentication/UseAuthorization checks these two keys).
        var properties = ((IApplicationBuilder)app).Properties;
        properties["__AuthenticationMiddlewareSet"] = true;
        properties["__AuthorizationMiddlewareSet"] = true;

        app.MapGet("/health", () => TypedResults.Ok(new { status = "ok" }));
        app.MapReadiness();
        app.MapApiReference();
        // The original's install wizard: always complete here (outside /api/v1, as the original serves it).
        Sub2Api.Admin.SystemInfo.SetupApi.MapSetup(app);

        // Gateway routes (API keys): /v1/messages, count_tokens, models, usage.
        app.MapRelay();

        var api = app.MapGroup("/api/v1");
        api.MapAuthApi();
        api.MapAccountSecurity();
        api.MapPublicSettings();
        api.MapRegistrationCodesApi();

        // User routes: any logged-in user.
        var user = api.MapGroup("").RequireAuthorization();
        user.MapProfileApi();
        user.MapTotpApi();
        user.MapKeysApi();
        user.MapAvailableGroupsApi();
        user.MapUserUsageApi();
        user.MapUserUsageDashboardApi();
        user.MapRedeemApi();
        user.MapUserSubscriptions();
        user.MapGroupRatesApi();
        user.MapUserApiKeysUsage();
        Sub2Api.Announcements.UserAnnouncementsApi.MapUserAnnouncements(user);

        // Admin routes: admin role only.
        var admin = api.MapGroup("/admin").RequireAuthorization(Sub2ApiServiceCollectionExtensions.AdminPolicy);
        admin.MapAdminUsers();
        admin.MapAdminGroups();
        admin.MapAdminAccounts();
        admin.MapAdminAccountState();
        admin.MapClaudeOAuth();
        admin.MapOpenAIOAuth();
        admin.MapAdminAccountInsights();
        admin.MapAdminAccountTest();
        admin.MapAdminAccountUsage();
        admin.MapAdminErrorPassthroughRules();
        admin.MapAdminAccountRefresh();
        admin.MapAdminProxies();
        admin.MapAdminProxyTools();
        admin.MapAdminAccountBulk();
        admin.MapAdminDataTransfer();
        admin.MapAdminSettings();
        admin.MapAdminSmtp();
        admin.MapAdminUsage();
        admin.MapAdminDashboard();
        admin.MapAdminSubscriptions();
        admin.MapOpsErrors();
        admin.MapOpsAlerts();
        admin.MapAdminRedeemCodes();
        admin.MapAdminPromoCodes();
        Sub2Api.Ops.Dashboard.OpsDashboardApi.MapOpsDashboard(admin);
        // The rest of the original's management contract (issue 13).
        admin.MapAdminUserInsights();
        admin.MapAdminGroupInsights();
        admin.MapAdminUsageSearch();
        Sub2Api.Admin.Usage.Cleanup.UsageCleanupApi.MapAdminUsageCleanup(admin);
        admin.MapAdminDashboardBatch();
        admin.MapAdminApiKeySettings();
        admin.MapStreamTimeoutSettings();
        Sub2Api.Admin.SystemInfo.SystemApi.MapAdminSystem(admin);
        Sub2Api.Announcements.AdminAnnouncementsApi.MapAdminAnnouncements(admin);
        Sub2Api.UserAttributes.AdminUserAttributesApi.MapAdminUserAttributes(admin);

        // "Sub2Api is listening on http://localhost:8080 …" once the server is up.
        app.AnnounceConsoleAddress();
        return app;
    }
}
