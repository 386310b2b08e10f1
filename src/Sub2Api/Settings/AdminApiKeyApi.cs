using Sub2Api.Common;

namespace Sub2Api.Settings;

/// <summary>
/// <c>GET /admin/settings/admin-api-key</c> (<c>{exists, masked_key}</c>), <c>POST …/regenerate</c> (<c>{key}</c>: the
/// only time the key is ever shown; any previous key stops working) and <c>DELETE</c>.
/// </summary>
internal static class AdminApiKeyApi
{
    public static void MapAdminApiKeySettings(this RouteGroupBuilder admin)
    {
        var route = admin.MapGroup("/settings/admin-api-key");

        route.MapGet("", async (SettingsStore store, CancellationToken ct) =>
        {
            var hash = await store.GetAsync(SettingDefinitions.AdminApiKeyHash, ct);
            var masked = await store.GetAsync(SettingDefinitions.AdminApiKeyMasked, ct);
            return Api.Ok(new { exists = hash.Length > 0, masked_key = hash.Length > 0 ? masked : "" });
        });

        route.MapPost("/regenerate", async (SettingsStore store, CancellationToken ct) =>
        {
            var key = AdminApiKeys.Generate();
            await store.SetAsync(new Dictionary<string, string>
            {
                [SettingDefinitions.AdminApiKeyHash] = AdminApiKeys.Hash(key),
                [SettingDefinitions.AdminApiKeyMasked] = AdminApiKeys.Mask(key),
            }, ct);
            return Api.Ok(new { key });
        });

        route.MapDelete("", async (SettingsStore store, CancellationToken ct) =>
        {
            await store.SetAsync(new Dictionary<string, string>
            {
                [SettingDefinitions.AdminApiKeyHash] = "",
                [SettingDefinitions.AdminApiKeyMasked] = "",
            }, ct);
            return Api.Ok(new { message = "Admin API key deleted" });
        });
    }
}
