using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Sub2Api.Data;

// Used only by `dotnet ef migrations add` (see Data/Migrations/README.md); never at run time.

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteSub2ApiDbContext>
{
    public SqliteSub2ApiDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<SqliteSub2ApiDbContext>()
        .UseSqlite("Data Source=design.db").UseSnakeCaseNamingConvention().Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresSub2ApiDbContext>
{
    public PostgresSub2ApiDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<PostgresSub2ApiDbContext>()
        .UseNpgsql("Host=localhost;Database=design").UseSnakeCaseNamingConvention().Options);
}
