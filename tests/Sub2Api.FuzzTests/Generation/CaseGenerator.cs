using System.Text;
using System.Text.Json;
using Sub2Api.FuzzTests.Infrastructure;

namespace Sub2Api.FuzzTests.Generation;

/// <summary>
/// Turns a seeded <see cref="Random"/> into requests: every route in turn (the relay's POST routes more often),
/// each with one kind of bad input — a broken body, extreme query values, a bad path id, a wrong credential, a real
/// secret in the query string — and otherwise sent as the route's own caller, so it gets past authentication
/// and reaches validation. Now and then a route that does not exist, or a method a route does not allow.
/// </summary>
internal sealed class CaseGenerator
{
    // Never a form of a real id ("+1", "01" parse as 1): a probe must not change the rows the run depends on. No %00
    // either: Kestrel refuses it in the path before the app runs, so no route could answer it in its own shape.
    private static readonly string[] BadIds =
    [
        "abc", "-1", "0", "99999999999999999999", "9223372036854775808", "9223372036854775807", "-9223372036854775808",
        "18446744073709551616", "1.5", "1e3", "0x10", "+0", "-0", "00", "%20", "%FF", "%C0%AF", "%F0%9F%98%80", "%D9%A1", "null", "true",
        "1%2F2", "..", "%2E%2E", "1;2", "%E2%80%AE1",
    ];

    // Paging and date ranges are read by most list and stats routes: half of all query parameters are these.
    private static readonly string[] CommonQueryNames = ["page", "page_size", "limit", "start_date", "end_date", "start_time", "end_time", "period"];

    private static readonly string[] QueryNames =
    [
        "user_id", "api_key_id", "account_id", "group_id", "model", "stream", "billing_type", "search", "status", "platform", "type",
        "role", "timezone", "sort_by", "sort_order", "id", "q",
    ];

    private static readonly string[] NumberValues =
    [
        "0", "-1", "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808", "1e309", "1e3", "1.5",
        "abc", "", "%20", "99999999999999999999999999999", "NaN", "-0", "0x1F", "١",
    ];

    private static readonly string[] DateValues =
    [
        "9999-12-31", "9999-12-31", "0001-01-01", "0001-01-01", "10000-01-01", "2024-02-30", "2024-13-01", "garbage", "9999-12-31T23:59:59Z", "0000-00-00",
        "-0001-01-01", "1970-01-01", "2024-01-01T25:00:00", "9999-12-31%2023:59:59.9999999", "0001-01-01T00:00:00%2B14:00",
        "9999-12-31T23:59:59-14:00", "99999999999999", "-62135596801", "253402300800", "1e20", "%FF", "",
    ];

    private static readonly string[] TextValues =
    [
        "%FF", "%C0%AF", "%ED%A0%80", "%", "%zz", "%F0%9F%92%A9", "%00", "%E2%82", "%27%20OR%201=1--", "%25", "a%00b",
        "today", "week", "month", "all", "true", "false", "yes", "%5B%5D", "%7B%7D", "claude-sonnet-4-5", "UTC", "Mars/Olympus",
        "created_at", "desc", "x", "", "admin", "anthropic", "active",
    ];

    private static readonly string[] StrayPaths =
    [
        "/v1/nope", "/v1/messages/nope", "/v1/complete", "/v1/models/claude-x", "/v1/messages/count_tokens/x", "/v1/",
        "/v1/messages/batches", "/api/v1/nope", "/api/v1/admin/nope", "/api/v1/admin/users/1/nope", "/api/v2/users", "/api/",
        "/api/v1/keys/1/nope", "/nope", "/v1/%FF", "/api/v1/admin/%FF",
    ];

    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH"];

    private readonly List<FuzzRoute> _schedule;
    // Detail: the query string of an "extreme-query" case, or the index of the value a per-value mutation breaks.
    private readonly List<(FuzzRoute? Route, string Kind, string? Detail)> _sweep = [];

    // The most extreme value of each common query parameter, sent alone so no other check answers first.
    private static readonly (string Name, string[] Values)[] ExtremeQueries =
    [
        ("page", ["2147483647", "9223372036854775808"]), ("page_size", ["2147483647"]), ("limit", ["2147483647"]),
        ("start_date", ["9999-12-31", "0001-01-01"]), ("end_date", ["9999-12-31", "0001-01-01"]),
        ("start_time", ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z"]), ("end_time", ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z"]),
        ("period", ["month"]),
    ];
    private readonly IReadOnlyList<FuzzRoute> _routes;
    private readonly FuzzWorld _world;
    private readonly string _upstreamUrl;
    private readonly Random _random;
    private int _drawn;

    public CaseGenerator(IReadOnlyList<FuzzRoute> routes, FuzzWorld world, string upstreamUrl, Random random)
    {
        _routes = routes;
        _world = world;
        _upstreamUrl = upstreamUrl;
        _random = random;
        // The relay reads the most client bytes of any route: give its POST routes a larger share.
        _schedule = [.. routes];
        foreach (var route in routes.Where(r => r.Family == RouteFamily.Gateway && r.HasBody && r.Pattern.StartsWith("/v1/", StringComparison.Ordinal)))
        {
            _schedule.AddRange(Enumerable.Repeat(route, route.Pattern == "/v1/messages" ? 5 : 2));
        }
        // First a sweep, in random order: every route gets every kind of input at least once, so a short run (or a
        // small FUZZ_REQUESTS) still covers everything; the random phase after it goes deeper.
        foreach (var route in routes)
        {
            var kinds = new List<string> { "query", "query", "query", "auth:" + Pick(AuthVariants), "secret-in-query", "valid" };
            if (!route.HasBody)
            {
                kinds.AddRange(["query", "query", "query"]);
            }
            if (route.Parameters.Count > 0)
            {
                kinds.AddRange(["path-id", "path-id"]);
            }
            if (route.HasBody)
            {
                kinds.AddRange([.. JsonMutator.Kinds, "invalid-utf8", "lone-surrogate", "content-type"]);
            }
            _sweep.AddRange(kinds.Select(kind => ((FuzzRoute?)route, kind, (string?)null)));
            if (route.Method == "GET")
            {
                _sweep.AddRange(ExtremeQueries.SelectMany(q => q.Values.Select(v => ((FuzzRoute?)route, "extreme-query", (string?)$"{q.Name}={v}"))));
            }
            if (route.HasBody)
            {
                var template = BodyTemplates.For(route, world, upstreamUrl, new Random(0));
                var numbers = JsonMutator.CountValues(template, JsonValueKind.Number);
                // Twice each: templates vary (a balance "set" one time, an "add" the next).
                _sweep.AddRange(Enumerable.Range(0, numbers * 2).Select(i => ((FuzzRoute?)route, "huge-number", (string?)$"{i / 2}")));
                if (route.Family == RouteFamily.Gateway)
                {
                    var strings = JsonMutator.CountValues(template, JsonValueKind.String);
                    _sweep.AddRange(Enumerable.Range(0, strings).SelectMany(i => new[]
                    {
                        ((FuzzRoute?)route, "invalid-utf8", (string?)$"{i}"), ((FuzzRoute?)route, "lone-surrogate", (string?)$"{i}"),
                    }));
                }
            }
        }
        _sweep.AddRange(Enumerable.Repeat(((FuzzRoute?)null, "stray", (string?)null), StrayPaths.Length + 10));
        _random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_sweep));
    }

    /// <summary>How many requests the sweep takes (after it, inputs are drawn at random).</summary>
    public int SweepLength => _sweep.Count;

    /// <summary>Whether every sweep request has been drawn.</summary>
    public bool SweepDone => _drawn >= _sweep.Count;

    /// <summary>The next generated request, numbered <paramref name="number"/>.</summary>
    public FuzzCase Next(int number)
    {
        var draw = _drawn++;
        var (route, kind, detail) = draw < _sweep.Count ? _sweep[draw] : (_schedule[draw % _schedule.Count], "", null);
        if (route is null || (draw >= _sweep.Count && _random.Next(100) < 5))
        {
            return _random.Next(2) == 0 ? StrayPath(number) : WrongMethod(number);
        }
        return Build(number, route, kind.Length > 0 ? kind : PickKind(route), detail);
    }

    /// <summary>
    /// A follow-up after the app accepted an extreme value: the same request again (adding 7.9e28 twice overflows
    /// where once does not), then a valid one to the same route (a stored 7.9e28 must not break the next ordinary request).
    /// </summary>
    public FuzzCase After(FuzzCase accepted, bool repeat, int number) => repeat
        ? accepted with { Number = number, Kind = "repeated accepted " + accepted.Kind }
        : Build(number, accepted.Source!, "valid", null) with { Kind = "valid after accepted " + accepted.Kind };

    private FuzzCase Build(int number, FuzzRoute route, string kind, string? detail)
    {
        var path = route.Path(name => kind == "path-id" ? Pick(BadIds) : IdFor(route));
        var query = kind switch
        {
            // One extreme value among none, or several at once: checks that reject the first bad value hide the rest.
            "query" => Query(_random.Next(3) == 0 ? _random.Next(2, 5) : 1),
            "extreme-query" => detail!,
            "secret-in-query" => SecretInQuery() + (_random.Next(2) == 0 ? "&" + Query(1) : ""),
            _ => "",
        };
        var headers = kind.StartsWith("auth:", StringComparison.Ordinal) ? AuthVariant(route, kind["auth:".Length..]) : Credentials(route);
        byte[]? body = null;
        string? contentType = null;
        if (route.HasBody)
        {
            var template = BodyTemplates.For(route, _world, _upstreamUrl, _random);
            body = detail is not null && int.TryParse(detail, out var index)
                ? JsonMutator.MutateValue(kind, template, kind == "huge-number" ? JsonValueKind.Number : JsonValueKind.String, index, _random)
                : JsonMutator.Kinds.Contains(kind) ? JsonMutator.Mutate(kind, template, _random)
                : Encoding.UTF8.GetBytes(template.ToJsonString());
            contentType = kind == "content-type" ? Pick(WrongContentTypes) : "application/json";
        }
        return new FuzzCase(number, route.Name, route.Family, kind, route.Method, path + (query.Length > 0 ? "?" + query : ""), headers,
            body, contentType) { Source = route };
    }

    private static readonly string[] WrongContentTypes =
    [
        "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "application/json; charset=utf-16", "application/json; charset=iso-8859-1", "application/octet-stream", "*/*", "json",
        "application/json; charset=\"", "", "NONE",
    ];

    private string PickKind(FuzzRoute route)
    {
        var roll = _random.Next(100);
        var hasId = route.Parameters.Count > 0;
        if (route.HasBody)
        {
            return roll switch
            {
                < 60 => Pick(JsonMutator.Kinds),
                < 68 => "query",
                < 76 when hasId => "path-id",
                < 86 => "auth:" + Pick(AuthVariants),
                < 92 => "content-type",
                < 96 => "secret-in-query",
                _ => "valid",
            };
        }
        return roll switch
        {
            < 45 => "query",
            < 65 when hasId => "path-id",
            < 85 => "auth:" + Pick(AuthVariants),
            < 95 => "secret-in-query",
            _ => "valid",
        };
    }

    /// <summary>An id that exists: the run's own for reads, a doomed row's for deletes, a victim's for other changes.</summary>
    private string IdFor(FuzzRoute route)
    {
        var ids = route.Method switch
        {
            "GET" => _world.Ids,
            "DELETE" => _world.DoomedIds,
            _ => _world.VictimIds,
        };
        return ids.TryGetValue(route.Entity, out var id) ? id.ToString(System.Globalization.CultureInfo.InvariantCulture) : "1";
    }

    private string Query(int count)
    {
        var parts = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var name = _random.Next(2) == 0 ? Pick(CommonQueryNames) : Pick(QueryNames);
            var value = name switch
            {
                "start_date" or "end_date" or "start_time" or "end_time" => Pick(DateValues),
                "page" or "page_size" or "limit" or "user_id" or "api_key_id" or "account_id" or "group_id" or "id" => Pick(NumberValues),
                _ => _random.Next(4) == 0 ? Pick(NumberValues) : Pick(TextValues),
            };
            parts.Add(name + "=" + value);
        }
        // The same name twice, now and then: query binders pick one or join them.
        if (_random.Next(8) == 0)
        {
            parts.Add(parts[0]);
        }
        return string.Join("&", parts);
    }

    private string SecretInQuery() => _random.Next(6) switch
    {
        0 => "key=" + _world.GatewayKey,
        1 => "api_key=" + _world.GatewayKey,
        2 => "token=" + _world.AdminJwt,
        3 => "access_token=" + _world.UserJwt,
        4 => "refresh_token=" + _world.UserRefreshToken,
        _ => "password=" + Uri.EscapeDataString(_world.UserPassword),
    };

    private static readonly string[] AuthVariants =
        ["none", "garbage", "other-role", "wrong-header", "refresh-as-bearer", "oversized", "malformed-jwt", "non-ascii"];

    /// <summary>The OpenAI API's routes are called with a key of an OpenAI group, every other gateway route with the Claude one.</summary>
    private string KeyFor(FuzzRoute route) =>
        route.Pattern.Contains("/responses", StringComparison.Ordinal) || route.Pattern.Contains("/chat/completions", StringComparison.Ordinal)
            ? _world.OpenAIGatewayKey
            : _world.GatewayKey;

    /// <summary>How the route's own caller authenticates.</summary>
    private List<KeyValuePair<string, string>> Credentials(FuzzRoute route) => route.Caller switch
    {
        RouteCaller.ApiKey => _random.Next(3) == 0 ? [Header("Authorization", "Bearer " + KeyFor(route))] : [Header("x-api-key", KeyFor(route))],
        RouteCaller.Admin => [Header("Authorization", "Bearer " + _world.AdminJwt)],
        RouteCaller.User => [Header("Authorization", "Bearer " + _world.UserJwt)],
        _ => [],
    };

    private List<KeyValuePair<string, string>> AuthVariant(FuzzRoute route, string variant)
    {
        var gateway = route.Family == RouteFamily.Gateway;
        var tampered = _world.UserJwt[..^3] + (_world.UserJwt.EndsWith("AAA", StringComparison.Ordinal) ? "BBB" : "AAA");
        string value = variant switch
        {
            "garbage" => gateway ? "sk-" + new string('0', 64) : "garbage.token.here",
            "other-role" => route.Caller == RouteCaller.Admin || gateway ? _world.UserJwt : _world.AdminJwt,
            "refresh-as-bearer" => _world.UserRefreshToken,
            "oversized" => "sk-" + new string('A', 20_000),
            "malformed-jwt" => Pick(["eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIiwicm9sZSI6ImFkbWluIn0.", tampered, "a.b.c", "...", "Bearer x", "\t"]),
            "non-ascii" => "tökén-ß-😀-" + _world.GatewayKey,
            _ => "",
        };
        return variant switch
        {
            "none" => [],
            "wrong-header" => gateway
                ? [Pick([Header("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(_world.GatewayKey))),
                    Header("api-key", _world.GatewayKey), Header("Cookie", "key=" + _world.GatewayKey),
                    Header("x-goog-api-key", _world.UserJwt), Header("x-api-key", "Bearer " + _world.GatewayKey)])]
                : [Pick([Header("x-api-key", _world.GatewayKey), Header("Authorization", "Bearer " + _world.GatewayKey),
                    Header("Authorization", _world.AdminJwt), Header("Cookie", "token=" + _world.AdminJwt),
                    Header("Authorization", "bearer  " + _world.AdminJwt + " extra")])],
            _ => gateway ? [Header("x-api-key", value)] : [Header("Authorization", "Bearer " + value)],
        };
    }

    /// <summary>A path no route matches, with any method, as the caller its family expects.</summary>
    private FuzzCase StrayPath(int number)
    {
        var path = Pick(StrayPaths);
        var family = FuzzRoute.FamilyOf(path);
        var method = Pick(Methods);
        var headers = family == RouteFamily.Gateway ? [Header("x-api-key", _world.GatewayKey)]
            : path.StartsWith("/api/v1/admin", StringComparison.Ordinal) ? [Header("Authorization", "Bearer " + _world.AdminJwt)]
            : new List<KeyValuePair<string, string>> { Header("Authorization", "Bearer " + _world.UserJwt) };
        var body = method is "POST" or "PUT" or "PATCH" ? Encoding.UTF8.GetBytes("{\"model\":\"claude-sonnet-4-5\"}") : null;
        return new FuzzCase(number, path, family, "unknown-route", method, path, headers, body, body is null ? null : "application/json");
    }

    /// <summary>A real route with a method it does not allow.</summary>
    private FuzzCase WrongMethod(int number)
    {
        var route = Pick(_routes);
        var allowed = _routes.Where(r => r.Pattern == route.Pattern).Select(r => r.Method).ToHashSet();
        var method = Methods.FirstOrDefault(m => !allowed.Contains(m) && _random.Next(2) == 0) ?? Methods.First(m => !allowed.Contains(m));
        var path = route.Path(_ => IdFor(route));
        return new FuzzCase(number, method + " " + route.Pattern, route.Family, "wrong-method", method, path, Credentials(route), null, null);
    }

    private static KeyValuePair<string, string> Header(string name, string value) => new(name, value);

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];
}
