using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Observability;
using Sub2Api.Ops;
using Sub2Api.Ops.ErrorLog;

namespace Sub2Api.UnitTests.Ops;

/// <summary>The ops error writer outlives a database that refuses a batch, and writes what is queued when stopped.</summary>
public sealed class OpsErrorWriterTests : IAsyncDisposable
{
    private readonly SqliteConnection _connection = new("DataSource=:memory:");
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        await _services.DisposeAsync();
    }

    /// <summary>Contexts on one in-memory database; the first <see cref="FailuresLeft"/> creations throw, like a database that is down.</summary>
    private sealed class FlakyFactory(DbContextOptions<SqliteSub2ApiDbContext> options) : IDbContextFactory<Sub2ApiDbContext>
    {
        public int FailuresLeft { get; set; }

        public Sub2ApiDbContext CreateDbContext()
        {
            if (FailuresLeft > 0)
            {
                FailuresLeft--;
                throw new InvalidOperationException("database unavailable");
            }
            return new SqliteSub2ApiDbContext(options);
        }
    }

    private async Task<(OpsErrorRecorder Recorder, OpsErrorWriter Writer, FlakyFactory Factory)> StartAsync()
    {
        await _connection.OpenAsync(TestContext.Current.CancellationToken);
        var options = Options();
        await using (var db = new SqliteSub2ApiDbContext(options))
        {
            // The real schema, as the app builds it.
            await db.Database.MigrateAsync(TestContext.Current.CancellationToken);
        }
        var metrics = new GatewayMetrics(_services.GetRequiredService<IMeterFactory>());
        var recorder = new OpsErrorRecorder(metrics);
        var factory = new FlakyFactory(options);
        var writer = new OpsErrorWriter(recorder, factory, metrics, NullLogger<OpsErrorWriter>.Instance) { FailureBackoff = TimeSpan.Zero };
        await writer.StartAsync(TestContext.Current.CancellationToken);
        return (recorder, writer, factory);
    }

    private DbContextOptions<SqliteSub2ApiDbContext> Options() =>
        new DbContextOptionsBuilder<SqliteSub2ApiDbContext>().UseSqlite(_connection).UseSnakeCaseNamingConvention().Options;

    private static OpsErrorLog Row(string requestId) => new()
    {
        Kind = OpsErrorKinds.Request,
        CreatedAt = DateTime.UtcNow,
        Phase = OpsPhases.Upstream,
        Type = "api_error",
        Owner = OpsOwners.Provider,
        Severity = "P1",
        StatusCode = 502,
        RequestId = requestId,
        Message = "boom",
    };

    private async Task<List<string>> StoredAsync()
    {
        await using var db = new SqliteSub2ApiDbContext(Options());
        return await db.OpsErrorLogs.OrderBy(e => e.Id).Select(e => e.RequestId).ToListAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task FailedBatch_IsDropped_AndTheNextBatchIsWritten()
    {
        var (recorder, writer, factory) = await StartAsync();
        // A writer that died on the failure would never drain again: fail on a deadline instead of hanging.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(10));
        var ct = deadline.Token;
        factory.FailuresLeft = 1;

        recorder.Report(Row("lost"));
        await writer.FlushAsync(ct);
        Assert.Equal(1, writer.Dropped);

        recorder.Report(Row("kept-1"));
        recorder.Report(Row("kept-2"));
        await writer.FlushAsync(ct);

        Assert.Equal(["kept-1", "kept-2"], await StoredAsync());
        Assert.Equal(2, writer.Written);
        await writer.StopAsync(ct);
    }

    [Fact]
    public async Task Stop_WritesWhatIsStillQueued_InBatches()
    {
        var (recorder, writer, _) = await StartAsync();
        var ct = TestContext.Current.CancellationToken;
        var count = OpsErrorWriter.BatchSize * 2 + 5;
        for (var i = 0; i < count; i++)
        {
            recorder.Report(Row($"r{i}"));
        }

        await writer.StopAsync(ct);

        Assert.Equal(count, (await StoredAsync()).Count);
        Assert.Equal(count, writer.Written);
        // Once stopped, new rows are refused (counted as dropped by the recorder), never written half-way.
        recorder.Report(Row("late"));
        Assert.Equal(count, (await StoredAsync()).Count);
    }
}
