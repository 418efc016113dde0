using Xunit.Sdk;
using Xunit.v3;

// One test class at a time. Each class starts its own Chromium and live server; seven of them at once on a 2-core
// machine, beside the other test projects, made single navigations wait past their time limit in CI. Run one after
// another, the classes take about as long in all (the work is CPU-bound) and each wait is bounded by its own page.
[assembly: Parallelization(Mode = ParallelMode.None)]
