using Microsoft.Extensions.Logging.Abstractions;
using Sub2Api.Billing;
using Sub2Api.Configuration;

namespace Sub2Api.UnitTests.Billing;

/// <summary>
/// <see cref="UsageRecorder.WriterLag"/> (the <c>sub2api.usage.writer.lag</c> gauge): the age of the oldest record not
/// yet in the database, whether it still waits in the queue or is in the batch the writer holds; zero once written.
/// </summary>
public sealed class UsageWriterLagTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sub2api-lag-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Lag_IsTheOldestUnwrittenRecordsAge_InTheQueueOrInTheWritersBatch_AndZeroOnceWritten()
    {
        using var journal = new UsageJournal(new DataDirectory(_dir));
        var recorder = new UsageRecorder(journal, null!, null!, TimeProvider.System, NullLogger<UsageRecorder>.Instance);
        var now = new DateTime(2026, 12, 7, 8, 0, 0, DateTimeKind.Utc);
        Assert.Equal(TimeSpan.Zero, recorder.WriterLag(now));

        await recorder.RecordAsync(Record("a", now.AddSeconds(-5)));
        await recorder.RecordAsync(Record("b", now.AddSeconds(-1)));
        Assert.Equal(TimeSpan.FromSeconds(5), recorder.WriterLag(now));

        // The writer's protocol: mark the head, then take the batch out of the queue, write it, clear the mark.
        Assert.True(recorder.Reader.TryPeek(out var head));
        recorder.Writing(head.CreatedAt);
        Assert.True(recorder.Reader.TryRead(out _));
        Assert.True(recorder.Reader.TryRead(out _));
        Assert.Equal(TimeSpan.FromSeconds(5), recorder.WriterLag(now));   // in hand, not yet written
        recorder.Writing(null);
        Assert.Equal(TimeSpan.Zero, recorder.WriterLag(now));
    }

    private static UsageRecord Record(string id, DateTime createdAt) => new()
    {
        RequestId = id,
        UserId = 1,
        ApiKeyId = 2,
        AccountId = 3,
        Model = "claude-sonnet-4-5",
        Tokens = new TokenUsage(10, 20, 0, 0),
        Cost = new CostBreakdown(0m, 0m, 0m, 0m, 0m, 0m),
        Charge = false,
        CreatedAt = createdAt,
    };
}
