using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Pantau.Storage;

/// <summary>
/// Where bulk work runs (an import of thousands of C.Hasil sheets, the SQLite log checkpoint): a few threads of its own, below the
/// threads that serve requests. On Linux they use the <c>SCHED_IDLE</c> policy (<c>Pantau:BulkIdle</c>, default true): they run on
/// whatever CPU time the request threads leave, and a request thread that wakes up takes the core from them at once, instead of
/// waiting for the next scheduler tick (4 ms on many kernels). Where that policy cannot be set, they run at niceness
/// <c>Pantau:BulkNice</c> (default 10; 0 keeps normal priority). When the cores are otherwise idle, the import runs at full speed.
/// The lane also bounds how many bulk requests are worked on at once (<c>Pantau:BulkThreads</c>, default one per core); the rest
/// wait their turn in order.
/// </summary>
public sealed class BulkLane : IDisposable
{
    private readonly LaneScheduler _scheduler;

    public BulkLane(IConfiguration config, ILogger<BulkLane> log)
    {
        var threads = Math.Clamp(config.GetValue("Pantau:BulkThreads", Environment.ProcessorCount), 1, 64);
        // A public-read instance (Pantau:ReadInstance) takes no imports: its lane (background recap rebuilds) keeps normal priority.
        // (the key Pantau.Web's ReadInstance.IsSet reads; this project does not reference the web project)
        var readInstance = config.GetValue("Pantau:ReadInstance", false);
        var nice = Math.Clamp(config.GetValue("Pantau:BulkNice", readInstance ? 0 : 10), 0, 19);
        _scheduler = new LaneScheduler(threads, nice, config.GetValue("Pantau:BulkIdle", !readInstance), log);
    }

    /// <summary>Runs <paramref name="work"/> on the lane; its awaits continue on the lane.</summary>
    public Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken ct = default) =>
        Task.Factory.StartNew(work, ct, TaskCreationOptions.DenyChildAttach, _scheduler).Unwrap();

    /// <inheritdoc cref="RunAsync{T}"/>
    public Task RunAsync(Func<Task> work, CancellationToken ct = default) =>
        Task.Factory.StartNew(work, ct, TaskCreationOptions.DenyChildAttach, _scheduler).Unwrap();

    public void Dispose() => _scheduler.Dispose();

    /// <summary>The niceness of the calling OS thread (Linux), or null where that cannot be read.</summary>
    public static int? CurrentThreadNice() => CurrentThreadStat(19);

    /// <summary>The scheduling policy of the calling OS thread (Linux: 0 normal, 5 <c>SCHED_IDLE</c>), or null where that cannot be read.</summary>
    public static int? CurrentThreadPolicy() => CurrentThreadStat(41);

    /// <summary>Field <paramref name="field"/> (numbered from 1 as in proc(5)) of the calling thread's <c>/proc/.../stat</c>.</summary>
    private static int? CurrentThreadStat(int field)
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            var stat = File.ReadAllText($"/proc/self/task/{Native.gettid()}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // from field 3 on: after pid and comm
            return int.Parse(fields[field - 3], System.Globalization.CultureInfo.InvariantCulture);
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

        public LaneScheduler(int threads, int nice, bool idle, ILogger log)
        {
            _threads = new Thread[threads];
            for (var i = 0; i < threads; i++)
            {
                _threads[i] = new Thread(() =>
                {
                    if ((nice > 0 || idle) && OperatingSystem.IsLinux())
                    {
                        try
                        {
                            // Both calls take a thread id and change that thread only; lowering a thread's priority needs no privilege.
                            var param = 0; // sched_priority, 0 for the non-real-time policies
                            var isIdle = idle && Native.sched_setscheduler(Native.gettid(), Native.SchedIdle, ref param) == 0;
                            if (idle && !isIdle)
                                log.LogWarning("The bulk lane could not use SCHED_IDLE (errno {Errno}); it uses niceness {Nice}", Marshal.GetLastPInvokeError(), nice);
                            if (!isIdle && nice > 0 && Native.setpriority(0, Native.gettid(), nice) != 0)
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

        public const int SchedIdle = 5;

        [DllImport("libc", SetLastError = true)]
        public static extern int sched_setscheduler(int pid, int policy, ref int param);
    }
}
