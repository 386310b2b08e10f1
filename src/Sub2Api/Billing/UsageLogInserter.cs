using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Sub2Api.Data;
using Sub2Api.Data.Entities;

namespace Sub2Api.Billing;

/// <summary>
/// Inserts usage rows with one prepared statement reused for every row of a batch. Table, column names,
/// type mappings and value converters come from the EF model, so values are stored exactly as EF would store
/// them on either provider — without EF's change tracking, which cost tens of kilobytes and hundreds of
/// microseconds per row on the writer's loop.
/// </summary>
internal static class UsageLogInserter
{
    public static async Task InsertAsync(Sub2ApiDbContext db, IReadOnlyList<UsageLog> rows, CancellationToken cancellationToken)
    {
        var entity = db.Model.FindEntityType(typeof(UsageLog))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties().Where(p => !p.IsPrimaryKey()).ToList();
        var sql = db.GetService<ISqlGenerationHelper>();
        var insert = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} " +
            $"({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.GetColumnName(table)!)))}) " +
            $"VALUES ({string.Join(", ", columns.Select((_, i) => sql.GenerateParameterNamePlaceholder("p" + i)))})";
        if (db.Database.GetDbConnection() is Microsoft.Data.Sqlite.SqliteConnection sqlite)
        {
            SqliteUsageLogInserter.Insert(sqlite, insert, rows, columns);
            return;
        }

        var mappings = columns.Select(c => (RelationalTypeMapping)c.GetTypeMapping()).ToArray();
        var getters = columns.Select(c => c.GetGetter()).ToArray();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = insert;
        for (var i = 0; i < columns.Count; i++)
        {
            // The first row's values give every parameter its provider type; later rows only swap values.
            command.Parameters.Add(mappings[i].CreateParameter(command, sql.GenerateParameterName("p" + i),
                getters[i].GetClrValue(rows[0]), columns[i].IsNullable));
        }
        await command.PrepareAsync(cancellationToken);
        for (var row = 0; row < rows.Count; row++)
        {
            if (row > 0)
            {
                for (var i = 0; i < columns.Count; i++)
                {
                    var value = getters[i].GetClrValue(rows[row]);
                    command.Parameters[i].Value = value is null
                        ? DBNull.Value
                        : mappings[i].Converter?.ConvertToProvider(value) ?? value;
                }
            }
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
