using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.Ops.ErrorLog;

namespace Sub2Api.FunctionalTests.Ops.ErrorLog;

/// <summary>Reading the ops error log the relay wrote, without sleeping and hoping.</summary>
internal static class OpsErrorRows
{
    /// <summary>
    /// Waits (at most 15 s) until the rows written so far satisfy <paramref name="done"/>, and returns them, oldest
    /// first. The relay queues a request's row when its handler ends, which can be just after the client has read
    /// the answer, so a test waits for the row rather than only flushing the writer once.
    /// </summary>
    public static async Task<List<OpsErrorLog>> WaitForAsync(Sub2ApiFactory app, Func<List<OpsErrorLog>, bool> done)
    {
        var writer = app.Services.GetRequiredService<OpsErrorWriter>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            await writer.FlushAsync(deadline.Token);
            var rows = await AllAsync(app);
            if (done(rows))
            {
                return rows;
            }
            if (deadline.IsCancellationRequested)
            {
                Assert.Fail($"the ops error log never reached the expected state; it holds {rows.Count} rows: "
                    + string.Join("; ", rows.Select(r => $"{r.Kind}/{r.Phase}/{r.StatusCode}/{r.Type}")));
            }
            await Task.Delay(20, CancellationToken.None);
        }
    }

    public static Task<List<OpsErrorLog>> AllAsync(Sub2ApiFactory app) =>
        app.WithDbAsync(db => db.OpsErrorLogs.AsNoTracking().OrderBy(e => e.Id).ToListAsync());

    /// <summary>Inserts rows directly (for filters, paging and retention).</summary>
    public static Task AddAsync(Sub2ApiFactory app, params OpsErrorLog[] rows) => app.WithDbAsync(async db =>
    {
        db.OpsErrorLogs.AddRange(rows);
        await db.SaveChangesAsync();
    });

    public static OpsErrorLog Row(string kind, DateTime createdAt, int status = 500, string requestId = "req", string message = "boom",
        string? platform = "anthropic", long? accountId = null, long? groupId = null, string severity = "P1", string phase = "upstream",
        string owner = "provider", string? model = "claude-sonnet-4-5") => new()
        {
            Kind = kind,
            CreatedAt = createdAt,
            Phase = phase,
            Type = "api_error",
            Owner = owner,
            Severity = severity,
            StatusCode = status,
            Platform = platform,
            Model = model,
            RequestId = requestId,
            Message = message,
            AccountId = accountId,
            GroupId = groupId,
        };
}
