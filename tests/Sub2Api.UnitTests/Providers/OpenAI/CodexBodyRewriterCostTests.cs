using System.Diagnostics;
using System.Text;
using Sub2Api.Providers.OpenAI;

namespace Sub2Api.UnitTests.Providers.OpenAI;

/// <summary>A long Codex conversation is rewritten with one copy of the body, not a re-serialisation.</summary>
public sealed class CodexBodyRewriterCostTests(ITestOutputHelper output)
{
    private static byte[] LongConversation(bool withNamespace)
    {
        var body = new StringBuilder("""{"model":"gpt-5-codex","instructions":"You are Codex.","input":[""");
        for (var i = 0; i < 400; i++)
        {
            if (i > 0)
            {
                body.Append(',');
            }
            body.Append((i % 3) switch
            {
                0 => $$"""{"type":"message","role":"user","content":[{"type":"input_text","text":"Please look at file {{i}} and fix the failing test, then run the suite again."}]}""",
                1 => $$"""{"type":"function_call","id":"fc_{{i}}","call_id":"call_{{i}}","name":"exec_command",{{(withNamespace ? "\"namespace\":\"tools\"," : "")}}"arguments":"{\"cmd\":\"rg --files src | head -50\"}"}""",
                _ => $$"""{"type":"function_call_output","call_id":"call_{{i - 1}}","output":"src/a.cs\nsrc/b.cs\nsrc/c.cs\nsrc/d.cs"}""",
            });
        }
        body.Append("""],"tools":[{"type":"function","name":"exec_command","parameters":{"type":"object","properties":{"cmd":{"type":"string"}}}}],"tool_choice":"auto","parallel_tool_calls":true,"reasoning":{"summary":"auto"},"store":false,"stream":true,"include":["reasoning.encrypted_content"],"prompt_cache_key":"019a","max_output_tokens":4096,"temperature":0.2}""");
        return Encoding.UTF8.GetBytes(body.ToString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Rewrite_LongConversation_AllocatesAboutOneBody(bool withNamespace)
    {
        var body = LongConversation(withNamespace);
        var plan = CodexRewritePlan.For("gpt-5-codex");
        CodexBodyRewriter.Rewrite(body, plan); // warm-up (JIT)

        var stopwatch = new Stopwatch();
        var before = GC.GetAllocatedBytesForCurrentThread();
        stopwatch.Start();
        var rewritten = CodexBodyRewriter.Rewrite(body, plan);
        stopwatch.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        output.WriteLine($"{body.Length} byte body (namespace: {withNamespace}): {stopwatch.Elapsed.TotalMicroseconds:F0} µs, {allocated} bytes allocated");
        Assert.True(rewritten.Length < body.Length);
        // The output array plus bookkeeping: one small edit per item that carries "namespace".
        Assert.True(allocated < body.Length + (withNamespace ? 32_000 : 8_000), $"{allocated} bytes allocated for a {body.Length} byte body");
    }
}
