using Microsoft.EntityFrameworkCore;
using Sub2Api.Configuration;
using Sub2Api.Infrastructure.Caching;

namespace Sub2Api.Data;

internal static class DataExtensions
{
    /// <summary>
    /// Registers <see cref="Sub2ApiDbContext"/> (scoped, for the management API) and
    /// <c>IDbContextFactory&lt;Sub2ApiDbContext&gt;</c> (for singletons and background writers), backed by the
    /// provider-specific context whose migrations match the configured database.
    /// </summary>
    public static IServiceCollection AddData(this IServiceCollection services, IConfiguration configuration, DataDirectory dataDirectory)
    {
        services.AddSingleton<ConfigGeneration>();
        services.AddSingleton<ConfigGenerationInterceptor>();
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        switch (options.Provider.Trim().ToLowerInvariant())
        {
            case "sqlite":
                var sqlite = configuration.GetConnectionString("Sqlite") is { Length: > 0 } cs
                    ? cs
                    : $"Data Source={dataDirectory.File("sub2api.db")};Default Timeout=30";
                services.AddDbContextFactory<SqliteSub2ApiDbContext>((sp, o) => o.UseSqlite(sqlite).UseSnakeCaseNamingConvention()
                    .AddInterceptors(sp.GetRequiredService<ConfigGenerationInterceptor>(), new SqlitePragmas()));
                services.AddSingleton<IDbContextFactory<Sub2ApiDbContext>, DerivedFactory<SqliteSub2ApiDbContext>>();
                break;
            case "postgres" or "postgresql":
                var postgres = configuration.GetConnectionString("Postgres") is { Length: > 0 } pg
                    ? pg
                    : throw new InvalidOperationException("Database:Provider is postgres but ConnectionStrings:Postgres is empty (set ConnectionStrings__Postgres).");
                services.AddDbContextFactory<PostgresSub2ApiDbContext>((sp, o) => o.UseNpgsql(postgres).UseSnakeCaseNamingConvention()
                    .AddInterceptors(sp.GetRequiredService<ConfigGenerationInterceptor>()));
                services.AddSingleton<IDbContextFactory<Sub2ApiDbContext>, DerivedFactory<PostgresSub2ApiDbContext>>();
                break;
            default:
                throw new InvalidOperationException($"Database:Provider must be 'sqlite' or 'postgres', not '{options.Provider}'.");
        }
        services.AddScoped<Sub2ApiDbContext>(sp => sp.GetRequiredService<IDbContextFactory<Sub2ApiDbContext>>().CreateDbContext());
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section);
        return services;
    }

    private sealed class DerivedFactory<T>(IDbContextFactory<T> inner) : IDbContextFactory<Sub2ApiDbContext>
        where T : Sub2ApiDbContext
    {
        public Sub2ApiDbContext CreateDbContext() => inner.CreateDbContext();
    }
}
