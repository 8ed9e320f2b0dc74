using ModelDsl.Bench.Numerics;

try
{
    var options = BenchOptions.Parse(args);
    return options.Command switch
    {
        "compare" => Comparison.Run(options),
        "work" => Worker.Run(options),
        "serve" => StepServer.Run(options),
        "probe-isa" => Comparison.ProbeIsa(options),
        "avx512-stress" => Avx512Stress.Run(options),
        _ => throw new UsageException($"Unknown command '{options.Command}'.\n\n{BenchOptions.Usage}"),
    };
}
catch (UsageException usage)
{
    Console.Error.WriteLine(usage.Message);
    return 2;
}
