using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Pantau.Web.Infrastructure;

/// <summary>
/// Where bulk work runs (an import of thousands of C.Hasil sheets): a few threads of its own, at a lower OS scheduling priority
/// than the threads that serve requests (<c>Pantau:BulkNice</c>, default 10 on Linux; 0 keeps normal priority). When an import
/// keeps every core busy, a public read or a KPPS operator's single sheet still gets a core at once: the scheduler prefers it to
/// the bulk threads, instead of slicing the cores evenly. When the cores are otherwise idle, the import runs at full speed.
/// The lane also bounds how many bulk requests are worked on at once (<c>Pantau:BulkThreads</c>, default one per core); the rest
/// wait their turn in order.
/// </summary>
public sealed class BulkLane : IDisposable
{
    private readonly LaneScheduler _scheduler;

    public BulkLane(IConfiguration config, ILogger<BulkLane> log)
    {
        var threads = Math.Clamp(config.GetValue("Pantau:BulkThreads", Environment.ProcessorCount), 1, 64);
        var nice = Math.Clamp(config.GetValue("Pantau:BulkNice", 10), 0, 19);
        _scheduler = new LaneScheduler(threads, nice, log);
    }

    /// <summary>Runs <paramref name="work"/> on the lane; its awaits continue on the lane.</summary>
    public Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken ct = default) =>
        Task.Factory.StartNew(work, ct, TaskCreationOptions.DenyChildAttach, _scheduler).Unwrap();

    public void Dispose() => _scheduler.Dispose();

    /// <summary>The niceness of the calling OS thread (Linux), or null where that cannot be read.</summary>
    public static int? CurrentThreadNice()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            var stat = File.ReadAllText($"/proc/self/task/{Native.gettid()}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[16], System.Globalization.CultureInfo.InvariantCulture); // field 19 of stat, after pid and comm
        }
        catch (Exception ex) when (ex is IOException or FormatException or EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
    }

    private sealed class LaneScheduler : TaskScheduler, IDisposable
    {
        private readonly BlockingCollection<Task> _queue = [];
        private readonly Thread[] _threads;

        public LaneScheduler(int threads, int nice, ILogger log)
        {
            _threads = new Thread[threads];
            for (var i = 0; i < threads; i++)
            {
                _threads[i] = new Thread(() =>
                {
                    if (nice > 0 && OperatingSystem.IsLinux())
                    {
                        try
                        {
                            // PRIO_PROCESS with a thread id sets that thread only. Raising niceness needs no privilege.
                            if (Native.setpriority(0, Native.gettid(), nice) != 0)
                                log.LogWarning("The bulk lane could not lower its thread priority (errno {Errno})", Marshal.GetLastPInvokeError());
                        }
                        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
                        {
                            log.LogWarning(ex, "The bulk lane runs at normal priority: setpriority is not available");
                        }
                    }
                    foreach (var task in _queue.GetConsumingEnumerable()) TryExecuteTask(task);
                }) { IsBackground = true, Name = $"bulk lane {i + 1}" };
                _threads[i].Start();
            }
        }

        public override int MaximumConcurrencyLevel => _threads.Length;
        protected override void QueueTask(Task task) => _queue.Add(task);
        protected override IEnumerable<Task> GetScheduledTasks() => _queue.ToArray();

        protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
            Array.IndexOf(_threads, Thread.CurrentThread) >= 0 && TryExecuteTask(task);

        public void Dispose() => _queue.CompleteAdding();
    }

    private static class Native
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int setpriority(int which, int who, int prio);

        [DllImport("libc")]
        public static extern int gettid();
    }
}
