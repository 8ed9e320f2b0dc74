using NUnit.Framework;

// Each test builds its own compilation, so fixtures can run side by side.
[assembly: Parallelizable(ParallelScope.Fixtures)]
