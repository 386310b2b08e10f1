using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Sub2Api.Billing;

/// <summary>
/// The SQLite side of <see cref="UsageLogInserter"/>: one statement prepared on the raw connection handle, values
/// bound by position. Microsoft.Data.Sqlite binds every parameter by name (a scan over all names per value) and
/// allocates a binder object and a string per value — on the writer's loop that was a third of all the gateway's
/// allocations and a tenth of its CPU under load. Values are written exactly as Microsoft.Data.Sqlite writes them
/// (same storage class, same text format), which a test pins against EF's own inserts.
/// </summary>
internal static class SqliteUsageLogInserter
{
    // Microsoft.Data.Sqlite's formats for the types it stores as TEXT.
    private const string DecimalFormat = "0.0###########################";
    private const string DateTimeFormat = @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF";

    public static void Insert(SqliteConnection connection, string sql, int rowCount, int columnCount, Func<int, int, object?> value)
    {
        var db = connection.Handle!;
        var rc = raw.sqlite3_prepare_v2(db, sql, out var statement);
        SqliteException.ThrowExceptionForRC(rc, db);
        using (statement)
        {
            for (var row = 0; row < rowCount; row++)
            {
                for (var column = 0; column < columnCount; column++)
                {
                    rc = Bind(statement, column + 1, value(row, column));
                    SqliteException.ThrowExceptionForRC(rc, db);
                }
                rc = raw.sqlite3_step(statement);
                if (rc != raw.SQLITE_DONE)
                {
                    SqliteException.ThrowExceptionForRC(rc, db);
                }
                raw.sqlite3_reset(statement);
            }
        }
    }

    private static int Bind(sqlite3_stmt statement, int index, object? value) => value switch
    {
        null or DBNull => raw.sqlite3_bind_null(statement, index),
        string s => raw.sqlite3_bind_text(statement, index, s),
        long l => raw.sqlite3_bind_int64(statement, index, l),
        int i => raw.sqlite3_bind_int64(statement, index, i),
        short s => raw.sqlite3_bind_int64(statement, index, s),
        byte b => raw.sqlite3_bind_int64(statement, index, b),
        bool b => raw.sqlite3_bind_int64(statement, index, b ? 1 : 0),
        double d => raw.sqlite3_bind_double(statement, index, d),
        decimal m => BindUtf8(statement, index, m, DecimalFormat),
        DateTime t => BindUtf8(statement, index, t, DateTimeFormat),
        byte[] bytes => raw.sqlite3_bind_blob(statement, index, bytes),
        _ => throw new NotSupportedException($"usage_logs column of type {value.GetType().Name} has no SQLite binding here"),
    };

    private static int BindUtf8<T>(sqlite3_stmt statement, int index, T value, string format) where T : IUtf8SpanFormattable
    {
        Span<byte> utf8 = stackalloc byte[64];
        if (!value.TryFormat(utf8, out var written, format, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException($"{value} does not fit its column buffer");
        }
        return raw.sqlite3_bind_text(statement, index, utf8[..written]);
    }
}
