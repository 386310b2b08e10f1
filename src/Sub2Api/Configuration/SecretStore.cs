using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sub2Api.Configuration;

/// <summary>
/// The JWT signing secret and the credential encryption key. Taken from JWT_SECRET / ENCRYPTION_KEY when set
/// (a cluster must share them), otherwise generated once and persisted in DATA_DIR/secrets.json — never
/// regenerated on restart, unlike the original, so sessions and stored credentials survive.
/// </summary>
internal sealed class SecretStore
{
    private const string FileName = "secrets.json";
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public required byte[] JwtSecret { get; init; }
    public required byte[] EncryptionKey { get; init; }

    public static SecretStore Load(IConfiguration configuration, DataDirectory dataDirectory)
    {
        var path = dataDirectory.File(FileName);
        var persisted = File.Exists(path)
            ? JsonSerializer.Deserialize<PersistedSecrets>(File.ReadAllText(path)) ?? new PersistedSecrets()
            : new PersistedSecrets();

        var changed = false;
        if (string.IsNullOrEmpty(persisted.JwtSecret))
        {
            persisted.JwtSecret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            changed = true;
        }
        if (string.IsNullOrEmpty(persisted.EncryptionKey))
        {
            persisted.EncryptionKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            changed = true;
        }

        var jwt = configuration["JWT_SECRET"] is { Length: > 0 } configuredJwt ? configuredJwt : null;
        var enc = configuration["ENCRYPTION_KEY"] is { Length: > 0 } configuredKey ? configuredKey : null;
        if (changed && (jwt is null || enc is null))
        {
            Persist(path, persisted);
        }

        if (jwt is not null && jwt.Length < 32)
        {
            throw new InvalidOperationException("JWT_SECRET must be at least 32 characters long.");
        }
        var encryptionKey = ParseEncryptionKey(enc ?? persisted.EncryptionKey!,
            enc is null ? $"{path} (encryption_key)" : "ENCRYPTION_KEY");

        return new SecretStore
        {
            JwtSecret = System.Text.Encoding.UTF8.GetBytes(jwt ?? persisted.JwtSecret!),
            EncryptionKey = encryptionKey,
        };
    }

    private static byte[] ParseEncryptionKey(string hex, string source)
    {
        if (hex.Length != 64 || !hex.All(Uri.IsHexDigit))
        {
            throw new InvalidOperationException($"{source} must be 64 hex characters (32 bytes), e.g. from `openssl rand -hex 32`.");
        }
        return Convert.FromHexString(hex);
    }

    private static void Persist(string path, PersistedSecrets secrets)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(secrets, Indented));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, DataDirectory.PrivateFileMode);
        }
        File.Move(temp, path, overwrite: true);
    }

    private sealed class PersistedSecrets
    {
        [JsonPropertyName("jwt_secret")] public string? JwtSecret { get; set; }
        [JsonPropertyName("encryption_key")] public string? EncryptionKey { get; set; }
    }
}
