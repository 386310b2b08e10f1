using System.Collections.Concurrent;

namespace Sub2Api.Relay;

/// <summary>
/// Which API each relayed path speaks, filled as the routes are mapped: a wrong method or content type on one of them
/// is answered in that API's error shape (an OpenAI client on <c>/chat/completions</c> gets OpenAI's, not Anthropic's).
/// </summary>
internal sealed class RelayRouteDialects
{
    private readonly ConcurrentDictionary<string, IClientDialect> _byPath = new(StringComparer.OrdinalIgnoreCase);

    public void Add(string path, IClientDialect dialect) => _byPath[path.TrimEnd('/')] = dialect;

    public IClientDialect? For(PathString path) =>
        path.Value is { } value && _byPath.TryGetValue(value.TrimEnd('/'), out var dialect) ? dialect : null;
}
