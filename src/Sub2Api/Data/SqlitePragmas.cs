using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Sub2Api.Data;

/// <summary>
/// Per-connection SQLite settings. WAL with <c>synchronous=NORMAL</c> is durable across process crashes
/// (only a power loss can drop the last commits, and the usage journal covers those records until they are
/// committed); <c>FULL</c> would fsync on every commit for no gain here.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
