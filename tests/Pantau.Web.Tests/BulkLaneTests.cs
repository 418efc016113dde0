using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Pantau.Storage;

namespace Pantau.Web.Tests;

/// <summary>Bulk imports run on the <see cref="BulkLane"/>: its own threads, at a lower OS priority, a bounded number at once.</summary>
public class BulkLaneTests
{
    private static BulkLane Lane(int threads, int nice, bool idle = false) => new(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Pantau:BulkThreads"] = threads.ToString(), ["Pantau:BulkNice"] = nice.ToString(), ["Pantau:BulkIdle"] = idle.ToString(),
    }).Build(), NullLogger<BulkLane>.Instance);

    [Fact]
    public async Task By_default_the_lane_threads_use_the_idle_scheduling_policy_and_request_threads_keep_theirs()
    {
        using var lane = new BulkLane(new ConfigurationBuilder().Build(), NullLogger<BulkLane>.Instance);
        var callerPolicy = BulkLane.CurrentThreadPolicy();
        var (policy, name) = await lane.RunAsync(() => Task.FromResult((BulkLane.CurrentThreadPolicy(), Thread.CurrentThread.Name)), TestContext.Current.CancellationToken);
        Assert.StartsWith("bulk lane", name);
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(5, policy); // SCHED_IDLE
            Assert.Equal(0, callerPolicy); // SCHED_OTHER: the test's own thread is untouched
            Assert.Equal(0, BulkLane.CurrentThreadPolicy());
        }
    }

    [Fact]
    public async Task Work_and_its_continuations_run_on_the_lane_threads_at_the_lower_priority()
    {
        using var lane = Lane(2, 10);
        var callerNice = BulkLane.CurrentThreadNice();
        var (before, after, names) = await lane.RunAsync(async () =>
        {
            var n1 = BulkLane.CurrentThreadNice();
            var name1 = Thread.CurrentThread.Name;
            await Task.Delay(20); // the continuation comes back to the lane, not to the thread pool
            return (n1, BulkLane.CurrentThreadNice(), (name1, Thread.CurrentThread.Name));
        }, TestContext.Current.CancellationToken);
        Assert.StartsWith("bulk lane", names.name1);
        Assert.StartsWith("bulk lane", names.Item2);
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(callerNice + 10, before);
            Assert.Equal(callerNice + 10, after);
            Assert.Equal(callerNice, BulkLane.CurrentThreadNice()); // the request thread keeps its priority
        }
    }

    [Fact]
    public async Task At_most_the_configured_number_of_bulk_jobs_run_at_once_and_the_rest_wait()
    {
        using var lane = Lane(2, 0);
        var running = 0;
        var peak = 0;
        var jobs = Enumerable.Range(0, 6).Select(i => lane.RunAsync(async () =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            Thread.Sleep(100); // CPU-bound work holds its lane thread
            Interlocked.Decrement(ref running);
            await Task.Yield();
            return i;
        })).ToList();
        Assert.Equal(new[] { 0, 1, 2, 3, 4, 5 }, await Task.WhenAll(jobs));
        Assert.Equal(2, peak);
    }

    [Fact]
    public async Task An_exception_reaches_the_caller()
    {
        using var lane = Lane(1, 0);
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => lane.RunAsync<int>(() => throw new InvalidOperationException("boom")));
        Assert.Equal("boom", ex.Message);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }
}
