using System.Collections;

namespace Sub2Api.Infrastructure.Logging;

/// <summary>
/// A logging scope whose text is redacted when a sink reads it (most sinks never read scopes, so nothing is paid
/// up front but this wrapper). Scope states that are name/value pairs stay pairs, so structured sinks see the
/// same shape as before.
/// </summary>
internal class RedactedScope(object state)
{
    private string? _text;

    protected object State => state;

    public static RedactedScope Wrap(object state) =>
        state is IEnumerable<KeyValuePair<string, object?>> ? new RedactedScopeValues(state) : new RedactedScope(state);

    public override string ToString() => _text ??= SecretRedactor.Redact(state.ToString() ?? "");
}

/// <summary>A redacted scope made of name/value pairs (request id, URL, …).</summary>
internal sealed class RedactedScopeValues(object state) : RedactedScope(state), IReadOnlyList<KeyValuePair<string, object?>>
{
    private KeyValuePair<string, object?>[]? _values;

    private KeyValuePair<string, object?>[] Values =>
        _values ??= RedactedLogState.RedactValues((IEnumerable<KeyValuePair<string, object?>>)State);

    public KeyValuePair<string, object?> this[int index] => Values[index];

    public int Count => Values.Length;

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)Values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
