using System.Net.Mail;

namespace Sub2Api.Common;

/// <summary>Field checks that return the message to show, or null when the value is fine.</summary>
internal static class Validate
{
    public static string? Email(string? email, string field = "email")
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return $"{field} is required";
        }
        var trimmed = email.Trim();
        return trimmed.Length > 255 || !MailAddress.TryCreate(trimmed, out var parsed) || parsed.Address != trimmed
            ? $"{field} is not a valid email address"
            : null;
    }

    public static string? OneOf(string? value, string field, IReadOnlyCollection<string> allowed, bool required = true)
    {
        if (value is null)
        {
            return required ? $"{field} is required" : null;
        }
        return allowed.Contains(value) ? null : $"{field} must be one of: {string.Join(", ", allowed)}";
    }

    public static string? Required(string? value, string field, int maxLength = 255) =>
        string.IsNullOrWhiteSpace(value) ? $"{field} is required"
        : value.Length > maxLength ? $"{field} must be at most {maxLength} characters"
        : null;

    public static string? Range(int? value, string field, int min, int max) =>
        value is { } v && (v < min || v > max) ? $"{field} must be between {min} and {max}" : null;

    /// <summary>The first non-null message, for chaining several checks.</summary>
    public static string? First(params string?[] errors) => errors.FirstOrDefault(e => e is not null);
}
