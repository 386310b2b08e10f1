using System.Text;
using Sub2Api.FuzzTests.Generation;
using Sub2Api.FuzzTests.Infrastructure;

namespace Sub2Api.FuzzTests.Checking;

/// <summary>
/// Every failure of a run, grouped so that one run shows everything once: answers by (route, input kind, status,
/// problem), log leaks by (secret, logger category), each group with its count and one reproducing example.
/// </summary>
internal sealed class FuzzReport(int seed)
{
    private sealed record AnswerKey(string Route, string Kind, int Status, string Problem);

    private sealed record AnswerGroup(FuzzCase Example, string Response)
    {
        public int Count { get; set; }
    }

    private sealed record LeakKey(string Secret, string Category);

    private sealed record LeakGroup(LogLine Example, string? Request)
    {
        public int Count { get; set; }
    }

    private readonly Dictionary<AnswerKey, AnswerGroup> _answers = [];
    private readonly Dictionary<LeakKey, LeakGroup> _leaks = [];
    private readonly Dictionary<string, int> _statusCounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TimeSpan> _timeByRoute = new(StringComparer.Ordinal);

    public int Requests { get; private set; }
    public bool HasFailures => _answers.Count > 0 || _leaks.Count > 0;

    /// <summary>Counts one answer and keeps it when it is a failure (<paramref name="problem"/> not null).</summary>
    public void Add(FuzzCase sent, int status, string? problem, string response, TimeSpan took)
    {
        Requests++;
        _timeByRoute[sent.Route] = _timeByRoute.GetValueOrDefault(sent.Route) + took;
        var statusClass = $"{sent.Family} {(status == 0 ? "none" : status / 100 + "xx")}";
        _statusCounts[statusClass] = _statusCounts.GetValueOrDefault(statusClass) + 1;
        if (problem is null)
        {
            return;
        }
        var key = new AnswerKey(sent.Route, sent.Kind, status, problem);
        if (!_answers.TryGetValue(key, out var group))
        {
            _answers[key] = group = new AnswerGroup(sent, FuzzCase.Excerpt(response, 300));
        }
        group.Count++;
    }

    /// <summary>Finds every known secret in every captured log line.</summary>
    public void ScanLogs(IEnumerable<LogLine> lines, IReadOnlyDictionary<string, string> secrets, Func<int, string?> describeCase)
    {
        foreach (var line in lines)
        {
            foreach (var (name, secret) in secrets)
            {
                if (!line.Text.Contains(secret, StringComparison.Ordinal))
                {
                    continue;
                }
                var key = new LeakKey(name, line.Category);
                if (!_leaks.TryGetValue(key, out var group))
                {
                    var shown = line with { Text = FuzzCase.Excerpt(line.Text.Replace(secret, $"<{name}>", StringComparison.Ordinal), 300) };
                    _leaks[key] = group = new LeakGroup(shown, describeCase(line.CaseNumber));
                }
                group.Count++;
            }
        }
    }

    public string Summary(TimeSpan elapsed, int routes, int upstreamRequests) =>
        $"fuzz seed {seed}: {Requests} requests over {routes} routes in {elapsed.TotalSeconds:0.0} s; upstream saw {upstreamRequests}; "
        + string.Join(", ", _statusCounts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value}"))
        + $"; {_answers.Count} failing answer groups ({_answers.Values.Sum(g => g.Count)} answers), {_leaks.Count} log leak groups; slowest routes: "
        + string.Join(", ", _timeByRoute.OrderByDescending(p => p.Value).Take(4).Select(p => $"{p.Key} {p.Value.TotalSeconds:0.0} s"));

    public string Details()
    {
        var text = new StringBuilder();
        text.AppendLine($"Replay: FUZZ_SEED={seed} dotnet test --project tests/Sub2Api.FuzzTests (same seed, same requests in the same order).");
        if (_answers.Count > 0)
        {
            text.AppendLine().AppendLine($"== Failing answers ({_answers.Count} groups: route | input kind | status | problem × count)");
            foreach (var (key, group) in _answers.OrderBy(p => p.Key.Route, StringComparer.Ordinal).ThenBy(p => p.Key.Kind, StringComparer.Ordinal)
                         .ThenBy(p => p.Key.Status))
            {
                text.AppendLine($"- {key.Route} | {key.Kind} | {key.Status} | {key.Problem} × {group.Count}");
                text.AppendLine($"    e.g. case #{group.Example.Number}: {group.Example.Describe()}");
                text.AppendLine($"    answer: {(group.Response.Length == 0 ? "(empty body)" : group.Response)}");
            }
        }
        if (_leaks.Count > 0)
        {
            text.AppendLine().AppendLine($"== Secrets in the log ({_leaks.Count} groups: secret | logger category × lines)");
            foreach (var (key, group) in _leaks.OrderBy(p => p.Key.Secret, StringComparer.Ordinal).ThenBy(p => p.Key.Category, StringComparer.Ordinal))
            {
                text.AppendLine($"- {key.Secret} | {key.Category} × {group.Count}");
                text.AppendLine($"    [{group.Example.Level}] {group.Example.Text}");
                text.AppendLine($"    while sending: {(group.Request is null ? "(seeding)" : $"case #{group.Example.CaseNumber}: {group.Request}")}");
            }
        }
        return text.ToString();
    }
}
