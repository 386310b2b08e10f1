using System.Text.Json;

namespace Sub2Api.Providers.OpenAI;

/// <summary>How long a ChatGPT account stays benched, from its usage snapshot and the 429 body. Pure: the caller
/// passes the snapshot, the body and the clock.</summary>
internal static class CodexRateLimit
{
    private static readonly TimeSpan DefaultCooldown = TimeSpan.FromMinutes(5);

    // Ten years: a "reset" further out is garbage, not a window.
    private static readonly TimeSpan MaxReset = TimeSpan.FromDays(3650);

    /// <summary>
    /// 1) the 7-day window is full → its reset; 2) the 5-hour window is full → its reset; 3) the body's
    /// <c>error.resets_at</c> (unix seconds) or <c>error.resets_in_seconds</c> when <c>error.type</c> is
    /// usage_limit_reached or rate_limit_exceeded; 4) the SOONER of the 5-hour reset and now + 5 minutes.
    /// </summary>
    /// <remarks>Rule 4 deliberately differs from the original, which took the later of the two windows' resets and
    /// benched an account for hours (up to days) on a burst 429 while neither window was anywhere near full.</remarks>
    public static DateTime ResetFrom429(CodexUsageSnapshot? snapshot, ReadOnlySpan<byte> errorBody, DateTime utcNow)
    {
        if (ExhaustedReset(snapshot?.SevenDay, utcNow) is { } weekly)
        {
            return weekly;
        }
        if (ExhaustedReset(snapshot?.FiveHour, utcNow) is { } fiveHour)
        {
            return fiveHour;
        }
        if (BodyReset(errorBody, utcNow) is { } fromBody)
        {
            return fromBody;
        }
        var fallback = utcNow + DefaultCooldown;
        return snapshot?.FiveHour?.ResetAt is { } reset && reset > utcNow && reset < fallback ? reset : fallback;
    }

    /// <summary>
    /// A successful answer that reports a full window means the next request will be refused: rest until that
    /// window resets (the later reset when both are full, since both must clear). Null when nothing is full.
    /// </summary>
    public static DateTime? CooldownFromSuccess(CodexUsageSnapshot? snapshot, DateTime utcNow)
    {
        var fiveHour = ExhaustedReset(snapshot?.FiveHour, utcNow);
        var sevenDay = ExhaustedReset(snapshot?.SevenDay, utcNow);
        return (fiveHour, sevenDay) switch
        {
            ({ } a, { } b) => a > b ? a : b,
            _ => fiveHour ?? sevenDay,
        };
    }

    private static DateTime? ExhaustedReset(CodexUsageWindow? window, DateTime utcNow) =>
        window is { IsExhausted: true, ResetAt: { } reset } && reset > utcNow ? reset : null;

    /// <summary>The reset a usage_limit_reached / rate_limit_exceeded body states; null when it states none in
    /// the future (or is not JSON).</summary>
    public static DateTime? BodyReset(ReadOnlySpan<byte> body, DateTime utcNow)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("error"u8))
                {
                    reader.Skip();
                    continue;
                }
                reader.Read();
                return reader.TokenType == JsonTokenType.StartObject ? ReadError(ref reader, utcNow) : null;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
        return null;
    }

    private static DateTime? ReadError(ref Utf8JsonReader reader, DateTime utcNow)
    {
        var limitType = false;
        double? resetsAt = null, resetsIn = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                limitType = reader.TokenType == JsonTokenType.String
                    && (reader.ValueTextEquals("usage_limit_reached"u8) || reader.ValueTextEquals("rate_limit_exceeded"u8));
            }
            else if (reader.ValueTextEquals("resets_at"u8))
            {
                resetsAt = Number(ref reader);
            }
            else if (reader.ValueTextEquals("resets_in_seconds"u8))
            {
                resetsIn = Number(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }
        if (!limitType)
        {
            return null;
        }
        if (resetsAt is { } unix && unix > 0 && unix < 253_402_300_799)
        {
            var at = DateTimeOffset.FromUnixTimeSeconds((long)unix).UtcDateTime;
            if (at > utcNow && at - utcNow < MaxReset)
            {
                return at;
            }
        }
        return resetsIn is { } seconds && seconds > 0 && seconds < MaxReset.TotalSeconds ? utcNow.AddSeconds(seconds) : null;
    }

    /// <summary>A number, or a numeric string (some proxies quote them).</summary>
    private static double? Number(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.Number when reader.TryGetDouble(out var value) => value,
            JsonTokenType.String when double.TryParse(reader.GetString(), System.Globalization.NumberStyles.Float,
                System.Globalization.CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => SkipNull(ref reader),
        };
    }

    private static double? SkipNull(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }
}
