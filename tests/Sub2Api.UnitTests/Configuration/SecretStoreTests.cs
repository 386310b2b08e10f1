using Microsoft.Extensions.Configuration;
using Sub2Api.Configuration;

namespace Sub2Api.UnitTests.Configuration;

public sealed class SecretStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sub2api-secrets-" + Guid.NewGuid().ToString("N"));

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    [Fact]
    public void Load_GeneratesOnce_AndReusesOnRestart()
    {
        var dataDir = DataDirectory.From(Config(("DATA_DIR", _dir)));
        var first = SecretStore.Load(Config(), dataDir);
        var second = SecretStore.Load(Config(), dataDir);
        Assert.Equal(first.JwtSecret, second.JwtSecret);
        Assert.Equal(first.EncryptionKey, second.EncryptionKey);
        Assert.Equal(32, first.EncryptionKey.Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dataDir.File("secrets.json")));
    }

    [Fact]
    public void Load_EnvironmentValuesWin()
    {
        var dataDir = DataDirectory.From(Config(("DATA_DIR", _dir)));
        var key = new string('f', 64);
        var store = SecretStore.Load(Config(("ENCRYPTION_KEY", key), ("JWT_SECRET", new string('j', 40))), dataDir);
        Assert.Equal(Convert.FromHexString(key), store.EncryptionKey);
        Assert.Equal(new string('j', 40), System.Text.Encoding.UTF8.GetString(store.JwtSecret));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")]
    public void Load_BadEncryptionKey_FailsWithClearMessage(string key)
    {
        var dataDir = DataDirectory.From(Config(("DATA_DIR", _dir)));
        var e = Assert.Throws<InvalidOperationException>(() => SecretStore.Load(Config(("ENCRYPTION_KEY", key)), dataDir));
        Assert.Contains("64 hex", e.Message);
    }

    [Theory]
    [InlineData("standard", false)]
    [InlineData("SIMPLE", true)]
    public void RunMode_Parses(string value, bool simple) =>
        Assert.Equal(simple, RunMode.From(Config(("RUN_MODE", value))).IsSimple);

    [Fact]
    public void RunMode_Unknown_Throws() => Assert.Throws<InvalidOperationException>(() => RunMode.From(Config(("RUN_MODE", "turbo"))));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, true);
        }
    }
}
