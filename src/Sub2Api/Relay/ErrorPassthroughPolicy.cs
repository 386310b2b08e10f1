using System.Collections.Frozen;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Infrastructure.Caching;

namespace Sub2Api.Relay;

/// <summary>What the client gets instead of the default mapping of an upstream error.</summary>
/// <param name="SkipMonitoring">The rule's admin said this error is expected: it is not kept in the ops error log.</param>
internal readonly record struct ErrorPassthroughDecision(int Status, string Type, string Message, bool SkipMonitoring = false);

/// <summary>
/// The admin's error-passthrough rules, applied when an upstream error is answered to a client: the first enabled rule
/// (lowest priority number first) whose platform, status and keyword conditions match decides the client's status
/// (the upstream's, or a chosen one) and message (the upstream's, or a chosen one), in the route's error shape.
/// The rules are held in memory and reloaded when their generation moves, which a change on any node announces.
/// </summary>
internal sealed partial class ErrorPassthroughPolicy(IDbContextFactory<Sub2ApiDbContext> dbFactory, ConfigGeneration generation,
    ILogger<ErrorPassthroughPolicy> logger) : IDisposable
{
    private const int MaxBodyChars = 64 * 1024;
    private const int MaxPassthroughMessageChars = 2048;

    /// <summary>A rule as matched: lower-cased keywords and platforms, statuses as a set.</summary>
    private sealed record CompiledRule(long Id, FrozenSet<int> Codes, string[] Keywords, bool MatchAll, string[] Platforms,
        bool PassthroughCode, int? ResponseCode, bool PassthroughBody, string? CustomMessage, bool SkipMonitoring);

    private sealed record Snapshot(long Generation, IReadOnlyList<CompiledRule> Rules);

    private volatile Snapshot _snapshot = new(-1, []);
    private readonly SemaphoreSlim _reload = new(1, 1);

    public async ValueTask<ErrorPassthroughDecision?> DecideAsync(IRelayProvider provider, string platform, int status,
        ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var rules = await RulesAsync(cancellationToken);
        if (rules.Count == 0)
        {
            return null;
        }
        var text = Encoding.UTF8.GetString(body.Span.Length > MaxBodyChars ? body.Span[..MaxBodyChars] : body.Span);
        foreach (var rule in rules)
        {
            if (!Matches(rule, platform, status, text))
            {
                continue;
            }
            var clientStatus = rule.PassthroughCode || rule.ResponseCode is null ? status : rule.ResponseCode.Value;
            if (!rule.PassthroughBody && !string.IsNullOrEmpty(rule.CustomMessage))
            {
                return new ErrorPassthroughDecision(clientStatus, TypeFor(clientStatus), rule.CustomMessage, rule.SkipMonitoring);
            }
            var message = provider.ExtractErrorMessage(body.Span);
            if (string.IsNullOrWhiteSpace(message))
            {
                message = text.Trim();
            }
            if (message.Length > MaxPassthroughMessageChars)
            {
                message = message[..MaxPassthroughMessageChars];
            }
            if (message.Length == 0)
            {
                message = provider.MapForClient(status).Message;
            }
            var upstreamType = provider.ExtractErrorType(body.Span);
            return new ErrorPassthroughDecision(clientStatus, string.IsNullOrEmpty(upstreamType) ? TypeFor(clientStatus) : upstreamType, message,
                rule.SkipMonitoring);
        }
        return null;
    }

    /// <summary>
    /// "all": every condition the rule has must hold; "any": with both statuses and keywords, either is enough (a rule with
    /// only one kind of condition needs that one). A rule without conditions never matches.
    /// </summary>
    private static bool Matches(CompiledRule rule, string platform, int status, string body)
    {
        if (rule.Platforms.Length > 0 && !rule.Platforms.Contains(platform, StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }
        var hasCodes = rule.Codes.Count > 0;
        var hasKeywords = rule.Keywords.Length > 0;
        if (!hasCodes && !hasKeywords)
        {
            return false;
        }
        var codeMatch = !hasCodes || rule.Codes.Contains(status);
        var keywordMatch = !hasKeywords || rule.Keywords.Any(k => body.Contains(k, StringComparison.OrdinalIgnoreCase));
        return rule.MatchAll || !(hasCodes && hasKeywords) ? codeMatch && keywordMatch : codeMatch || keywordMatch;
    }

    /// <summary>The error type for a status the client will see (names the clients of every route know).</summary>
    public static string TypeFor(int status) => status switch
    {
        400 => "invalid_request_error",
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        529 or 503 => "overloaded_error",
        _ => "api_error",
    };

    private async ValueTask<IReadOnlyList<CompiledRule>> RulesAsync(CancellationToken cancellationToken)
    {
        var current = _snapshot;
        if (current.Generation == generation.ErrorPassthroughRules)
        {
            return current.Rules;
        }
        await _reload.WaitAsync(cancellationToken);
        try
        {
            var wanted = generation.ErrorPassthroughRules; // read before loading: a change during the load reloads again
            if (_snapshot.Generation == wanted)
            {
                return _snapshot.Rules;
            }
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var rows = await db.ErrorPassthroughRules.AsNoTracking().Where(r => r.Enabled).ToListAsync(cancellationToken);
            var rules = rows.OrderBy(r => r.Priority).ThenBy(r => r.Id).Select(Compile).ToList();
            _snapshot = new Snapshot(wanted, rules);
            return rules;
        }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException)
        {
            // The rules only refine an error answer; without them the client still gets the default one.
            Log.LoadFailed(logger, e.GetType().Name);
            return [];
        }
        finally
        {
            _reload.Release();
        }
    }

    private static CompiledRule Compile(ErrorPassthroughRule r) => new(r.Id, r.ErrorCodes.ToFrozenSet(),
        [.. r.Keywords.Where(k => !string.IsNullOrWhiteSpace(k))], r.MatchMode == "all", [.. r.Platforms],
        r.PassthroughCode, r.ResponseCode, r.PassthroughBody, r.CustomMessage, r.SkipMonitoring);

    public void Dispose() => _reload.Dispose();

    private static partial class Log
    {
        [LoggerMessage(720, LogLevel.Warning, "Error-passthrough rules could not be loaded ({Error}); default error answers are used")]
        public static partial void LoadFailed(ILogger logger, string error);
    }
}
