using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sub2Api.FuzzTests.Generation;

namespace Sub2Api.FuzzTests.Infrastructure;

/// <summary>
/// What the fuzzer seeds through the app's own API before fuzzing, and every secret it created on the way.
/// The "victim" rows (changed) and "doomed" rows (deleted) exist so that routes which change or delete what their id
/// names can be sent a valid id without breaking the callers the rest of the run depends on.
/// </summary>
internal sealed class FuzzWorld
{
    private readonly Dictionary<string, string> _secrets = new(StringComparer.Ordinal);

    public string AdminJwt { get; private set; } = "";
    public string UserJwt { get; private set; } = "";
    public string UserRefreshToken { get; private set; } = "";
    public string AdminRefreshToken { get; private set; } = "";
    public string UserEmail { get; } = $"fuzz-user-{Guid.NewGuid():N}"[..20] + "@example.com";
    public string UserPassword { get; } = "fuzz-user-pw-" + Guid.NewGuid().ToString("N")[..12];
    public string GatewayKey { get; private set; } = "";
    /// <summary>A key of an OpenAI group (an OpenAI API-key account on the same fake upstream): the OpenAI routes' caller.</summary>
    public string OpenAIGatewayKey { get; private set; } = "";
    public string AccountApiKey { get; } = "sk-ant-api03-fuzz-" + Guid.NewGuid().ToString("N");
    public string ProxyPassword { get; } = "fuzz-proxy-pw-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Ids by entity ("users", "groups", …): the ones the run uses, and victims that may be changed.</summary>
    public Dictionary<string, long> Ids { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, long> VictimIds { get; } = new(StringComparer.Ordinal);

    /// <summary>Rows only DELETE routes name: deleting a victim would leave the changing routes nothing to change.</summary>
    public Dictionary<string, long> DoomedIds { get; } = new(StringComparer.Ordinal);

    /// <summary>Every secret the run knows, by name; none of them may appear in any log line.</summary>
    public IReadOnlyDictionary<string, string> Secrets => _secrets;

    public static async Task<FuzzWorld> SeedAsync(HttpClient http, string upstreamUrl)
    {
        var world = new FuzzWorld();
        world.Remember("admin password", FuzzApp.AdminPassword);
        world.Remember("user password", world.UserPassword);
        world.Remember("account upstream api key", world.AccountApiKey);
        world.Remember("proxy password", world.ProxyPassword);

        var adminLogin = await CallAsync(http, "POST", "/api/v1/auth/login", null,
            new JsonObject { ["email"] = FuzzApp.AdminEmail, ["password"] = FuzzApp.AdminPassword });
        world.AdminJwt = world.Remember("admin JWT", adminLogin["access_token"]!.GetValue<string>());
        world.AdminRefreshToken = world.Remember("admin refresh token", adminLogin["refresh_token"]!.GetValue<string>());
        var admin = world.AdminJwt;

        foreach (var (ids, name) in new[] { (world.Ids, "fuzz-gateway"), (world.VictimIds, "fuzz-victim"), (world.DoomedIds, "fuzz-doomed") })
        {
            ids["groups"] = await CreateAsync(http, "/api/v1/admin/groups", admin,
                new JsonObject { ["name"] = name, ["platform"] = "anthropic", ["rate_multiplier"] = 1 });
            ids["proxies"] = await CreateAsync(http, "/api/v1/admin/proxies", admin, new JsonObject
            {
                ["name"] = name, ["protocol"] = "http", ["host"] = "127.0.0.1", ["port"] = 9, ["username"] = "fuzz",
                ["password"] = world.ProxyPassword,
            });
            // The run's account serves the gateway group straight; the others sit behind a (dead) proxy, in their own
            // groups, so nothing the fuzzer does to them can reach the run's gateway traffic.
            ids["accounts"] = await CreateAsync(http, "/api/v1/admin/accounts", admin, new JsonObject
            {
                ["name"] = name, ["platform"] = "anthropic", ["type"] = "apikey", ["concurrency"] = 100,
                ["credentials"] = new JsonObject { ["api_key"] = world.AccountApiKey, ["base_url"] = upstreamUrl },
                ["group_ids"] = new JsonArray(ids["groups"]),
                ["proxy_id"] = ids == world.Ids ? null : ids["proxies"],
            });
            ids["users"] = await CreateAsync(http, "/api/v1/admin/users", admin, new JsonObject
            {
                ["email"] = ids == world.Ids ? world.UserEmail : $"{name}-{Guid.NewGuid():N}"[..24] + "@example.com",
                ["password"] = world.UserPassword, ["balance"] = 1_000_000, ["concurrency"] = 100,
            });
        }

        var userLogin = await CallAsync(http, "POST", "/api/v1/auth/login", null,
            new JsonObject { ["email"] = world.UserEmail, ["password"] = world.UserPassword });
        world.UserJwt = world.Remember("user JWT", userLogin["access_token"]!.GetValue<string>());
        world.UserRefreshToken = world.Remember("user refresh token", userLogin["refresh_token"]!.GetValue<string>());

        var key = await CallAsync(http, "POST", "/api/v1/keys", world.UserJwt,
            new JsonObject { ["name"] = "fuzz-gateway", ["group_id"] = world.Ids["groups"] });
        world.GatewayKey = world.Remember("gateway API key", key["key"]!.GetValue<string>());
        world.Ids["keys"] = key["id"]!.GetValue<long>();
        // The OpenAI routes get a key of an OpenAI group, so their parsers and translators are fuzzed, not only the
        // platform check in front of them.
        var openAIGroup = await CreateAsync(http, "/api/v1/admin/groups", admin,
            new JsonObject { ["name"] = "fuzz-openai", ["platform"] = "openai", ["rate_multiplier"] = 1 });
        await CreateAsync(http, "/api/v1/admin/accounts", admin, new JsonObject
        {
            ["name"] = "fuzz-openai", ["platform"] = "openai", ["type"] = "apikey", ["concurrency"] = 100,
            ["credentials"] = new JsonObject { ["api_key"] = world.AccountApiKey, ["base_url"] = upstreamUrl },
            ["group_ids"] = new JsonArray(openAIGroup),
        });
        var openAIKey = await CallAsync(http, "POST", "/api/v1/keys", world.UserJwt,
            new JsonObject { ["name"] = "fuzz-openai", ["group_id"] = openAIGroup });
        world.OpenAIGatewayKey = world.Remember("OpenAI gateway API key", openAIKey["key"]!.GetValue<string>());
        foreach (var (ids, name) in new[] { (world.VictimIds, "victim"), (world.DoomedIds, "doomed") })
        {
            var other = await CallAsync(http, "POST", "/api/v1/keys", world.UserJwt, new JsonObject { ["name"] = "fuzz-" + name });
            world.Remember(name + " API key", other["key"]!.GetValue<string>());
            ids["keys"] = other["id"]!.GetValue<long>();
        }

        // One real relay round trip: proves the gateway reaches the fake upstream and leaves a usage row to read.
        using var message = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent(BodyTemplates.ValidMessage().ToJsonString(), Encoding.UTF8, "application/json"),
        };
        message.Headers.Add("x-api-key", world.GatewayKey);
        using var relayed = await http.SendAsync(message);
        var relayedBody = await relayed.Content.ReadAsStringAsync();
        if (!relayed.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"seeding: the gateway did not relay a valid request: {(int)relayed.StatusCode} {relayedBody}");
        }
        world.Ids["usage"] = world.VictimIds["usage"] = world.DoomedIds["usage"] = 1;
        foreach (var ids in new[] { world.Ids, world.VictimIds, world.DoomedIds })
        {
            ids["announcements"] = await CreateAsync(http, "/api/v1/admin/announcements", admin,
                BodyTemplates.Announcement(ids["groups"], Guid.NewGuid().ToString("N")));
            ids["user-attributes"] = await CreateAsync(http, "/api/v1/admin/user-attributes", admin,
                BodyTemplates.UserAttribute("fuzz_" + Guid.NewGuid().ToString("N")[..12]));
        }
        return world;
    }

    private string Remember(string name, string secret)
    {
        _secrets[name] = secret;
        return secret;
    }

    private static async Task<long> CreateAsync(HttpClient http, string path, string token, JsonObject body) =>
        (await CallAsync(http, "POST", path, token, body))["id"]!.GetValue<long>();

    /// <summary>One seeding call; anything but a success envelope stops the run with the answer.</summary>
    private static async Task<JsonNode> CallAsync(HttpClient http, string method, string path, string? token, JsonObject body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = response.IsSuccessStatusCode ? JsonNode.Parse(text) : null;
        if (json?["code"]?.GetValueKind() != JsonValueKind.Number || json["code"]!.GetValue<int>() != 0)
        {
            throw new InvalidOperationException($"seeding: {method} {path} answered {(int)response.StatusCode}: {text}");
        }
        return json["data"]!;
    }
}
