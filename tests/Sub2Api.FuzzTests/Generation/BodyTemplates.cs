using System.Text.Json.Nodes;
using Sub2Api.FuzzTests.Infrastructure;

namespace Sub2Api.FuzzTests.Generation;

/// <summary>
/// A valid body per route family, the starting point of every body mutation: a mutation of a valid body gets past
/// the easy checks and reaches the deep ones. A route without its own template (one added later) gets a small
/// generic object, which still exercises its binding and validation.
/// </summary>
internal static class BodyTemplates
{
    /// <summary>A valid Anthropic Messages request that reads every field the relay looks at.</summary>
    public static JsonObject ValidMessage(bool stream = false) => new()
    {
        ["model"] = "claude-sonnet-4-5",
        ["max_tokens"] = 64,
        ["stream"] = stream,
        ["system"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "You are a fuzz target." }),
        ["messages"] = new JsonArray(
            new JsonObject
            {
                ["role"] = "user",
                ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "hello" }),
            },
            new JsonObject { ["role"] = "assistant", ["content"] = "hi" },
            new JsonObject { ["role"] = "user", ["content"] = "how are you?" }),
        ["metadata"] = new JsonObject { ["user_id"] = "user_fuzz_account__session_0b0b0b0b-0000-4000-8000-000000000000" },
        ["thinking"] = new JsonObject { ["type"] = "enabled", ["budget_tokens"] = 1024 },
        ["temperature"] = 1,
        ["tools"] = new JsonArray(new JsonObject
        {
            ["name"] = "get_weather",
            ["description"] = "weather",
            ["input_schema"] = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() },
        }),
    };

    /// <summary>The template for <paramref name="route"/>; ids name the run's or the victim's rows.</summary>
    public static JsonNode For(FuzzRoute route, FuzzWorld world, string upstreamUrl, Random random)
    {
        var unique = random.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var gatewayGroup = world.Ids["groups"];
        var victimGroup = world.VictimIds["groups"];
        var pattern = route.Path(_ => "{id}");
        return (route.Method, pattern) switch
        {
            ("POST", "/v1/messages") => ValidMessage(random.Next(2) == 0),
            ("POST", "/v1/messages/count_tokens") => ValidMessage().Also(m => m.Remove("stream")),
            ("POST", "/api/event_logging/batch") => new JsonObject
            {
                ["events"] = new JsonArray(new JsonObject { ["event_type"] = "fuzz", ["event_data"] = new JsonObject() }),
            },
            ("POST", "/api/v1/auth/login") => new JsonObject { ["email"] = world.UserEmail, ["password"] = world.UserPassword },
            ("POST", "/api/v1/auth/register") => new JsonObject
            {
                ["email"] = $"reg{unique}@example.com", ["password"] = "fuzz-register-pw-1", ["username"] = "fuzz",
            },
            ("POST", "/api/v1/auth/refresh") or ("POST", "/api/v1/auth/logout") =>
                new JsonObject { ["refresh_token"] = world.UserRefreshToken },
            ("PUT", "/api/v1/user/profile") or ("PUT", "/api/v1/user") => new JsonObject { ["username"] = "fuzz-" + unique },
            // A wrong old password: changing the password would end the session every other user route relies on.
            ("PUT", "/api/v1/user/password") => new JsonObject { ["old_password"] = "not-the-password", ["new_password"] = "fuzz-new-pw-123" },
            ("POST", "/api/v1/keys") => new JsonObject
            {
                ["name"] = "fuzz-" + unique, ["group_id"] = gatewayGroup, ["custom_key"] = "", ["ip_whitelist"] = new JsonArray("127.0.0.1"),
                ["ip_blacklist"] = new JsonArray("10.0.0.0/8"), ["quota"] = 10, ["expires_in_days"] = 30,
            },
            ("PUT", "/api/v1/keys/{id}") => new JsonObject
            {
                ["name"] = "fuzz-" + unique, ["group_id"] = gatewayGroup, ["status"] = "active", ["ip_whitelist"] = new JsonArray(),
                ["ip_blacklist"] = new JsonArray(), ["quota"] = 5, ["expires_at"] = null, ["reset_quota"] = false,
            },
            ("POST", "/api/v1/admin/users") => new JsonObject
            {
                ["email"] = $"created{unique}@example.com", ["password"] = "fuzz-created-pw-1", ["username"] = "u", ["notes"] = "n",
                ["balance"] = 5, ["concurrency"] = 3, ["role"] = "user", ["allowed_groups"] = new JsonArray(victimGroup),
            },
            ("PUT", "/api/v1/admin/users/{id}") => new JsonObject
            {
                ["email"] = $"updated{unique}@example.com", ["username"] = "u2", ["notes"] = "n2", ["concurrency"] = 4,
                ["status"] = "active", ["role"] = "user", ["allowed_groups"] = new JsonArray(victimGroup),
                ["group_rates"] = new JsonObject { [victimGroup.ToString(System.Globalization.CultureInfo.InvariantCulture)] = 1.5 },
            },
            ("POST", "/api/v1/admin/users/{id}/balance") => new JsonObject
            {
                // "add" half the time: the operation that accumulates, so extreme amounts meet.
                ["balance"] = 10, ["operation"] = new[] { "set", "add", "add", "subtract" }[random.Next(4)], ["notes"] = "fuzz",
            },
            ("POST", "/api/v1/admin/groups") or ("PUT", "/api/v1/admin/groups/{id}") => new JsonObject
            {
                ["name"] = "fuzz-group-" + unique, ["description"] = "d", ["platform"] = "anthropic", ["rate_multiplier"] = 1,
                ["is_exclusive"] = false, ["status"] = "active", ["subscription_type"] = "standard", ["daily_limit_usd"] = 10,
                ["weekly_limit_usd"] = 50, ["monthly_limit_usd"] = 100, ["default_validity_days"] = 30, ["image_price_1k"] = 0.1,
                ["claude_code_only"] = false, ["fallback_group_id"] = null,
                ["model_routing"] = new JsonObject { ["claude-*"] = new JsonArray(world.VictimIds["accounts"]) },
                ["model_routing_enabled"] = false, ["mcp_xml_inject"] = false, ["supported_model_scopes"] = new JsonArray("claude"),
                ["sort_order"] = 1,
            },
            ("PUT", "/api/v1/admin/groups/sort-order") => new JsonObject
            {
                ["updates"] = new JsonArray(new JsonObject { ["id"] = victimGroup, ["sort_order"] = 2 }),
            },
            // Accounts the fuzzer creates live in the victim group behind the dead proxy: never picked for the run's traffic.
            ("POST", "/api/v1/admin/accounts") or ("PUT", "/api/v1/admin/accounts/{id}") => new JsonObject
            {
                ["name"] = "fuzz-account-" + unique, ["notes"] = "n", ["platform"] = "anthropic", ["type"] = "apikey",
                ["credentials"] = new JsonObject { ["api_key"] = world.AccountApiKey, ["base_url"] = upstreamUrl },
                ["extra"] = new JsonObject(), ["proxy_id"] = world.VictimIds["proxies"], ["concurrency"] = 1, ["priority"] = 50,
                ["rate_multiplier"] = 1, ["group_ids"] = new JsonArray(victimGroup),
                ["expires_at"] = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds(), ["auto_pause_on_expired"] = true,
                ["schedulable"] = true, ["status"] = "active",
            },
            ("POST", "/api/v1/admin/accounts/{id}/schedulable") => new JsonObject { ["schedulable"] = true },
            ("POST", "/api/v1/admin/proxies") or ("PUT", "/api/v1/admin/proxies/{id}") => new JsonObject
            {
                ["name"] = "fuzz-proxy-" + unique, ["protocol"] = "socks5", ["host"] = "proxy.example.invalid", ["port"] = 1080,
                ["username"] = "u", ["password"] = world.ProxyPassword, ["status"] = "active",
            },
            ("PUT", "/api/v1/admin/settings") => new JsonObject
            {
                ["site_name"] = "Fuzz", ["registration_enabled"] = true, ["default_balance"] = 1, ["default_concurrency"] = 5,
            },
            ("POST", "/api/v1/admin/announcements") or ("PUT", "/api/v1/admin/announcements/{id}") => Announcement(victimGroup, unique),
            ("POST", "/api/v1/admin/user-attributes") or ("PUT", "/api/v1/admin/user-attributes/{id}") => UserAttribute("fuzz_" + unique),
            ("PUT", "/api/v1/admin/user-attributes/reorder") =>
                new JsonObject { ["ids"] = new JsonArray(world.VictimIds["user-attributes"], world.Ids["user-attributes"]) },
            ("POST", "/api/v1/admin/user-attributes/batch") =>
                new JsonObject { ["user_ids"] = new JsonArray(world.Ids["users"], world.VictimIds["users"]) },
            ("PUT", "/api/v1/admin/users/{id}/attributes") => new JsonObject
            {
                ["values"] = new JsonObject { [world.VictimIds["user-attributes"].ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonArray("a", "b") },
            },
            _ => new JsonObject { ["name"] = "fuzz-" + unique, ["value"] = 1, ["enabled"] = true },
        };
    }

    /// <summary>An active announcement with both kinds of targeting condition and a time window.</summary>
    public static JsonObject Announcement(long groupId, string unique) => new()
    {
        ["title"] = "fuzz-" + unique, ["content"] = "line 1\nline 2", ["status"] = "active",
        ["starts_at"] = DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeSeconds(), ["ends_at"] = DateTimeOffset.UtcNow.AddDays(30).ToUnixTimeSeconds(),
        ["targeting"] = new JsonObject
        {
            ["any_of"] = new JsonArray(
                new JsonObject
                {
                    ["all_of"] = new JsonArray(
                        new JsonObject { ["type"] = "subscription", ["operator"] = "in", ["group_ids"] = new JsonArray(groupId) },
                        new JsonObject { ["type"] = "balance", ["operator"] = "gte", ["value"] = 1.5 }),
                },
                new JsonObject { ["all_of"] = new JsonArray(new JsonObject { ["type"] = "balance", ["operator"] = "lt", ["value"] = 10 }) }),
        },
    };

    /// <summary>A multi_select attribute with options and every validation rule (a select type reaches the most checks).</summary>
    public static JsonObject UserAttribute(string key) => new()
    {
        ["key"] = key, ["name"] = "Fuzz " + key, ["description"] = "d", ["type"] = "multi_select", ["required"] = false, ["enabled"] = true,
        ["placeholder"] = "p",
        ["options"] = new JsonArray(new JsonObject { ["value"] = "a", ["label"] = "A" }, new JsonObject { ["value"] = "b", ["label"] = "B" }),
        ["validation"] = new JsonObject { ["min_length"] = 1, ["max_length"] = 100, ["min"] = 0, ["max"] = 10, ["pattern"] = "^[ab\\[\\]\",]+$", ["message"] = "m" },
    };

    private static JsonObject Also(this JsonObject node, Action<JsonObject> change)
    {
        change(node);
        return node;
    }
}
