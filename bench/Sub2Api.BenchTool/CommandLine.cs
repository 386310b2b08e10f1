using System.Globalization;

namespace Sub2Api.BenchTool;

internal sealed class UsageException(string message) : Exception(message);

/// <summary><c>--name value</c> pairs; every option takes a value.</summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public static CommandLine Parse(ReadOnlySpan<string> args)
    {
        var result = new CommandLine();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal) || name.Length < 3)
            {
                throw new UsageException($"unexpected argument '{name}'");
            }
            if (i + 1 >= args.Length)
            {
                throw new UsageException($"{name} needs a value");
            }
            result._values[name[2..]] = args[++i];
        }
        return result;
    }

    public string Required(string name) =>
        _values.TryGetValue(name, out var value) && value.Length > 0 ? value : throw new UsageException($"--{name} is required");

    public string? Optional(string name) => _values.GetValueOrDefault(name);

    public int Int(string name, int? fallback = null)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return fallback ?? throw new UsageException($"--{name} is required");
        }
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new UsageException($"--{name} must be a non-negative integer, got '{text}'");
    }

    /// <summary>The request body: --body-file, else a small Anthropic request (streaming or not).</summary>
    public byte[] Body(bool stream)
    {
        if (Optional("body-file") is { } path)
        {
            return File.ReadAllBytes(path);
        }
        var flag = stream ? "true" : "false";
        return System.Text.Encoding.UTF8.GetBytes(
            $$"""{"model":"claude-sonnet-4-5","max_tokens":256,"stream":{{flag}},"system":"You are a concise assistant.","messages":[{"role":"user","content":"Say hello in one short sentence."}]}""");
    }
}
