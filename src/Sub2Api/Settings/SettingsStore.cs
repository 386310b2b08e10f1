using Microsoft.EntityFrameworkCore;
using Sub2Api.Data;
using Sub2Api.Data.Entities;

namespace Sub2Api.Settings;

/// <summary>
/// Runtime settings, read from an in-process snapshot (reloaded after every write through this store) so
/// request paths never query the settings table.
/// </summary>
internal sealed class SettingsStore(IDbContextFactory<Sub2ApiDbContext> dbFactory, TimeProvider time)
{
    private volatile IReadOnlyDictionary<string, string>? _snapshot;

    /// <summary>Raised after a write, with the new snapshot, for services that mirror a setting in memory.</summary>
    public event Action<IReadOnlyDictionary<string, string>>? Changed;

    public async Task<IReadOnlyDictionary<string, string>> GetAllAsync(CancellationToken cancellationToken)
    {
        // Two first callers may both load; that is harmless and cheaper than a lock on every read.
        return _snapshot ??= await LoadAsync(cancellationToken);
    }

    public async Task<string> GetAsync(string key, CancellationToken cancellationToken)
    {
        var all = await GetAllAsync(cancellationToken);
        return all.TryGetValue(key, out var value) ? value : SettingDefinitions.All[key].Default;
    }

    public async Task<bool> GetBoolAsync(string key, CancellationToken cancellationToken) =>
        await GetAsync(key, cancellationToken) == "true";

    /// <summary>Writes all values in one transaction, then refreshes the snapshot.</summary>
    public async Task SetAsync(IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var keys = values.Keys.ToList();
            var existing = await db.Settings.Where(s => keys.Contains(s.Key)).ToDictionaryAsync(s => s.Key, cancellationToken);
            var now = time.GetUtcNow().UtcDateTime;
            foreach (var (key, value) in values)
            {
                if (existing.TryGetValue(key, out var row))
                {
                    row.Value = value;
                    row.UpdatedAt = now;
                }
                else
                {
                    db.Settings.Add(new Setting { Key = key, Value = value, UpdatedAt = now });
                }
            }
            await db.SaveChangesAsync(cancellationToken);
        }
        var snapshot = await LoadAsync(cancellationToken);
        _snapshot = snapshot;
        Changed?.Invoke(snapshot);
    }

    private async Task<IReadOnlyDictionary<string, string>> LoadAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Settings.AsNoTracking().ToDictionaryAsync(s => s.Key, s => s.Value, cancellationToken);
        foreach (var definition in SettingDefinitions.All.Values)
        {
            rows.TryAdd(definition.Key, definition.Default);
        }
        return rows;
    }
}
