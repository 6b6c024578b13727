using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using BlazorOs.Benchmarks;

// --measure: the scripted whole-process measurement (a table of figures and their ratio); anything else goes to
// BenchmarkDotNet, e.g. --filter '*' or --list flat.
if (args.Contains("--measure"))
{
    return await Measurement.RunAsync(MeasureOptions.Parse(args));
}

// --memory: the memory plane at a million facts (seeding, insert throughput, ranked search latency, size, retention).
if (args.Contains("--memory"))
{
    return await MemoryMeasurement.RunAsync(MemoryOptions.Parse(args));
}

// --vectors: recall by meaning at 100,000 items (vectors written to the table; the in-memory index, its load, search through it and through the store scan it replaced).
if (args.Contains("--vectors"))
{
    return await VectorMeasurement.RunAsync(VectorOptions.Parse(args));
}

// In process: a generated benchmark project would inherit this repository's build rules (warnings as errors, central
// package versions) and rebuild Core, which on a busy 2-core machine costs minutes and measures nothing more. Many
// warm-up iterations: tiered compilation of EF Core and the workflow engine takes tens of seconds on two cores.
var config = DefaultConfig.Instance.AddJob(Job.Default
    .WithToolchain(InProcessEmitToolchain.Instance)
    .WithWarmupCount(20)
    .WithIterationCount(15));
BenchmarkSwitcher.FromAssembly(typeof(EngineBenchmarks).Assembly).Run(args, config);
return 0;
