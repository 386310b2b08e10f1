using System.Diagnostics;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Relay.OpenAI;

/// <summary>
/// Where a real client is pointed: <paramref name="BaseUrl"/> is a root URL (the client adds <c>/v1</c>),
/// <paramref name="ClientKey"/> the key the client sends, <paramref name="BadKey"/> a key that must be refused with 401, and
/// <paramref name="UpstreamCredential"/> the <c>Authorization</c> header the fake upstream must see (through the gateway:
/// the account's key, not the client's).
/// </summary>
internal sealed record OpenAIClientTarget(string BaseUrl, string ClientKey, string BadKey, string UpstreamCredential)
{
    /// <summary>The client talks to the fake upstream itself (proves the harness; no gateway in between).</summary>
    public static OpenAIClientTarget DirectTo(FakeOpenAIUpstream fake)
    {
        var key = $"sk-fake-ok-{Guid.NewGuid():N}";
        return new(fake.BaseUrl, key, $"sk-fake-unauthorized-{Guid.NewGuid():N}", "Bearer " + key);
    }
}

/// <summary>Runs an installed real client (npm package under tests/clients) as a child process with a deadline.</summary>
internal static class RealClient
{
    public static string Dir(string name) => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../clients", name));

    /// <summary>Skips the test when the client is not installed, except under CI where that is a failure.</summary>
    public static void RequireInstalled(string markerFile, string why)
    {
        if (File.Exists(markerFile))
        {
            return;
        }
        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            Assert.Fail(why);
        }
        Assert.Skip(why);
    }

    /// <summary>Starts the process with stdin closed and waits for it; on timeout the whole tree is killed and the test fails.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(ProcessStartInfo start, TimeSpan timeout)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{start.FileName} did not finish within {timeout.TotalSeconds} s; stderr: {await stderr}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
