namespace Sub2Api.Security;

/// <summary>bcrypt (cost 10, as the original), so existing hashes from the original stay valid.</summary>
internal static class PasswordHasher
{
    public const int MinLength = 6;
    public const int MaxLength = 72; // bcrypt ignores bytes past 72

    public static string Hash(string password) => BCrypt.Net.BCrypt.HashPassword(password, workFactor: 10);

    public static bool Verify(string password, string hash)
    {
        try
        {
            return BCrypt.Net.BCrypt.Verify(password, hash);
        }
        catch (BCrypt.Net.SaltParseException)
        {
            return false;
        }
    }

    /// <summary>Null when acceptable, else why not.</summary>
    public static string? Validate(string? password, string field = "password") =>
        string.IsNullOrEmpty(password) ? $"{field} is required"
        : password.Length < MinLength ? $"{field} must be at least {MinLength} characters"
        : System.Text.Encoding.UTF8.GetByteCount(password) > MaxLength ? $"{field} must be at most {MaxLength} bytes"
        : null;
}
