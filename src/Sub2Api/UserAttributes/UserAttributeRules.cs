using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Sub2Api.Common;
using Sub2Api.Data.Entities;

namespace Sub2Api.UserAttributes;

/// <summary>Checks of definitions (when the admin writes one) and of values (when a user's values are written).</summary>
internal static partial class UserAttributeRules
{
    public const string Text = "text";
    public const string Textarea = "textarea";
    public const string Number = "number";
    public const string Email = "email";
    public const string Url = "url";
    public const string Date = "date";
    public const string Select = "select";
    public const string MultiSelect = "multi_select";
    public static readonly string[] Types = [Text, Textarea, Number, Email, Url, Date, Select, MultiSelect];

    public const int MaxValueLength = 4000;
    public const int MaxOptions = 100;
    public const int MaxPatternLength = 500;
    /// <summary>A pattern is the admin's, but a catastrophic one must not hold a request thread.</summary>
    private static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(200);

    [GeneratedRegex("^[a-z][a-z0-9_]{0,63}$")]
    private static partial Regex KeyPattern();

    public static bool IsSelect(string type) => type is Select or MultiSelect;

    public static string? CheckKey(string? key) =>
        string.IsNullOrEmpty(key) ? "key is required"
        : KeyPattern().IsMatch(key) ? null
        : "key must start with a lowercase letter and contain only lowercase letters, digits and underscores (at most 64 characters)";

    /// <summary>Checks the body and applies it to <paramref name="d"/> (the key is set by the caller).</summary>
    public static string? Apply(UserAttributeDefinition d, UserAttributeDefinitionRequest req, bool creating)
    {
        var name = req.Name?.Trim();
        var error = Validate.First(
            creating || name is not null ? Validate.Required(name, "name", 128) : null,
            req.Description is { Length: > 1000 } ? "description must be at most 1000 characters" : null,
            req.Placeholder is { Length: > 255 } ? "placeholder must be at most 255 characters" : null,
            Validate.OneOf(creating ? req.Type ?? "" : req.Type, "type", Types, required: false));
        if (error is not null)
        {
            return error;
        }
        var type = req.Type ?? d.Type;
        var options = req.Options ?? (creating ? [] : UserAttributeStorage.Options(d));
        var validation = req.Validation ?? (creating ? UserAttributeValidation.None : UserAttributeStorage.Validation(d));
        if ((CheckOptions(type, options, out var cleanOptions) ?? CheckValidation(validation)) is { } invalid)
        {
            return invalid;
        }
        d.Name = name ?? d.Name;
        d.Description = req.Description?.Trim() ?? d.Description;
        d.Placeholder = req.Placeholder?.Trim() ?? d.Placeholder;
        d.Type = type;
        d.Options = UserAttributeStorage.Write(cleanOptions);
        d.Validation = UserAttributeStorage.Write(validation with { Pattern = string.IsNullOrWhiteSpace(validation.Pattern) ? null : validation.Pattern });
        d.Required = req.Required ?? d.Required;
        d.Enabled = req.Enabled ?? (creating || d.Enabled);
        return null;
    }

    private static string? CheckOptions(string type, IReadOnlyList<UserAttributeOption> options, out List<UserAttributeOption> clean)
    {
        clean = [];
        if (!IsSelect(type))
        {
            // Options mean nothing for other types; they are dropped rather than kept stale.
            return null;
        }
        if (options.Count == 0)
        {
            return $"options are required for a {type} attribute";
        }
        if (options.Count > MaxOptions)
        {
            return $"options must have at most {MaxOptions} entries";
        }
        foreach (var option in options)
        {
            var value = option?.Value?.Trim();
            if (string.IsNullOrEmpty(value) || value.Length > 255)
            {
                return "every option needs a value of 1 to 255 characters";
            }
            var label = option!.Label?.Trim();
            if (label is { Length: > 255 })
            {
                return "option labels must be at most 255 characters";
            }
            if (clean.Any(o => o.Value == value))
            {
                return $"option value \"{value}\" appears twice";
            }
            clean.Add(new UserAttributeOption(value, string.IsNullOrEmpty(label) ? value : label));
        }
        return null;
    }

    private static string? CheckValidation(UserAttributeValidation v)
    {
        if (v.MinLength is < 0 or > MaxValueLength || v.MaxLength is < 0 or > MaxValueLength)
        {
            return $"validation.min_length and max_length must be between 0 and {MaxValueLength}";
        }
        if (v.MinLength > v.MaxLength)
        {
            return "validation.min_length must not exceed max_length";
        }
        if (v.Min is { } min && Math.Abs(min) > MoneyBounds.MaxAmount || v.Max is { } max && Math.Abs(max) > MoneyBounds.MaxAmount)
        {
            return $"validation.min and max must be between -{MoneyBounds.MaxAmount} and {MoneyBounds.MaxAmount}";
        }
        if (v.Min > v.Max)
        {
            return "validation.min must not exceed max";
        }
        if (v.Message is { Length: > 255 })
        {
            return "validation.message must be at most 255 characters";
        }
        if (string.IsNullOrWhiteSpace(v.Pattern))
        {
            return null;
        }
        if (v.Pattern.Length > MaxPatternLength)
        {
            return $"validation.pattern must be at most {MaxPatternLength} characters";
        }
        try
        {
            _ = new Regex(v.Pattern, RegexOptions.None, PatternTimeout);
            return null;
        }
        catch (ArgumentException e)
        {
            return $"validation.pattern is not a valid regular expression: {e.Message}";
        }
    }

    /// <summary>
    /// The text to store for <paramref name="raw"/> (null: remove the value), or the message saying why it is refused.
    /// Multi-select values are stored as a JSON array of option values.
    /// </summary>
    public static string? NormalizeValue(UserAttributeDefinition d, JsonElement raw, out string? stored)
    {
        stored = null;
        string text;
        switch (raw.ValueKind)
        {
            case JsonValueKind.Null or JsonValueKind.Undefined:
                return null;
            case JsonValueKind.String:
                text = raw.GetString()!.Trim();
                break;
            case JsonValueKind.Number:
                text = raw.GetRawText();
                break;
            case JsonValueKind.True or JsonValueKind.False:
                text = raw.GetRawText();
                break;
            case JsonValueKind.Array when d.Type == MultiSelect:
                if (raw.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
                {
                    return $"{d.Name}: a multi_select value must be an array of strings";
                }
                text = raw.GetRawText();
                break;
            default:
                return $"{d.Name}: the value must be a string";
        }
        if (text.Length == 0)
        {
            return null;
        }
        if (text.Length > MaxValueLength)
        {
            return $"{d.Name} must be at most {MaxValueLength} characters";
        }
        if (d.Type == MultiSelect)
        {
            return NormalizeMultiSelect(d, text, out stored);
        }
        if (CheckValue(d, text) is { } error)
        {
            return error;
        }
        stored = text;
        return null;
    }

    private static string? NormalizeMultiSelect(UserAttributeDefinition d, string text, out string? stored)
    {
        stored = null;
        List<string> picked;
        if (text.StartsWith('['))
        {
            try
            {
                picked = JsonSerializer.Deserialize<List<string>>(text, UserAttributeStorage.Json) ?? [];
            }
            catch (JsonException)
            {
                return $"{d.Name}: a multi_select value must be a JSON array of strings";
            }
        }
        else
        {
            picked = [.. text.Split(',')];
        }
        picked = picked.Select(p => p?.Trim() ?? "").Where(p => p.Length > 0).Distinct().ToList();
        var options = UserAttributeStorage.Options(d);
        if (picked.FirstOrDefault(p => options.All(o => o.Value != p)) is { } unknown)
        {
            return $"{d.Name}: invalid option {unknown}";
        }
        stored = picked.Count == 0 ? null : UserAttributeStorage.Write(picked);
        // The stored JSON array is longer than a comma-separated input: the column's limit applies to it.
        return stored is { Length: > MaxValueLength } ? $"{d.Name} must be at most {MaxValueLength} characters" : null;
    }

    private static string? CheckValue(UserAttributeDefinition d, string value)
    {
        var v = UserAttributeStorage.Validation(d);
        if (v.MinLength is { } minLength && value.Length < minLength)
        {
            return $"{d.Name} must be at least {minLength} characters";
        }
        if (v.MaxLength is { } maxLength && value.Length > maxLength)
        {
            return $"{d.Name} must be at most {maxLength} characters";
        }
        var typeError = d.Type switch
        {
            Number => CheckNumber(d, v, value),
            Email => Validate.Email(value, d.Name),
            Url => Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                ? null : $"{d.Name} must be an http(s) URL",
            Date => DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                ? null : $"{d.Name} must be a date (YYYY-MM-DD)",
            Select => UserAttributeStorage.Options(d).Any(o => o.Value == value) ? null : $"{d.Name}: invalid option",
            _ => null,
        };
        if (typeError is not null)
        {
            return typeError;
        }
        return CheckPattern(d, v, value);
    }

    private static string? CheckNumber(UserAttributeDefinition d, UserAttributeValidation v, string value)
    {
        if (!decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return $"{d.Name} must be a number";
        }
        if (v.Min is { } min && number < min)
        {
            return $"{d.Name} must be at least {min}";
        }
        return v.Max is { } max && number > max ? $"{d.Name} must be at most {max}" : null;
    }

    private static string? CheckPattern(UserAttributeDefinition d, UserAttributeValidation v, string value)
    {
        if (string.IsNullOrWhiteSpace(v.Pattern))
        {
            return null;
        }
        try
        {
            return Regex.IsMatch(value, v.Pattern, RegexOptions.None, PatternTimeout)
                ? null
                : string.IsNullOrEmpty(v.Message) ? $"{d.Name} format is invalid" : v.Message;
        }
        catch (RegexMatchTimeoutException)
        {
            return $"{d.Name} could not be checked against its pattern in time";
        }
        catch (ArgumentException)
        {
            return $"{d.Name} has an invalid pattern";
        }
    }
}
