using Npgsql;

namespace Sub2Api.IntegrationTests;

/// <summary>
/// Addresses of the throwaway servers <c>./test.sh</c> starts. Without them a developer's plain
/// <c>dotnet test</c> skips this tier with instructions; under <c>CI=true</c> a missing server fails the run.
/// </summary>
internal static class RealServers
{
    public static string Postgres() => Required("SUB2API_TEST_POSTGRES", "PostgreSQL");

    /// <summary>The throwaway Redis (<c>host:port</c>). Tests share it and keep apart by key prefix.</summary>
    public static string Redis() => Required("SUB2API_TEST_REDIS", "Redis");

    /// <summary>A key prefix no other test uses (every key, channel and lease of one test lives under it).</summary>
    public static string RedisPrefix() => $"sub2api-it-{Guid.NewGuid().ToString("N")[..12]}:";

    private static string Required(string variable, string server)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(value))
        {
            var why = $"{variable} is not set: run ./test.sh, which starts a throwaway {server}.";
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                Assert.Fail(why);
            }
            Assert.Skip(why);
        }
        return value;
    }

    /// <summary>A fresh, empty database for one test; dropped on dispose.</summary>
    public static async Task<TemporaryDatabase> CreatePostgresDatabaseAsync()
    {
        var admin = Postgres();
        var name = "sub2api_it_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new TemporaryDatabase(admin, name, new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString);
    }
}

internal sealed class TemporaryDatabase(string adminConnectionString, string name, string connectionString) : IAsyncDisposable
{
    public string ConnectionString { get; } = connectionString;

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
