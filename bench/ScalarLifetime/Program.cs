using System.Diagnostics;
using System.Runtime;
using TorchSharp;
using static TorchSharp.torch;

// Reproduces the native failure of docs/known-issues.md ("Scalar::toDouble … Expected false to be true"): TorchSharp
// turns `tensor.add(other, alpha: 1.0)` or `tensor / 2` into a Scalar whose native object its finalizer frees, and
// nothing keeps that Scalar alive while libtorch reads it. A garbage collection that completes during the native call
// finalizes it there. Built in this repository (ModelDsl.targets) the process has no background collections;
// DOTNET_gcConcurrent=1 turns them back on, as .NET's default has them.
// Usage: modeldsl-scalar-lifetime-bench TRIGGER SCALARS SECONDS
//   TRIGGER  background:   one thread that churns the large-object heap, so that background (gen2) collections, where
//                          the process allows them, run while it is inside libtorch (the MNIST app's situation)
//            other-thread: a second thread collecting in a loop (any process with a second allocating thread)
//   SCALARS  implicit: the Scalars made by C#'s conversions, as most code writes it
//            kept:     Scalars made once and held, which no collection can finalize
// Exit code 0: no failure in SECONDS; 1: the failure reproduced.
if (args.Length != 3 || args[0] is not ("background" or "other-thread") || args[1] is not ("implicit" or "kept")
    || !double.TryParse(args[2], out var seconds))
{
    Console.Error.WriteLine("usage: modeldsl-scalar-lifetime-bench background|other-thread implicit|kept SECONDS");
    return 2;
}
var (trigger, keptScalars) = (args[0], args[1] == "kept");
set_num_threads(1);
var left = randn(64, 64);
var right = randn(64, 64);
using var one = 1.0.ToScalar();
using var two = 2.0.ToScalar();
if (trigger == "other-thread")
    new Thread(() => { while (true) { GC.Collect(); GC.WaitForPendingFinalizers(); } }) { IsBackground = true }.Start();

var churn = new List<byte[]>();
var sizes = new Random(1);
var clock = Stopwatch.StartNew();
long calls = 0;
var setting = $"{trigger}, {args[1]} scalars, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, latency mode {GCSettings.LatencyMode}";
try
{
    while (clock.Elapsed.TotalSeconds < seconds)
    {
        if (trigger == "background")
        {
            // Large arrays that live a while and die: the large-object heap's budget runs out often, and each time a
            // background gen2 collection starts and finishes on its own thread while this one keeps calling libtorch.
            churn.Add(new byte[sizes.Next(100_000, 400_000)]);
            if (churn.Count > 400) churn.RemoveRange(0, 200);
        }
        for (var i = 0; i < 50; i++, calls += 2)
        {
            using var sum = keptScalars ? left.add(right, one) : left.add(right, 1.0);
            using var half = keptScalars ? sum.div(two) : sum / 2.0;
        }
    }
    Console.WriteLine($"{setting}: no failure in {calls:N0} calls, {clock.Elapsed.TotalSeconds:F0} s " +
        $"({GC.CollectionCount(2):N0} gen2 collections)");
    return 0;
}
catch (Exception failure)
{
    Console.WriteLine($"{setting}: FAILED after {calls:N0} calls, {clock.Elapsed.TotalSeconds:F1} s " +
        $"({GC.CollectionCount(2):N0} gen2 collections): {failure.Message.Split('\n')[0]}");
    return 1;
}
