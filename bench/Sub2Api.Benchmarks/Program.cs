using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;

// Micro-benchmarks of the gateway's per-request pure code (issue 5). See bench/README.md.
//   dotnet run -c Release --project bench/Sub2Api.Benchmarks -- --filter '*'              (full)
//   dotnet run -c Release --project bench/Sub2Api.Benchmarks -- --filter '*' --job short  (quick)
// Benchmarks run in process by default (InProcessEmitToolchain): BenchmarkDotNet's default toolchain
// would generate and rebuild a project around src/Sub2Api for every run. Pass --outOfProcess to get it.
var arguments = args.ToList();
if (!arguments.Remove("--outOfProcess") && !arguments.Contains("--inProcess"))
{
    arguments.Insert(0, "--inProcess");
}

var config = DefaultConfig.Instance
    .AddDiagnoser(MemoryDiagnoser.Default)
    .WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));
BenchmarkSwitcher.FromAssembly(typeof(Sub2Api.Benchmarks.ClaudeCodeBody).Assembly).Run([.. arguments], config);
