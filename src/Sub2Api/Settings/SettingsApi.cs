using System.Text.Json;
using Sub2Api.Common;

namespace Sub2Api.Settings;

/// <summary><c>GET /api/v1/settings/public</c>, <c>GET|PUT /api/v1/admin/settings</c>.</summary>
internal static class SettingsApi
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

        admin.MapPut("/settings", async (JsonElement body, SettingsStore store, CancellationToken ct) =>
        {
            if (body.ValueKind != JsonValueKind.Object)
            {
                return Api.BadRequest("request body must be a JSON object");
            }
            var values = new Dictionary<string, string>();
            foreach (var property in body.EnumerateObject())
            {
                if (!SettingDefinitions.All.TryGetValue(property.Name, out var definition))
                {
                    return Api.BadRequest($"unknown setting '{property.Name}'");
                }
                var parsed = definition.Parse(property.Value, out var error);
                if (parsed is null)
                {
                    return Api.BadRequest(error!);
                }
                values[definition.Key] = parsed;
            }
            await store.SetAsync(values, ct);
            return Api.Ok(Render(await store.GetAllAsync(ct)));
        });
    }

    private static Dictionary<string, object> Render(IReadOnlyDictionary<string, string> all) =>
        SettingDefinitions.All.Values.OrderBy(d => d.Key, StringComparer.Ordinal)
            .ToDictionary(d => d.Key, d => d.ToJsonValue(all[d.Key]));
}
