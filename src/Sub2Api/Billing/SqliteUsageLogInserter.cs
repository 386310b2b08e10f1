using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using SQLitePCL;

namespace Sub2Api.Billing;

/// <summary>
/// The SQLite side of <see cref="UsageLogInserter"/>: one statement prepared on the raw connection handle, values
/// bound by position through typed getters. Microsoft.Data.Sqlite binds every parameter by name (a scan over all names per value) and
/// allocates a binder object and a string per value — on the writer's loop that was a third of all the gateway's
/// allocations and a tenth of its CPU under load. Values are written exactly as Microsoft.Data.Sqlite writes them
/// (same storage class, same text format), which a test pins against EF's own inserts.
/// </summary>
internal static class SqliteUsageLogInserter
{
    // Microsoft.Data.Sqlite's formats for the types it stores as TEXT.
    private const string DecimalFormat = "0.0###########################";
    private const string DateTimeFormat = @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF";

    public static void Insert<T>(SqliteConnection connection, string sql, IReadOnlyList<T> rows, IReadOnlyList<IProperty> columns)
    {
        var binders = columns.Select(ForColumn<T>).ToArray();
        var db = connection.Handle!;
        var rc = raw.sqlite3_prepare_v2(db, sql, out var statement);
        SqliteException.ThrowExceptionForRC(rc, db);
        using (statement)
        {
            foreach (var row in rows)
            {
                for (var column = 0; column < binders.Length; column++)
                {
                    rc = binders[column](statement, column + 1, row);
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

    private delegate int ColumnBinder<in T>(sqlite3_stmt statement, int index, T row);

    /// <summary>
    /// A typed getter bound straight to SQLite (no boxing per value). A column type without a binding here fails
    /// when the binders are built — on the first batch, and in the test that pins these inserts against EF's.
    /// </summary>
    private static ColumnBinder<T> ForColumn<T>(IProperty property)
    {
        var converter = property.GetTypeMapping().Converter;
        var getter = property.PropertyInfo?.GetMethod;
        if (getter is null || (converter is not null && converter is not ValueConverter<DateTime, DateTime>))
        {
            throw Unsupported(property);
        }
        var type = property.ClrType;
        if (type == typeof(long))
        {
            var get = getter.CreateDelegate<Func<T, long>>();
            return (s, i, row) => raw.sqlite3_bind_int64(s, i, get(row));
        }
        if (type == typeof(long?))
        {
            var get = getter.CreateDelegate<Func<T, long?>>();
            return (s, i, row) => get(row) is { } v ? raw.sqlite3_bind_int64(s, i, v) : raw.sqlite3_bind_null(s, i);
        }
        if (type == typeof(int))
        {
            var get = getter.CreateDelegate<Func<T, int>>();
            return (s, i, row) => raw.sqlite3_bind_int64(s, i, get(row));
        }
        if (type == typeof(int?))
        {
            var get = getter.CreateDelegate<Func<T, int?>>();
            return (s, i, row) => get(row) is { } v ? raw.sqlite3_bind_int64(s, i, v) : raw.sqlite3_bind_null(s, i);
        }
        if (type == typeof(short))
        {
            var get = getter.CreateDelegate<Func<T, short>>();
            return (s, i, row) => raw.sqlite3_bind_int64(s, i, get(row));
        }
        if (type == typeof(bool))
        {
            var get = getter.CreateDelegate<Func<T, bool>>();
            return (s, i, row) => raw.sqlite3_bind_int64(s, i, get(row) ? 1 : 0);
        }
        if (type == typeof(decimal))
        {
            var get = getter.CreateDelegate<Func<T, decimal>>();
            return (s, i, row) => BindUtf8(s, i, get(row), DecimalFormat);
        }
        if (type == typeof(string))
        {
            var get = getter.CreateDelegate<Func<T, string?>>();
            return (s, i, row) => get(row) is { } v ? raw.sqlite3_bind_text(s, i, v) : raw.sqlite3_bind_null(s, i);
        }
        if (type == typeof(DateTime))
        {
            var get = getter.CreateDelegate<Func<T, DateTime>>();
            var toProvider = (converter as ValueConverter<DateTime, DateTime>)?.ConvertToProviderTyped;
            return (s, i, row) => BindUtf8(s, i, toProvider is null ? get(row) : toProvider(get(row)), DateTimeFormat);
        }
        throw Unsupported(property);
    }

    private static NotSupportedException Unsupported(IProperty property) =>
        new($"usage_logs column {property.Name} ({property.ClrType.Name}) has no SQLite binding in {nameof(SqliteUsageLogInserter)}");

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
