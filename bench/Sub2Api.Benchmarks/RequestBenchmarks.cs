using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Sub2Api.Providers.Anthropic;

namespace Sub2Api.Benchmarks;

/// <summary>Step 2 of the relay: reading the fields the gateway needs out of the body, and the sticky-session key.</summary>
[MemoryDiagnoser]
public class RequestBenchmarks
{
    private byte[] _claudeCode = [];
    private byte[] _small = [];
    private AnthropicRequestInfo _withUserId = null!;
    private AnthropicRequestInfo _withoutUserId = null!;
    private AnthropicRequestInfo _smallInfo = null!;
    private readonly HeaderDictionary _noHeaders = new();
    private readonly HeaderDictionary _sessionHeader = new() { ["x-claude-code-session-id"] = ClaudeCodeBody.SessionId };

    [GlobalSetup]
    public void Setup()
    {
        _claudeCode = ClaudeCodeBody.Build();
        _small = ClaudeCodeBody.Small();
        _withUserId = Parse(_claudeCode);
        _withoutUserId = Parse(ClaudeCodeBody.Build(withUserId: false));
        _smallInfo = Parse(_small);
        Console.WriteLine($"// Claude Code body: {_claudeCode.Length:N0} bytes; session keys: " +
            $"{SessionHash.Compute(_withUserId, _noHeaders)} / {SessionHash.Compute(_withoutUserId, _noHeaders)}");
    }

    [Benchmark(Description = "AnthropicRequestParser.TryParse, 85 KB Claude Code body")]
    public object? ParseClaudeCode85KB() => AnthropicRequestParser.TryParse(_claudeCode, out var info, out _) ? info : null;

    [Benchmark(Description = "AnthropicRequestParser.TryParse, 175 B SDK body")]
    public object? ParseSmall() => AnthropicRequestParser.TryParse(_small, out var info, out _) ? info : null;

    // The UTF-8 check TryParse starts with, alone: what refusing invalid bytes anywhere in the body costs.
    [Benchmark(Description = "Utf8.IsValid, 85 KB Claude Code body")]
    public bool Utf8ValidClaudeCode85KB() => System.Text.Unicode.Utf8.IsValid(_claudeCode);

    [Benchmark(Description = "Utf8.IsValid, 175 B SDK body")]
    public bool Utf8ValidSmall() => System.Text.Unicode.Utf8.IsValid(_small);

    [Benchmark(Description = "SessionHash.Compute, Claude Code 2.x user_id JSON")]
    public string SessionFromUserId() => SessionHash.Compute(_withUserId, _noHeaders);

    [Benchmark(Description = "SessionHash.Compute, x-claude-code-session-id header")]
    public string SessionFromHeader() => SessionHash.Compute(_withUserId, _sessionHeader);

    [Benchmark(Description = "SessionHash.Compute, content hash (system + first message, 85 KB body)")]
    public string SessionFromContent() => SessionHash.Compute(_withoutUserId, _noHeaders);

    [Benchmark(Description = "SessionHash.Compute, content hash (small body)")]
    public string SessionFromSmallContent() => SessionHash.Compute(_smallInfo, _noHeaders);

    private static AnthropicRequestInfo Parse(byte[] body) =>
        AnthropicRequestParser.TryParse(body, out var info, out var error)
            ? info!
            : throw new InvalidOperationException($"bench body does not parse: {error}");
}
