using System.Diagnostics;
using System.Globalization;

namespace Pantau.Bench;

/// <summary>Public-read throughput: how many reads of a mix of paths per second several keep-alive connections get, with p50/p99.</summary>
sealed record BurstStats(int Reads, double Seconds, double P50, double P99, int Errors)
{
    public double Rate => Reads / Math.Max(0.001, Seconds);
    public override string ToString() =>
        $"{Rate:N0} reads/s ({Reads:N0} in {Seconds:0.0} s), p50 {P50:0.00} ms, p99 {P99:0.00} ms{(Errors > 0 ? $", {Errors} errors" : "")}";

    /// <summary>Two readers side by side (two instances): reads added, the worse tail.</summary>
    public static BurstStats operator +(BurstStats a, BurstStats b) =>
        new(a.Reads + b.Reads, Math.Max(a.Seconds, b.Seconds), Math.Max(a.P50, b.P50), Math.Max(a.P99, b.P99), a.Errors + b.Errors);
}

/// <summary>
/// The public-read burst (issue 22.4): a process of its own (this program with <c>--burst URL</c>), started at normal priority before
/// the load generator lowers its own, like <see cref="Probe"/>. On a line <c>run SECONDS CONNECTIONS ACCEPT PATH|PATH|...</c> it reads
/// for that long from that many keep-alive connections, each taking the next path of the list at random, back to back (a closed loop,
/// as a crowd of browsers behind a proxy's connection pool), and answers <c>burst reads seconds p50 p99 errors</c>. The paths are
/// results pages (<c>text/html</c>) or recap API reads (<c>application/json</c>) of the province, its kab/kota and its kecamatan.
/// </summary>
sealed class Burst : IDisposable
{
    private readonly Process _process;
    private Burst(Process process) => _process = process;

    public static Burst Start(string baseUrl, string? cpus = null)
    {
        var self = Environment.ProcessPath!;
        var dll = typeof(Burst).Assembly.Location;
        var args = $"--burst {baseUrl}";
        var command = Path.GetFileNameWithoutExtension(self) == "dotnet" ? $"\"{dll}\" {args}" : args;
        var psi = cpus is null ? new ProcessStartInfo(self, command) : new ProcessStartInfo("taskset", $"-c {cpus} \"{self}\" {command}");
        psi.UseShellExecute = false;
        psi.RedirectStandardInput = true;
        psi.RedirectStandardOutput = true;
        psi.Environment["DOTNET_gcServer"] = "0";
        psi.Environment["DOTNET_TieredCompilation"] = "0";
        return new Burst(Process.Start(psi)!);
    }

    public async Task<BurstStats> RunAsync(TimeSpan duration, int connections, string accept, IReadOnlyList<string> paths)
    {
        await _process.StandardInput.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"run {duration.TotalSeconds} {connections} {accept} {string.Join('|', paths)}"));
        await _process.StandardInput.FlushAsync();
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("burst ", StringComparison.Ordinal)) continue;
            var f = line["burst ".Length..].Split(' ').Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray();
            return new BurstStats((int)f[0], f[1], f[2], f[3], (int)f[4]);
        }
        throw new InvalidOperationException("the burst reader ended without figures");
    }

    private bool _disposed;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try { _process.StandardInput.Close(); _process.WaitForExit(5000); } catch (IOException) { }
        _process.Dispose();
    }

    /// <summary>The burst process: runs each <c>run</c> line it reads; ends with its input.</summary>
    public static int Run(string baseUrl)
    {
        var uri = new Uri(baseUrl);
        while (Console.ReadLine() is { } line)
        {
            var f = line.Split(' ', 5);
            if (f.Length != 5 || f[0] != "run") continue;
            var seconds = double.Parse(f[1], CultureInfo.InvariantCulture);
            var connections = int.Parse(f[2], CultureInfo.InvariantCulture);
            var accept = f[3];
            var paths = f[4].Split('|');
            var latencies = new List<double>[connections];
            var errors = 0;
            using (var warm = new RawHttpGet(uri, paths[0], accept)) foreach (var p in paths) warm.Get(p); // every path once, not counted
            using var ready = new Barrier(connections + 1);
            long deadline = 0;
            var threads = Enumerable.Range(0, connections).Select(i => new Thread(() =>
            {
                var lat = latencies[i] = new List<double>(1 << 14);
                using var get = new RawHttpGet(uri, paths[0], accept); // one keep-alive connection per thread
                var rnd = new Random(i);
                get.Get(paths[rnd.Next(paths.Length)]);
                ready.SignalAndWait(); // all connections open: the clock starts
                while (Stopwatch.GetTimestamp() < Volatile.Read(ref deadline))
                {
                    var t = Stopwatch.GetTimestamp();
                    try { get.Get(paths[rnd.Next(paths.Length)]); lat.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds); }
                    catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException) { Interlocked.Increment(ref errors); }
                }
            }) { IsBackground = true }).ToList();
            threads.ForEach(t => t.Start());
            var sw = Stopwatch.StartNew();
            Volatile.Write(ref deadline, Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency));
            ready.SignalAndWait();
            sw.Restart();
            threads.ForEach(t => t.Join());
            var all = latencies.SelectMany(l => l).Order().ToList();
            double P(double q) => all.Count == 0 ? 0 : all[Math.Min(all.Count - 1, (int)Math.Ceiling(q * all.Count) - 1)];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"burst {all.Count} {sw.Elapsed.TotalSeconds} {P(0.5)} {P(0.99)} {errors}"));
            Console.Out.Flush();
        }
        return 0;
    }
}

/// <summary>
/// The live-update delay between two instances on one PostgreSQL (issue 22.2, <c>--instances 2</c>): a sheet sent to one instance,
/// and the time until the other instance's server-sent events (<c>/api/live</c>, fed by LISTEN/NOTIFY) tell a subscriber about it.
/// Measured one sheet at a time on the idle machine, before the ingest.
/// </summary>
static class LiveDelay
{
    public static async Task<(LatencyStats Delay, LatencyStats Ack)> MeasureAsync(HttpClient from, Uri to, byte[][] bodies, int start)
    {
        var contests = bodies.Select(b => System.Text.Json.JsonDocument.Parse(b).RootElement.GetProperty("contest").GetString()!).Distinct().ToList();
        using var sse = new HttpClient { BaseAddress = to, Timeout = Timeout.InfiniteTimeSpan };
        using var res = await sse.GetAsync($"/api/live?topics={string.Join(',', contests.Select(c => "tally:" + c))}", HttpCompletionOption.ResponseHeadersRead);
        res.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await res.Content.ReadAsStreamAsync());
        var arrivals = System.Threading.Channels.Channel.CreateUnbounded<long>();
        var ready = new TaskCompletionSource();
        using var stop = new CancellationTokenSource();
        var reading = Task.Run(async () =>
        {
            try
            {
                while (await reader.ReadLineAsync(stop.Token) is { } line)
                {
                    if (line == "event: ready") ready.TrySetResult();
                    else if (line.StartsWith("event: ", StringComparison.Ordinal)) arrivals.Writer.TryWrite(Stopwatch.GetTimestamp());
                }
            }
            catch (OperationCanceledException) { }
            catch (IOException) { }
        });
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var delays = new List<double>();
        var acks = new List<double>();
        for (var i = 0; i < bodies.Length; i++)
        {
            while (arrivals.Reader.TryRead(out _)) { } // events of the previous sheet
            var content = new ByteArrayContent(bodies[i]);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var req = new HttpRequestMessage(HttpMethod.Post, "/api/tally/sheets") { Content = content };
            req.Headers.Add("Idempotency-Key", Load.Key(start + i));
            var sent = Stopwatch.GetTimestamp();
            using (var r = await from.SendAsync(req))
                if ((int)r.StatusCode != 201) throw new InvalidOperationException($"live probe sheet {start + i}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
            acks.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var arrived = await arrivals.Reader.ReadAsync(wait.Token);
            delays.Add(Stopwatch.GetElapsedTime(sent, arrived).TotalMilliseconds);
            await Task.Delay(100); // the sheet's other events (totals of each level) arrive now, and are drained above
        }
        stop.Cancel();
        sse.CancelPendingRequests();
        try { await reading.WaitAsync(TimeSpan.FromSeconds(5)); } catch (TimeoutException) { }
        return (Stats(delays), Stats(acks));
    }

    private static LatencyStats Stats(List<double> v)
    {
        v.Sort();
        double P(double q) => v[Math.Min(v.Count - 1, (int)Math.Ceiling(q * v.Count) - 1)];
        return new LatencyStats(v.Count, P(0.5), P(0.99), v[^1]);
    }
}
