using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sub2Api.Scheduling;

/// <summary>One admin rule: an upstream error with this status whose body mentions a keyword benches the account.</summary>
internal sealed record TempUnschedulableRule(int ErrorCode, IReadOnlyList<string> Keywords, int DurationMinutes, string Description);

/// <summary>The rule that matched an upstream error, and the keyword it found.</summary>
internal readonly record struct TempUnschedulableMatch(int RuleIndex, TempUnschedulableRule Rule, string Keyword);

/// <summary>
/// <c>credentials.temp_unschedulable_rules</c>: a list of <c>{error_code, keywords[], duration_minutes, description}</c>.
/// On an upstream error (never a 401: that one belongs to the token refresh) the first rule whose code matches and one
/// of whose keywords appears, case-insensitively, in the first 64 KB of the error body takes the account out of
/// scheduling for that many minutes. <c>credentials.temp_unschedulable_enabled: false</c> switches the rules off
/// without deleting them (the original's form sends both).
/// </summary>
internal static class TempUnschedulableRules
{
    public const string RulesKey = "temp_unschedulable_rules";
    public const string EnabledKey = "temp_unschedulable_enabled";
    public const int MaxBodyBytes = 64 * 1024;
    public const int MaxReasonMessageChars = 2048;
    private const int MaxRules = 50;
    private const int MaxDurationMinutes = 30 * 24 * 60;

    /// <summary>Null when the credentials' rules are acceptable (or absent); otherwise what is wrong, for a 400.</summary>
    public static string? Validate(JsonObject credentials)
    {
        if (credentials[EnabledKey] is { } enabled && enabled.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            return $"credentials.{EnabledKey} must be true or false";
        }
        var node = credentials[RulesKey];
        if (node is null)
        {
            return null;
        }
        if (node is not JsonArray rules)
        {
            return $"credentials.{RulesKey} must be a list of rules";
        }
        if (rules.Count > MaxRules)
        {
            return $"credentials.{RulesKey} may hold at most {MaxRules} rules";
        }
        for (var i = 0; i < rules.Count; i++)
        {
            var where = $"credentials.{RulesKey}[{i}]";
            if (rules[i] is not JsonObject rule)
            {
                return $"{where} must be an object";
            }
            if (!TryInt(rule["error_code"], out var code) || code is < 100 or > 599)
            {
                return $"{where}.error_code must be an HTTP status code (100-599)";
            }
            if (rule["keywords"] is not JsonArray keywords || keywords.Count == 0
                || keywords.Any(k => k is null || k.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(k.GetValue<string>())))
            {
                return $"{where}.keywords must be a non-empty list of non-empty strings";
            }
            if (!TryInt(rule["duration_minutes"], out var minutes) || minutes is < 1 or > MaxDurationMinutes)
            {
                return $"{where}.duration_minutes must be a whole number of minutes between 1 and {MaxDurationMinutes}";
            }
            if (rule["description"] is { } description && description.GetValueKind() != JsonValueKind.String)
            {
                return $"{where}.description must be a string";
            }
        }
        return null;
    }

    /// <summary>The rules in force, for the account snapshot. Lenient: a rule that does not parse is left out.</summary>
    public static IReadOnlyList<TempUnschedulableRule> Parse(JsonObject credentials)
    {
        if (credentials[EnabledKey] is JsonValue enabled && enabled.TryGetValue<bool>(out var on) && !on)
        {
            return [];
        }
        if (credentials[RulesKey] is not JsonArray rules)
        {
            return [];
        }
        var parsed = new List<TempUnschedulableRule>(rules.Count);
        foreach (var node in rules)
        {
            if (node is JsonObject rule && TryInt(rule["error_code"], out var code) && TryInt(rule["duration_minutes"], out var minutes)
                && minutes > 0 && rule["keywords"] is JsonArray keywords)
            {
                var words = keywords
                    .Where(k => k is not null && k.GetValueKind() == JsonValueKind.String && !string.IsNullOrWhiteSpace(k.GetValue<string>()))
                    .Select(k => k!.GetValue<string>().Trim())
                    .ToArray();
                var description = rule["description"] is JsonValue d && d.TryGetValue<string>(out var text) ? text : "";
                parsed.Add(new TempUnschedulableRule(code, words, minutes, description));
            }
            else
            {
                // Keep indexes aligned with what the admin configured: rule_index in the reason points into their list.
                parsed.Add(new TempUnschedulableRule(0, [], 0, ""));
            }
        }
        return parsed;
    }

    /// <summary>The first rule that matches this upstream error, or null. 401s never match.</summary>
    public static TempUnschedulableMatch? Match(IReadOnlyList<TempUnschedulableRule> rules, int status, ReadOnlySpan<byte> body)
    {
        if (rules.Count == 0 || status == 401)
        {
            return null;
        }
        string? text = null;
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            if (rule.ErrorCode != status)
            {
                continue;
            }
            text ??= Encoding.UTF8.GetString(body.Length > MaxBodyBytes ? body[..MaxBodyBytes] : body);
            foreach (var keyword in rule.Keywords)
            {
                if (text.Contains(keyword, StringComparison.OrdinalIgnoreCase))
                {
                    return new TempUnschedulableMatch(i, rule, keyword);
                }
            }
        }
        return null;
    }

    /// <summary>The reason stored with the mark, as the original writes it.</summary>
    public static string Reason(TempUnschedulableMatch match, int status, DateTime triggeredAt, DateTime until, ReadOnlySpan<byte> body)
    {
        var message = Encoding.UTF8.GetString(body.Length > MaxBodyBytes ? body[..MaxBodyBytes] : body);
        if (message.Length > MaxReasonMessageChars)
        {
            // Never cut a surrogate pair in half: the reason must stay valid JSON text.
            var cut = char.IsHighSurrogate(message[MaxReasonMessageChars - 1]) ? MaxReasonMessageChars - 1 : MaxReasonMessageChars;
            message = message[..cut];
        }
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["until_unix"] = new DateTimeOffset(until).ToUnixTimeSeconds(),
            ["triggered_at_unix"] = new DateTimeOffset(triggeredAt).ToUnixTimeSeconds(),
            ["status_code"] = status,
            ["matched_keyword"] = match.Keyword,
            ["rule_index"] = match.RuleIndex,
            ["error_message"] = message,
        });
    }

    private static bool TryInt(JsonNode? node, out int value)
    {
        value = 0;
        if (node is not JsonValue v)
        {
            return false;
        }
        if (v.TryGetValue<int>(out value))
        {
            return true;
        }
        // The original's form posts numbers, but some clients send them as strings or as 5.0.
        if (v.TryGetValue<double>(out var d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue)
        {
            value = (int)d;
            return true;
        }
        return v.TryGetValue<string>(out var s) && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
    }
}
