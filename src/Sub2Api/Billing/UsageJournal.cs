using System.Text;
using System.Text.Json;
using Sub2Api.Configuration;

namespace Sub2Api.Billing;

/// <summary>
/// Write-ahead journal for usage records: each record is appended (one JSON line, one write(2) straight to
/// the OS) before it is queued for the database. The kernel keeps written data even when the process is
/// killed with SIGKILL, so a <c>kill -9</c> loses no finished request: on the next start the journal is replayed
/// and the unique (request_id, api_key_id) index makes the replay idempotent. Only a power loss or kernel
/// crash can lose the last unsynced writes. The file is truncated whenever everything in it is committed.
/// </summary>
internal sealed class UsageJournal : IDisposable
{
    public const string FileName = "usage-journal.jsonl";

    private readonly Lock _lock = new();
    private readonly FileStream _file;
    private long _appended;
    private long _committed;

    public UsageJournal(DataDirectory dataDirectory)
    {
        // bufferSize 0: every Write goes to the OS at once (no managed buffer a crash could lose).
        _file = new FileStream(dataDirectory.File(FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
    }

    /// <summary>Records found in the journal at start-up (not yet known to be committed).</summary>
    public IReadOnlyList<UsageRecord> ReadPending()
    {
        lock (_lock)
        {
            _file.Position = 0;
            var records = new List<UsageRecord>();
            using var reader = new StreamReader(_file, Encoding.UTF8, false, 4096, leaveOpen: true);
            while (reader.ReadLine() is { } line)
            {
                try
                {
                    if (line.Length > 0 && JsonSerializer.Deserialize(line, UsageJournalJson.Default.UsageRecord) is { } record)
                    {
                        records.Add(record);
                    }
                }
                catch (JsonException)
                {
                    // A line cut short by a crash mid-write: its request never completed its recording.
                }
            }
            _file.Seek(0, SeekOrigin.End);
            _appended += records.Count;
            return records;
        }
    }

    public void Append(UsageRecord record)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(record, UsageJournalJson.Default.UsageRecord);
        var buffer = new byte[line.Length + 1];
        line.CopyTo(buffer, 0);
        buffer[^1] = (byte)'\n';
        lock (_lock)
        {
            _file.Write(buffer);
            _appended++;
        }
    }

    /// <summary>Marks records as safely in the database; empties the file once nothing is outstanding.</summary>
    public void MarkCommitted(int count)
    {
        lock (_lock)
        {
            _committed += count;
            if (_committed >= _appended)
            {
                _file.SetLength(0);
                _file.Position = 0;
            }
        }
    }

    public long Outstanding
    {
        get
        {
            lock (_lock)
            {
                return _appended - _committed;
            }
        }
    }

    public void Dispose() => _file.Dispose();
}

/// <summary>Source-generated (no reflection per record) serialisation of journal lines.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(UsageRecord))]
internal sealed partial class UsageJournalJson : System.Text.Json.Serialization.JsonSerializerContext;
