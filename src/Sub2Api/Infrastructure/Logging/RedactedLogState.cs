using System.Collections;
using System.Globalization;

namespace Sub2Api.Infrastructure.Logging;

/// <summary>
/// What a sink receives instead of the caller's state: the formatted message and the structured values, each with
/// its credentials redacted. Values that cannot hold text (numbers, enums, dates…) are passed through as they are,
/// so structured sinks keep their types.
/// </summary>
internal sealed class RedactedLogState : IReadOnlyList<KeyValuePair<string, object?>>
{
    private const string OriginalFormat = "{OriginalFormat}";
    private readonly KeyValuePair<string, object?>[] _values;

    private RedactedLogState(string message, KeyValuePair<string, object?>[] values)
    {
        Message = message;
        _values = values;
    }

    public string Message { get; }

    public static RedactedLogState Create<TState>(TState state, string message) =>
        new(SecretRedactor.Redact(message), state is IEnumerable<KeyValuePair<string, object?>> values
            ? RedactValues(values)
            : [new(OriginalFormat, SecretRedactor.Redact(message))]);

    public static KeyValuePair<string, object?>[] RedactValues(IEnumerable<KeyValuePair<string, object?>> values)
    {
        if (values is IReadOnlyList<KeyValuePair<string, object?>> list)
        {
            // The usual state (LoggerMessage, message templates): indexable, so no enumerator and no resizing.
            var array = new KeyValuePair<string, object?>[list.Count];
            for (var i = 0; i < array.Length; i++)
            {
                var (name, value) = list[i];
                array[i] = new(name, RedactValue(value));
            }
            return array;
        }
        return [.. values.Select(pair => new KeyValuePair<string, object?>(pair.Key, RedactValue(pair.Value)))];
    }

    /// <summary>The value itself when it carries no credential; otherwise its redacted text.</summary>
    public static object? RedactValue(object? value)
    {
        string text;
        switch (value)
        {
            case null or bool or char or Enum or DateTime or DateTimeOffset or TimeSpan or Guid:
                return value;
            case string s:
                return SecretRedactor.Redact(s);
            case IEnumerable items:
                // As the message formatter renders a sequence: its items, comma-separated.
                text = string.Join(", ", items.Cast<object?>().Select(item => Convert.ToString(item, CultureInfo.InvariantCulture)));
                break;
            default:
                if (value.GetType().IsPrimitive || value is decimal)
                {
                    return value;
                }
                text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
                break;
        }
        var redacted = SecretRedactor.Redact(text);
        return ReferenceEquals(redacted, text) ? value : redacted;
    }

    public KeyValuePair<string, object?> this[int index] => _values[index];

    public int Count => _values.Length;

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => Message;
}
