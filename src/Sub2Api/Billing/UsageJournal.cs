using System.Buffers;
using System.Text.Json;
using System.IO.MemoryMappedFiles;
using Sub2Api.Configuration;

namespace Sub2Api.Billing;

/// <summary>
/// Write-ahead journal for usage records: each record is appended as one JSON line before it is queued for
/// the database. Segments are memory-mapped files, so an append is a copy into the page cache — no system
/// call, no inode lock. The kernel keeps those pages when the process is killed (SIGKILL included) and writes
/// them back, so a <c>kill -9</c> loses no finished request: on the next start the journal is replayed and the
/// unique (request_id, api_key_id) index makes the replay idempotent. Only a power loss or kernel crash can
/// lose the last unsynced records — the same as a write(2) without fsync, at a fraction of the cost (per-request
/// write(2) calls to one file serialised on its inode and showed up as the relay's largest wait under load).
/// <para>
/// Appending takes no lock: a writer reserves its byte range with one atomic add and copies its line there.
/// The usage writer seals the current segment (and opens the next) when it grows past
/// <see cref="RotateBytes"/> or when everything in it is committed; a sealed segment is deleted once its last
/// record is in the database. Under sustained load the journal therefore stays a few megabytes.
/// </para>
/// </summary>
internal sealed class UsageJournal : IDisposable
{
    public const string FilePattern = "usage-journal*.jsonl";
    private const string FilePrefix = "usage-journal";
    internal const long RotateBytes = 4 * 1024 * 1024;
    /// <summary>
    /// The mapped (and preallocated) size of a segment: room to keep appending when the database is down and the writer
    /// cannot rotate; an append that does not fit rotates by itself.
    /// </summary>
    internal const long SegmentCapacity = 8 * 1024 * 1024;

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    private readonly string _directory;
    private readonly List<string> _leftOver;
    private readonly Lock _rotateLock = new();
    private long _nextSequence;
    private JournalSegment _current;
    private long _outstanding;

    public UsageJournal(DataDirectory dataDirectory)
    {
        _directory = dataDirectory.Path;
        _leftOver = [.. Directory.EnumerateFiles(_directory, FilePattern).Order(StringComparer.Ordinal)];
        _nextSequence = _leftOver.Select(SequenceOf).DefaultIfEmpty(0).Max() + 1;
        _current = OpenSegment();
    }

    /// <summary>Records appended and not yet committed (including those replayed at start-up).</summary>
    public long Outstanding => Interlocked.Read(ref _outstanding);

    /// <summary>
    /// Records found in the journal at start-up (not yet known to be committed). Each stays pinned to its old
    /// segment file, which is deleted once they are all committed.
    /// </summary>
    public IReadOnlyList<UsageRecord> ReadPending()
    {
        var records = new List<UsageRecord>();
        foreach (var path in _leftOver)
        {
            var segment = new JournalSegment(path) { Sealed = 1 };
            foreach (var record in ParseLines(File.ReadAllBytes(path)))
            {
                record.Segment = segment;
                segment.Pins++;
                records.Add(record);
            }
            if (segment.Pins == 0)
            {
                Delete(segment);
            }
        }
        _leftOver.Clear();
        Interlocked.Add(ref _outstanding, records.Count);
        return records;
    }

    /// <summary>
    /// Lines are separated by '\n'; the unwritten rest of a segment is zeros, and a record whose copy was cut
    /// by a kill is a prefix followed by zeros — so zeros separate too, and a piece that does not parse is a
    /// record that never finished recording.
    /// </summary>
    private static List<UsageRecord> ParseLines(ReadOnlySpan<byte> content)
    {
        var records = new List<UsageRecord>();
        while (!content.IsEmpty)
        {
            var end = content.IndexOfAny((byte)'\n', (byte)0);
            var piece = end < 0 ? content : content[..end];
            content = end < 0 ? default : content[(end + 1)..];
            if (piece.IsEmpty)
            {
                continue;
            }
            try
            {
                if (JsonSerializer.Deserialize(piece, UsageJournalJson.Default.UsageRecord) is { } record)
                {
                    records.Add(record);
                }
            }
            catch (JsonException)
            {
                // Cut short by a crash mid-copy: that request never completed its recording.
            }
        }
        return records;
    }

    /// <summary>Appends one record (thread-safe, lock-free) and pins it to the segment that holds it.</summary>
    public void Append(UsageRecord record)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        JsonSerializer.Serialize(writer, record, UsageJournalJson.Default.UsageRecord);
        writer.Flush();
        buffer.GetSpan(1)[0] = (byte)'\n';
        buffer.Advance(1);
        var line = buffer.WrittenSpan;

        Interlocked.Increment(ref _outstanding);
        try
        {
            while (true)
            {
                var segment = Volatile.Read(ref _current);
                Interlocked.Increment(ref segment.Pins); // full fence: pairs with the seal in Rotate
                if (Volatile.Read(ref segment.Sealed) == 1)
                {
                    Release(segment); // rotated under our feet: the next segment is already current
                    continue;
                }
                var offset = Interlocked.Add(ref segment.End, line.Length) - line.Length;
                if (offset + line.Length > SegmentCapacity)
                {
                    // Full (the writer has not rotated for a long time, e.g. the database is down): rotate here.
                    try
                    {
                        lock (_rotateLock)
                        {
                            if (Volatile.Read(ref _current) == segment)
                            {
                                Rotate(segment);
                            }
                        }
                    }
                    finally
                    {
                        Release(segment);
                    }
                    continue;
                }
                segment.Write(offset, line);
                record.Segment = segment;
                return;
            }
        }
        catch
        {
            Interlocked.Decrement(ref _outstanding); // not journaled (e.g. the disk is full): the caller decides
            throw;
        }
    }

    /// <summary>
    /// Marks a batch as safely in the database (usage writer only). Seals the current segment when it is
    /// large, or when nothing else is outstanding, so committed lines do not pile up on disk.
    /// </summary>
    public void MarkCommitted(IReadOnlyList<UsageRecord> batch)
    {
        foreach (var record in batch)
        {
            if (record.Segment is { } segment)
            {
                record.Segment = null;
                Release(segment);
            }
        }
        try
        {
            lock (_rotateLock)
            {
                var current = Volatile.Read(ref _current);
                var end = Interlocked.Read(ref current.End);
                if (end >= RotateBytes || (end > 0 && Interlocked.Read(ref _outstanding) == batch.Count))
                {
                    Rotate(current);
                }
            }
        }
        catch (IOException)
        {
            // No room for a new segment (disk full): keep appending to the current one and try again next batch.
        }
        finally
        {
            // Last, so that a caller waiting for Outstanding == 0 also sees the committed segments gone.
            Interlocked.Add(ref _outstanding, -batch.Count);
        }
    }

    /// <summary>Under <see cref="_rotateLock"/>.</summary>
    private void Rotate(JournalSegment old)
    {
        Volatile.Write(ref _current, OpenSegment());
        Interlocked.Exchange(ref old.Sealed, 1); // full fence: pairs with the pin in Append
        if (Volatile.Read(ref old.Pins) == 0)
        {
            Delete(old);
        }
    }

    private static void Release(JournalSegment segment)
    {
        if (Interlocked.Decrement(ref segment.Pins) == 0 && Volatile.Read(ref segment.Sealed) == 1)
        {
            Delete(segment);
        }
    }

    private static void Delete(JournalSegment segment)
    {
        if (Interlocked.Exchange(ref segment.Deleted, 1) == 0)
        {
            // Empty the file before unmapping: unmapping flushes dirty pages (msync), and writing back pages of
            // a file that is about to be deleted is wasted disk I/O on the writer's thread.
            using (var file = File.OpenHandle(segment.Path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
            {
                RandomAccess.SetLength(file, 0);
            }
            segment.Dispose();
            File.Delete(segment.Path);
        }
    }

    private JournalSegment OpenSegment()
    {
        var path = Path.Combine(_directory, $"{FilePrefix}-{_nextSequence++:D9}.jsonl");
        // The blocks are reserved up front (fallocate): a full disk then fails here, as an IOException, instead
        // of as SIGBUS when a write to the mapping finds no block to allocate.
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.Read, PreallocationSize = SegmentCapacity,
        };
        if (!OperatingSystem.IsWindows())
        {
            // Usage records name users, keys and IP addresses: owner-only, like the database they are replayed into.
            options.UnixCreateMode = DataDirectory.PrivateFileMode;
        }
        var file = new FileStream(path, options);
        try
        {
            file.SetLength(SegmentCapacity);
        }
        catch
        {
            file.Dispose();
            throw;
        }
        var map = MemoryMappedFile.CreateFromFile(file, null, SegmentCapacity, MemoryMappedFileAccess.ReadWrite,
            HandleInheritability.None, leaveOpen: false);
        return new JournalSegment(path, map, map.CreateViewAccessor(0, SegmentCapacity));
    }

    /// <summary>usage-journal-000000042.jsonl → 42; the single file of older versions (usage-journal.jsonl) → 0.</summary>
    private static long SequenceOf(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        return name.Length > FilePrefix.Length + 1 && long.TryParse(name.AsSpan(FilePrefix.Length + 1), out var sequence) ? sequence : 0;
    }

    // Files are not deleted here: whatever is still outstanding is replayed on the next start. Unmapping does
    // not lose anything either — the pages belong to the file.
    public void Dispose() => Volatile.Read(ref _current).Dispose();
}

/// <summary>One journal file. Counters are fields for Interlocked; only <see cref="UsageJournal"/> touches them.</summary>
internal sealed class JournalSegment(string path, MemoryMappedFile? map = null, MemoryMappedViewAccessor? view = null) : IDisposable
{
    public string Path { get; } = path;
    /// <summary>Bytes reserved so far (the next append's offset).</summary>
    public long End;
    /// <summary>Records in this file not yet committed, plus appends in progress.</summary>
    public int Pins;
    /// <summary>1 once no new record may be written here.</summary>
    public int Sealed;
    public int Deleted;

    public void Write(long offset, ReadOnlySpan<byte> line) => view!.SafeMemoryMappedViewHandle.WriteSpan((ulong)offset, line);

    public void Dispose()
    {
        view?.Dispose();
        map?.Dispose();
    }
}

/// <summary>Source-generated (no reflection per record) serialisation of journal lines.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(UsageRecord))]
internal sealed partial class UsageJournalJson : System.Text.Json.Serialization.JsonSerializerContext;
