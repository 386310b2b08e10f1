using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Sub2Api.FuzzTests.Generation;

/// <summary>Which error shape a route answers in.</summary>
internal enum RouteFamily
{
    /// <summary>Gateway routes (API keys): Anthropic's <c>{"type":"error","error":{"type","message"}}</c>.</summary>
    Gateway,
    /// <summary>Management API (<c>/api/*</c>): the envelope with a numeric <c>code</c> and a <c>message</c>.</summary>
    Management,
    /// <summary>Anything else (<c>/health</c>): no shape required, only never a 5xx.</summary>
    Other,
}

/// <summary>Who the route expects; requests are mostly sent as that caller so they get past authentication.</summary>
internal enum RouteCaller { Anonymous, User, Admin, ApiKey }

/// <summary>One method of one route of the app, as the fuzzer sees it.</summary>
internal sealed partial record FuzzRoute(string Method, string Pattern, RouteFamily Family, RouteCaller Caller, IReadOnlyList<string> Parameters)
{
    public bool HasBody => Method is "POST" or "PUT" or "PATCH";

    public string Name => $"{Method} {Pattern}";

    /// <summary>The entity the route's <c>{id}</c> names, from the path segment before it ("users", "keys", …).</summary>
    public string Entity
    {
        get
        {
            var segments = Pattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var index = Array.FindIndex(segments, s => s.StartsWith('{'));
            return index > 0 ? segments[index - 1] : "";
        }
    }

    /// <summary>The path with each parameter replaced by the value <paramref name="valueOf"/> gives for its name.</summary>
    public string Path(Func<string, string> valueOf) => ParameterPattern().Replace(Pattern, m => valueOf(m.Groups[1].Value));

    /// <summary>The family of any path (also of paths no route matches), by the same rules as for routes.</summary>
    public static RouteFamily FamilyOf(string path, bool gatewayMetadata = false) =>
        gatewayMetadata || path.StartsWith("/v1/", StringComparison.Ordinal) || path == "/v1" ? RouteFamily.Gateway
        : path.StartsWith("/api/", StringComparison.Ordinal) ? RouteFamily.Management
        : RouteFamily.Other;

    /// <summary>
    /// Every route of the running app, from its endpoint data source: a route added later is fuzzed without
    /// touching this project. Gateway routes are recognised by the relay's endpoint metadata, so
    /// <c>/api/event_logging/batch</c> counts as gateway traffic.
    /// </summary>
    public static IReadOnlyList<FuzzRoute> Discover(EndpointDataSource source)
    {
        var routes = new List<FuzzRoute>();
        foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');
            var gateway = endpoint.Metadata.Any(m => m.GetType().Name == "GatewayEndpoint");
            var family = FamilyOf(pattern, gateway);
            var authorize = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>();
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var caller = family == RouteFamily.Gateway ? RouteCaller.ApiKey
                : anonymous || authorize.Count == 0 ? RouteCaller.Anonymous
                : authorize.Any(a => !string.IsNullOrEmpty(a.Policy) || !string.IsNullOrEmpty(a.Roles)) ? RouteCaller.Admin
                : RouteCaller.User;
            var parameters = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToList();
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            routes.AddRange(methods.Select(method => new FuzzRoute(method, pattern, family, caller, parameters)));
        }
        return [.. routes.DistinctBy(r => r.Name).OrderBy(r => r.Name, StringComparer.Ordinal)];
    }

    [GeneratedRegex(@"\{\**([A-Za-z_][A-Za-z0-9_]*)[^}]*\}")]
    private static partial Regex ParameterPattern();
}
