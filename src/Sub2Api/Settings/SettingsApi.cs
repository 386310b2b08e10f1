using System.Text.Json;
using System.Text.RegularExpressions;
using Sub2Api.Common;
using Sub2Api.Security;

namespace Sub2Api.Settings;

/// <summary><c>GET /api/v1/settings/public</c>, <c>GET|PUT /api/v1/admin/settings</c>.</summary>
internal static partial class SettingsApi
{
    public static readonly string Version = typeof(SettingsApi).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static void MapPublicSettings(this RouteGroupBuilder api) =>
        api.MapGet("/settings/public", async (SettingsStore store, CancellationToken ct) =>
        {
            var all = await store.GetAllAsync(ct);
            var result = new Dictionary<string, object>();
            foreach (var definition in SettingDefinitions.All.Values.Where(d => d.IsPublic))
            {
                result[definition.Key] = definition.ToJsonValue(all[definition.Key]);
            }
            result["version"] = Version;
            return Api.Ok(result);
        });

    public static void MapAdminSettings(this RouteGroupBuilder admin)
    {
        admin.MapGet("/settings", async (SettingsStore store, CancellationToken ct) => Api.Ok(Render(await store.GetAllAsync(ct))));

        admin.MapPut("/settings", async (JsonElement body, SettingsStore store, SecretProtector protector, CancellationToken ct) =>
        {
            if (body.ValueKind != JsonValueKind.Object)
            {
                return Api.BadRequest("request body must be a JSON object");
            }
            var values = new Dictionary<string, string>();
            foreach (var property in body.EnumerateObject())
            {
                if (!SettingDefinitions.All.TryGetValue(property.Name, out var definition) || definition.Internal)
                {
                    // The original's settings page, and tools written against it, send every key of the page at
                    // once (SMTP, Turnstile secrets, ops options…). Keys this build does not implement are ignored,
                    // not stored: storing them would keep secrets it never uses. A name that is not a setting name
                    // at all is still a client mistake.
                    if (!SettingName().IsMatch(property.Name))
                    {
                        return Api.BadRequest($"'{Truncate(property.Name)}' is not a setting name (lower-case letters, digits and '_', at most 100 characters)");
                    }
                    continue;
                }
                var parsed = definition.Parse(property.Value, out var error);
                if (parsed is null)
                {
                    return Api.BadRequest(error!);
                }
                if (definition.Kind == SettingKind.Secret)
                {
                    // The page sends back what it showed (nothing) when the secret is not being changed: keep it.
                    if (parsed.Length == 0)
                    {
                        continue;
                    }
                    parsed = protector.Protect(parsed);
                }
                values[definition.Key] = parsed;
            }
            await store.SetAsync(values, ct);
            return Api.Ok(Render(await store.GetAllAsync(ct)));
        });
    }

    [GeneratedRegex(@"^[a-z][a-z0-9_]{0,99}\z", RegexOptions.CultureInvariant)]
    private static partial Regex SettingName();

    private static string Truncate(string name) => name.Length <= 100 ? name : name[..100] + "…";

    /// <summary>Every setting's value, except secrets: for those only <c>&lt;key&gt;_configured</c> says whether one is stored.</summary>
    private static Dictionary<string, object> Render(IReadOnlyDictionary<string, string> all) =>
        SettingDefinitions.All.Values.Where(d => !d.Internal).OrderBy(d => d.Key, StringComparer.Ordinal)
            .ToDictionary(
                d => d.Kind == SettingKind.Secret ? d.Key + "_configured" : d.Key,
                d => d.Kind == SettingKind.Secret ? all[d.Key].Length > 0 : d.ToJsonValue(all[d.Key]));
}
