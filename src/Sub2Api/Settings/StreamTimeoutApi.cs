using System.Text.Json;
using Sub2Api.Common;

namespace Sub2Api.Settings;

/// <summary>What to do about an account whose streams keep timing out: nothing, fail the request, or take the account out of scheduling for a while.</summary>
internal sealed record StreamTimeoutSettings(bool Enabled, string Action, int TempUnschedMinutes, int ThresholdCount, int ThresholdWindowMinutes)
{
    public static readonly StreamTimeoutSettings Default = new(false, Actions.TempUnsched, 5, 3, 10);

    private static readonly JsonSerializerOptions Stored = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static class Actions
    {
        public const string TempUnsched = "temp_unsched";
        public const string Error = "error";
        public const string None = "none";
        public static readonly string[] All = [TempUnsched, Error, None];
    }

    public string? Validate() => Common.Validate.First(
        Common.Validate.OneOf(Action, "action", Actions.All),
        TempUnschedMinutes is < 1 or > 60 ? "temp_unsched_minutes must be between 1 and 60" : null,
        ThresholdCount is < 1 or > 1000 ? "threshold_count must be between 1 and 1000" : null,
        ThresholdWindowMinutes is < 1 or > 1440 ? "threshold_window_minutes must be between 1 and 1440" : null);

    public string ToJson() => JsonSerializer.Serialize(this, Stored);

    /// <summary>The stored JSON, or the defaults when nothing (or something unreadable) is stored.</summary>
    public static StreamTimeoutSettings FromJson(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return Default;
        }
        try
        {
            return JsonSerializer.Deserialize<StreamTimeoutSettings>(json, Stored) is { } read && read.Validate() is null ? read : Default;
        }
        catch (JsonException)
        {
            return Default;
        }
    }
}

/// <summary>PUT body: every field optional; what is absent keeps its current value.</summary>
internal sealed record UpdateStreamTimeoutRequest(bool? Enabled, string? Action, int? TempUnschedMinutes, int? ThresholdCount,
    int? ThresholdWindowMinutes);

/// <summary><c>GET|PUT /admin/settings/stream-timeout</c>, stored as one JSON setting (<c>stream_timeout_settings</c>).</summary>
internal static class StreamTimeoutApi
{
    public static void MapStreamTimeoutSettings(this RouteGroupBuilder admin)
    {
        admin.MapGet("/settings/stream-timeout", async (SettingsStore store, CancellationToken ct) =>
            Api.Ok(StreamTimeoutSettings.FromJson(await store.GetAsync(SettingDefinitions.StreamTimeoutSettings, ct))));

        admin.MapPut("/settings/stream-timeout", async (UpdateStreamTimeoutRequest req, SettingsStore store, CancellationToken ct) =>
        {
            var current = StreamTimeoutSettings.FromJson(await store.GetAsync(SettingDefinitions.StreamTimeoutSettings, ct));
            var updated = new StreamTimeoutSettings(
                req.Enabled ?? current.Enabled,
                req.Action?.Trim() ?? current.Action,
                req.TempUnschedMinutes ?? current.TempUnschedMinutes,
                req.ThresholdCount ?? current.ThresholdCount,
                req.ThresholdWindowMinutes ?? current.ThresholdWindowMinutes);
            if (updated.Validate() is { } error)
            {
                return Api.BadRequest(error);
            }
            await store.SetAsync(new Dictionary<string, string> { [SettingDefinitions.StreamTimeoutSettings] = updated.ToJson() }, ct);
            return Api.Ok(updated);
        });
    }
}
