using Sub2Api.Billing;
using Sub2Api.Configuration;

namespace Sub2Api.UnitTests.Billing;

public sealed class UsageJournalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sub2api-journal-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static UsageRecord Record(int i) => new()
    {
        RequestId = $"req-{i:D8}",
        UserId = 1,
        ApiKeyId = 2,
        AccountId = 3,
        Model = "claude-sonnet-4-5",
        Tokens = new TokenUsage(10, 20, 0, 0),
        Cost = new CostBreakdown(0.00003m, 0.0003m, 0m, 0m, 0.00033m, 0.00033m),
        // Padding so that a few thousand records cross the rotation size several times.
        UserAgent = new string('x', 2000),
        CreatedAt = DateTime.UnixEpoch,
    };

    // Segments are preallocated, zero-filled files: "empty" means nothing but zeros.
    private static bool HoldsNoRecord(string path) => File.ReadAllBytes(path).AsSpan().IndexOfAnyExcept((byte)0) < 0;

    private string[] Segments() => Directory.GetFiles(_dir, UsageJournal.FilePattern);

    [Fact]
    public async Task ConcurrentAppends_WhileBatchesCommitAndRotate_EveryLineIntactAndCommittedFilesDeleted()
    {
        const int writers = 8, perWriter = 600; // 4,800 records × ~2.3 KB ≈ 11 MB: at least two rotations
        var journal = new UsageJournal(new DataDirectory(_dir));
        var queue = new System.Collections.Concurrent.ConcurrentQueue<UsageRecord>();
        var appending = Enumerable.Range(0, writers).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < perWriter; i++)
            {
                var record = Record(w * perWriter + i);
                journal.Append(record);
                queue.Enqueue(record);
            }
        })).ToArray();

        // The usage writer's side: commit in batches while appends go on; commit part of the records only, so
        // that a crash now would have something to replay.
        var committed = new HashSet<string>();
        var allAppended = Task.WhenAll(appending);
        var rotationsSeen = new HashSet<string>();
        while (!allAppended.IsCompleted || committed.Count < writers * perWriter - 100)
        {
            var batch = new List<UsageRecord>();
            while (batch.Count < 250 && committed.Count + batch.Count < writers * perWriter - 100 && queue.TryDequeue(out var r))
            {
                batch.Add(r);
            }
            if (batch.Count > 0)
            {
                journal.MarkCommitted(batch);
                committed.UnionWith(batch.Select(r => r.RequestId));
            }
            rotationsSeen.UnionWith(Segments());
            await Task.Yield();
        }
        await allAppended;
        Assert.True(rotationsSeen.Count >= 3, $"expected several segments over the run, saw {rotationsSeen.Count}");
        Assert.Equal(100, journal.Outstanding);
        journal.Dispose(); // as if the process died here

        // Every sealed segment still on disk holds a record not yet committed: fully committed ones were deleted.
        // (Which segments survive depends on how the scheduler interleaved appends and commits, so the check is on
        // this property, not on a count of replayed lines.) The newest segment is the open one and may stay.
        var uncommittedIds = Enumerable.Range(0, writers * perWriter).Select(i => $"req-{i:D8}").Except(committed).ToList();
        var sealedSegments = Segments().Order(StringComparer.Ordinal).SkipLast(1);
        Assert.All(sealedSegments, path =>
        {
            var text = File.ReadAllText(path);
            Assert.True(uncommittedIds.Any(text.Contains), $"{Path.GetFileName(path)} holds only committed records, yet was kept");
        });

        // A restart replays every uncommitted record, each line whole and once. Committed records that share a
        // segment with an uncommitted one come back too: the database's unique (request_id, api_key_id) skips them.
        var restarted = new UsageJournal(new DataDirectory(_dir));
        var pending = restarted.ReadPending();
        var uncommitted = uncommittedIds;
        Assert.Equal(100, uncommitted.Count);
        Assert.Subset(pending.Select(r => r.RequestId).ToHashSet(), uncommitted.ToHashSet());
        Assert.Equal(pending.Count, pending.Select(r => r.RequestId).Distinct().Count());
        Assert.True(pending.Count < writers * perWriter, $"fully committed segments must be gone, yet all {pending.Count} lines were replayed");
        Assert.All(pending, r => Assert.Equal(2000, r.UserAgent!.Length));

        restarted.MarkCommitted(pending);
        Assert.Equal(0, restarted.Outstanding);
        var left = Assert.Single(Segments()); // only the new, empty segment
        Assert.True(HoldsNoRecord(left));
        restarted.Dispose();
    }

    [Fact]
    public void ReadPending_ARecordCutShortByAKill_IsSkipped_AndTheRecordsAroundItAreKept()
    {
        // What a kill mid-copy leaves: a reserved range holding a prefix of its line, then zeros, then the
        // complete line a concurrent append wrote after it.
        var whole = System.Text.Json.JsonSerializer.Serialize(Record(1));
        var cut = System.Text.Json.JsonSerializer.Serialize(Record(2))[..40];
        var content = System.Text.Encoding.UTF8.GetBytes(whole + "\n" + cut + new string('\0', 30) + whole.Replace("req-00000001", "req-00000003") + "\n");
        File.WriteAllBytes(Path.Combine(_dir, "usage-journal-000000004.jsonl"), [.. content, .. new byte[4096]]);

        using var journal = new UsageJournal(new DataDirectory(_dir));
        var pending = journal.ReadPending();

        Assert.Equal(["req-00000001", "req-00000003"], pending.Select(r => r.RequestId));
        Assert.Equal(2, journal.Outstanding);
    }

    [Fact]
    public void Append_NothingCommittedForLong_RotatesByItself_AndEveryRecordIsReplayed()
    {
        // The database is down: the writer commits nothing and never rotates. Appends must go on past a full
        // segment into new ones, and a restart must find every record.
        const int count = 5_000; // × ~2.3 KB ≈ 11 MB > one segment
        var journal = new UsageJournal(new DataDirectory(_dir));
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => journal.Append(Record(i)));
        Assert.Equal(count, journal.Outstanding);
        Assert.True(Segments().Length >= 2, $"expected the journal to have rotated, found {Segments().Length} segment(s)");
        journal.Dispose();

        using var restarted = new UsageJournal(new DataDirectory(_dir));
        var pending = restarted.ReadPending();
        Assert.Equal(count, pending.Count);
        Assert.Equal(count, pending.Select(r => r.RequestId).Distinct().Count());
    }

    [Fact]
    public void Append_WhenEverythingCommitted_StartsAnEmptySegment()
    {
        using var journal = new UsageJournal(new DataDirectory(_dir));
        var first = Record(1);
        journal.Append(first);
        var before = Assert.Single(Segments());
        Assert.False(HoldsNoRecord(before));

        journal.MarkCommitted([first]);

        var after = Assert.Single(Segments());
        Assert.NotEqual(before, after);
        Assert.True(HoldsNoRecord(after));
        Assert.Equal(0, journal.Outstanding);
    }
}
