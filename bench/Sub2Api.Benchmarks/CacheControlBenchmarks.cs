using BenchmarkDotNet.Attributes;
using Sub2Api.Providers.Anthropic;

namespace Sub2Api.Benchmarks;

/// <summary>AnthropicBodyEditor.EnforceCacheControlLimit on an 85 KB Claude Code body (runs on every request).</summary>
[MemoryDiagnoser]
public class CacheControlBenchmarks
{
    private byte[] _withinLimit = [];
    private byte[] _overLimit = [];
    private byte[] _thinkingBreakpoint = [];

    [GlobalSetup]
    public void Setup()
    {
        _withinLimit = ClaudeCodeBody.Build();
        _overLimit = ClaudeCodeBody.Build(extraBreakpoints: 4);
        _thinkingBreakpoint = ClaudeCodeBody.Build(thinkingBreakpoint: true);
        if (AnthropicBodyEditor.EnforceCacheControlLimit(_withinLimit) is not null
            || AnthropicBodyEditor.EnforceCacheControlLimit(_overLimit) is null
            || AnthropicBodyEditor.EnforceCacheControlLimit(_thinkingBreakpoint) is null)
        {
            throw new InvalidOperationException("bench bodies do not exercise the intended paths");
        }
    }

    [Benchmark(Baseline = true, Description = "3 breakpoints, thinking blocks present (scan, no edit)")]
    public byte[]? WithinLimit() => AnthropicBodyEditor.EnforceCacheControlLimit(_withinLimit);

    [Benchmark(Description = "7 breakpoints (3 removed)")]
    public byte[]? OverLimit() => AnthropicBodyEditor.EnforceCacheControlLimit(_overLimit);

    [Benchmark(Description = "breakpoint on a thinking block (stripped)")]
    public byte[]? ThinkingBreakpoint() => AnthropicBodyEditor.EnforceCacheControlLimit(_thinkingBreakpoint);
}
