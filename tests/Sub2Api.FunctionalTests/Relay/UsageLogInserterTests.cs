using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Sub2Api.Billing;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Relay;

/// <summary>
/// The usage writer inserts rows through its own prepared statement (positional binding on the raw SQLite
/// handle), not through EF. What it stores must be byte-for-byte what EF stores for the same entity — same
/// storage class and same text for decimals and timestamps — or sums, filters and ordering would drift.
/// </summary>
public sealed class UsageLogInserterTests
{
    // The other value of every nullable or two-valued column, and another timestamp.
    private static UsageLog OtherRow(string requestId)
    {
        var row = Row(requestId);
        row.GroupId = 3;
        row.SubscriptionId = null;
        row.Stream = false;
        row.FirstTokenMs = 17;
        row.DurationMs = null;
        row.UserAgent = null;
        row.IpAddress = "2001:db8::1";
        row.ReasoningEffort = null;
        row.ImageSize = "1024x1024";
        row.ImageCount = 2;
        row.TotalCost = 79228162514264.337593543950335m / 1_000_000m; // many significant digits
        row.CreatedAt = new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        return row;
    }

    private static UsageLog Row(string requestId) => new()
    {
        RequestId = requestId,
        UserId = 7,
        ApiKeyId = 8,
        AccountId = 9,
        Model = "claude-sonnet-4-5",
        GroupId = null,
        SubscriptionId = 12,
        InputTokens = 1_234_567_890_123,
        OutputTokens = 0,
        CacheCreationTokens = 3,
        CacheReadTokens = 4,
        CacheCreation5mTokens = 1,
        CacheCreation1hTokens = 2,
        InputCost = 0.000000000001m,
        OutputCost = 123456789012.123456789012m,
        CacheCreationCost = 0m,
        CacheReadCost = 1.5m,
        TotalCost = -0.25m,
        ActualCost = 0.0331875000m, // trailing zeros: the stored text must not depend on the scale
        RateMultiplier = 1m,
        AccountRateMultiplier = 2.5m,
        BillingType = 1,
        Stream = true,
        DurationMs = 1234,
        FirstTokenMs = null,
        UserAgent = "claude-cli/2.0.14 (external, cli) 'quoted' ü 中文",
        IpAddress = null,
        ImageCount = 0,
        ReasoningEffort = "high",
        CreatedAt = new DateTime(2026, 11, 26, 8, 30, 15, DateTimeKind.Utc).AddTicks(1_234_567),
    };

    [Fact]
    public async Task RawInsert_StoresEveryColumnExactlyAsEfDoes()
    {
        await using var app = new Sub2ApiFactory();
        await app.WithDbAsync(async db =>
        {
            db.UsageLogs.AddRange(Row("via-ef"), OtherRow("other-via-ef"));
            await db.SaveChangesAsync();
        });
        await app.WithDbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await UsageLogInserter.InsertAsync(db, [Row("via-writer"), OtherRow("other-via-writer"), Row("via-writer-2")], CancellationToken.None);
            await transaction.CommitAsync();
        });

        var stored = await app.WithDbAsync(async db =>
        {
            var connection = (SqliteConnection)db.Database.GetDbConnection();
            await connection.OpenAsync();
            var columns = new List<string>();
            await using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = "SELECT name FROM pragma_table_info('usage_logs') WHERE name NOT IN ('id', 'request_id')";
                await using var reader = await pragma.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    columns.Add(reader.GetString(0));
                }
            }
            await using var select = connection.CreateCommand();
            // typeof() and quote() show the storage class and the exact stored text of each value.
            select.CommandText = $"SELECT request_id, {string.Join(", ", columns.Select(c => $"typeof({c}) || ':' || quote({c})"))} FROM usage_logs ORDER BY id";
            var rows = new Dictionary<string, string[]>();
            await using (var reader = await select.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    rows[reader.GetString(0)] = Enumerable.Range(1, columns.Count).Select(i => $"{columns[i - 1]}={reader.GetString(i)}").ToArray();
                }
            }
            return rows;
        });

        Assert.Equal(5, stored.Count);
        Assert.Equal(stored["via-ef"], stored["via-writer"]);
        Assert.Equal(stored["via-ef"], stored["via-writer-2"]);
        Assert.Equal(stored["other-via-ef"], stored["other-via-writer"]);
        Assert.NotEqual(stored["via-ef"], stored["other-via-ef"]);
        // And the values read back through EF are the ones written.
        var back = await app.WithDbAsync(db => db.UsageLogs.AsNoTracking().SingleAsync(u => u.RequestId == "via-writer"));
        var expected = Row("via-writer");
        Assert.Equal(expected.OutputCost, back.OutputCost);
        Assert.Equal(expected.InputCost, back.InputCost);
        Assert.Equal(expected.ActualCost, back.ActualCost);
        Assert.Equal(expected.CreatedAt, back.CreatedAt);
        Assert.Equal(expected.UserAgent, back.UserAgent);
        Assert.Null(back.GroupId);
        Assert.Equal(expected.InputTokens, back.InputTokens);
    }
}
