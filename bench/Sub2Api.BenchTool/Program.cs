using Sub2Api.BenchTool;

// The bench client of issue 5: what wrk cannot measure. Each command prints human-readable progress on
// stderr and exactly one JSON object on stdout (bench.sh collects those). Exit code 2 = bad usage.
if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.Error.WriteLine(Usage.Text);
    return args.Length == 0 ? 2 : 0;
}

try
{
    var options = CommandLine.Parse(args.AsSpan(1));
    return args[0] switch
    {
        "ttfb" => await TtfbCommand.RunAsync(options),
        "idle" => await IdleCommand.RunAsync(options),
        "exact" => await ExactCommand.RunAsync(options),
        "forward" => await ForwardCommand.RunAsync(options),
        _ => throw new UsageException($"unknown command '{args[0]}'"),
    };
}
catch (UsageException e)
{
    Console.Error.WriteLine($"bench-tool: {e.Message}");
    Console.Error.WriteLine(Usage.Text);
    return 2;
}

namespace Sub2Api.BenchTool
{
    internal static class Usage
    {
        public const string Text = """
            Sub2Api.BenchTool — the bench client for what wrk cannot measure

              ttfb  --url U [--key K] --count N [--warmup W] [--body-file F] [--label L]
                    Sequential streaming requests over one kept-alive connection; time from sending to the
                    first byte of the response body (the first SSE bytes), p50/p99, plus full-response time.
              idle  --url U --key K --streams 2000 --fake-port P --pid GATEWAY_PID [--sse-file F] [--body-file F]
                    [--open-concurrency 64] [--settle-ms 2000] [--open-timeout-s 60] [--stall-s 10] [--warmup 50]
                    Runs a Kestrel fake upstream on 127.0.0.1:P that sends message_start and then holds each
                    stream open silently; opens the streams through the gateway, waits until every one has
                    received its first event, reads the gateway's VmRSS before and while open, then lets the
                    fake finish every stream (message_delta + message_stop) and checks each one completed.
              exact --url U --key K --count N --concurrency C [--body-file F]
                    Exactly N non-streaming requests with C in flight; successes, failures and status codes.
              forward --port P --upstream URL
                    A minimal Kestrel + SocketsHttpHandler reverse proxy on 127.0.0.1:P (the .NET floor: no auth,
                    parsing, scheduling or billing), running until stopped. Prints nothing on stdout.

            Every other command prints one JSON object on stdout.
            """;
    }
}
