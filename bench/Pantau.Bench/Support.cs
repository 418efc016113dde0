using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Elections;
using Pantau.Core.Regions;
using Pantau.Core.Security;
using Pantau.Core.Tally;
using Pantau.Data;
using Pantau.Data.Elections;
using Pantau.Data.Identity;
using Pantau.Web.Infrastructure;

namespace Pantau.Bench;

static class Repo
{
    public static string Root()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Pantau.slnx"))) return d.FullName;
        throw new DirectoryNotFoundException("Pantau.slnx not found above the bench binary.");
    }
}

static class Run
{
    public static void Checked(string file, string args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { UseShellExecute = false })!;
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {args} failed with {p.ExitCode}");
    }

    public static Process Start(string file, string args, string dir, IReadOnlyDictionary<string, string>? env = null)
    {
        var info = new ProcessStartInfo(file, args) { UseShellExecute = false, WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) info.Environment[k] = v;
        var p = Process.Start(info)!;
        p.OutputDataReceived += (_, e) => { if (e.Data is { Length: > 0 } s && !s.Contains("Now listening") && !s.Contains("Application started")) Console.WriteLine("  [server] " + s); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } s) Console.WriteLine("  [server!] " + s); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    /// <summary>Runs to the end; its exit code and its standard output followed by its standard error.</summary>
    public static (int Code, string Output) CaptureWithCode(string file, string args, string dir)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { UseShellExecute = false, WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, output.Result + error.Result);
    }

    public static string Capture(string file, string args, string dir)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { UseShellExecute = false, WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return output.Result + error.Result;
    }
}

static class Db
{
    public static PantauDbContext Open(string cs, DatabaseProvider provider = DatabaseProvider.Sqlite)
    {
        var b = new DbContextOptionsBuilder<PantauDbContext>();
        DatabaseSetup.Configure(b, provider, provider == DatabaseProvider.Sqlite ? SqlitePragmas.Prepare(cs) : cs);
        return new PantauDbContext(b.Options);
    }
}

/// <summary>The database of one store's run: where it is, how it is emptied, and the copy the raw limit writes into.</summary>
sealed class Store
{
    public required string ConnectionString { get; init; }
    public required string RawConnectionString { get; init; }
    public required string Describe { get; init; }
    public required Action Reset { get; init; }
    public required Action CopyForRaw { get; init; }
    public required Func<string> Version { get; init; }
    /// <summary>Drops what the run created (PostgreSQL: its two databases; SQLite keeps its files in the work folder).</summary>
    public Action Drop { get; init; } = () => { };

    public static Store Sqlite(string dir)
    {
        var dbFile = Path.Combine(dir, "pantau.db");
        var rawFile = Path.Combine(dir, "raw.db");
        var cs = new SqliteConnectionStringBuilder { DataSource = dbFile, DefaultTimeout = 60 }.ToString();
        return new Store
        {
            ConnectionString = cs, RawConnectionString = new SqliteConnectionStringBuilder { DataSource = rawFile }.ToString(),
            Describe = $"SQLite {Bench.Sqlite.Version()}, {dbFile}",
            Reset = () => { foreach (var f in new[] { dbFile, dbFile + "-wal", dbFile + "-shm", rawFile, rawFile + "-wal", rawFile + "-shm" }) File.Delete(f); },
            CopyForRaw = () => { Bench.Sqlite.Checkpoint(cs); File.Copy(dbFile, rawFile); },
            Version = () => "SQLite " + Bench.Sqlite.Version(),
        };
    }

    /// <summary>Two databases on the server <paramref name="server"/> (a connection string without a database), named after this
    /// process so that runs of other people on the same server are not touched: the bench database and, copied from it as a
    /// template before the ingest, the raw one. Both are dropped at the end of the store's run.</summary>
    public static Store Postgres(string server)
    {
        var name = $"pantau_bench_{Environment.ProcessId}";
        var raw = name + "_raw";
        string On(string database) => new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = database }.ToString();
        void Admin(string sql)
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            using var c = new Npgsql.NpgsqlConnection(On("postgres"));
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            cmd.ExecuteNonQuery();
        }
        string Scalar(string sql)
        {
            using var c = new Npgsql.NpgsqlConnection(On("postgres"));
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            return Convert.ToString(cmd.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "";
        }
        var b = new Npgsql.NpgsqlConnectionStringBuilder(server);
        return new Store
        {
            ConnectionString = On(name), RawConnectionString = On(raw),
            Describe = $"PostgreSQL at {b.Host}:{b.Port}, database {name}",
            Reset = () => { Admin($"DROP DATABASE IF EXISTS {raw} WITH (FORCE)"); Admin($"DROP DATABASE IF EXISTS {name} WITH (FORCE)"); Admin($"CREATE DATABASE {name}"); },
            CopyForRaw = () => Admin($"CREATE DATABASE {raw} TEMPLATE {name}"),
            Version = () => "PostgreSQL " + Scalar("SHOW server_version") + " (fsync=" + Scalar("SHOW fsync") + ", synchronous_commit=" +
                Scalar("SHOW synchronous_commit") + ", shared_buffers=" + Scalar("SHOW shared_buffers") + ")",
            Drop = () => { Admin($"DROP DATABASE IF EXISTS {raw} WITH (FORCE)"); Admin($"DROP DATABASE IF EXISTS {name} WITH (FORCE)"); },
        };
    }
}

static class Sqlite
{
    public static void Checkpoint(string cs)
    {
        using var c = new SqliteConnection(cs);
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        cmd.ExecuteNonQuery();
        SqliteConnection.ClearAllPools();
    }

    public static string Version()
    {
        using var c = new SqliteConnection("Data Source=:memory:");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "select sqlite_version()";
        return (string)cmd.ExecuteScalar()!;
    }
}

/// <summary>Adds a governor race for every province and a bupati/walikota race for every kab/kota that has none (synthetic, for the benchmark only).</summary>
static class Contests
{
    public static async Task EnsureNationalAsync(PantauDbContext db)
    {
        var existing = (await db.Contests.Select(c => c.Code).ToListAsync()).ToHashSet();
        var regions = await db.Regions.AsNoTracking().Where(r => r.Level == RegionLevel.Provinsi || r.Level == RegionLevel.KabKota).ToListAsync();
        var withTps = (await db.Tps.Select(t => t.KabKotaCode).Distinct().ToListAsync()).ToHashSet();
        // The synthetic races belong to one synthetic national election (contests belong to an election, docs/elections.md).
        var election = await db.Elections.SingleOrDefaultAsync(e => e.Code == "BENCH2024");
        if (election is null)
            db.Elections.Add(election = new Election { Code = "BENCH2024", Name = "Bench: synthetic national Pilkada", Kind = ElectionKind.Pilkada,
                VotingDate = new DateOnly(2024, 11, 27), Source = "synthetic, for the benchmark only" });
        foreach (var r in regions)
        {
            if (r.Level == RegionLevel.KabKota && !withTps.Contains(r.Code)) continue;
            if (r.Level == RegionLevel.Provinsi && !withTps.Any(k => k.StartsWith(r.Code + ".", StringComparison.Ordinal))) continue;
            var kind = r.Level == RegionLevel.Provinsi ? ContestKind.Gubernur : r.Type == "kota" ? ContestKind.Walikota : ContestKind.Bupati;
            var code = $"{Load.Prefix(kind)}-{r.Code}";
            if (existing.Contains(code)) continue;
            var c = new Contest { Code = code, Kind = kind, RegionCode = r.Code, Name = $"Bench {r.Name}", VotingDate = new DateOnly(2024, 11, 27), HasSyntheticPaslon = true };
            var n = 2 + (int)(Apportion.StableUnit(code) * 3);
            for (var i = 1; i <= n; i++) c.Paslon.Add(new Paslon { Number = i, Candidate = $"Paslon {i}", IsSynthetic = true });
            election.Contests.Add(c);
        }
        await db.SaveChangesAsync();
    }
}

static class Accounts
{
    public static async Task<string> CreateImporterAsync(PantauDbContext db)
    {
        var user = new PantauUser
        {
            UserName = "bench-importer", NormalizedUserName = "BENCH-IMPORTER", DisplayName = "Bench importer", Role = Role.KpuOperator, ScopeCode = "",
            SecurityStamp = Guid.NewGuid().ToString(), CreatedAt = DateTimeOffset.UtcNow,
        };
        db.Users.Add(user);
        var token = AuthSetup.NewToken();
        db.ApiTokens.Add(new ApiToken { UserId = user.Id, Name = "bench", TokenHash = AuthSetup.HashToken(token), CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
        return token;
    }
}

/// <summary>The national load: for every TPS its governor and bupati/walikota sheet, generated deterministically and valid.</summary>
sealed class Load
{
    public required string[] Tps { get; init; }
    public required int[] Dpt { get; init; }
    public required int[] DptMale { get; init; }
    public required string[][] ContestsOf { get; init; }
    public required Dictionary<string, int[]> Numbers { get; init; }
    public int TpsCount => Tps.Length;
    public int Count { get; init; }
    public required string ProbeContest { get; init; }

    public static string Prefix(ContestKind k) => k switch { ContestKind.Gubernur => "PILGUB", ContestKind.Walikota => "PILWALKOT", _ => "PILBUP" };

    public static async Task<Load> BuildAsync(string cs, DatabaseProvider provider, int limit)
    {
        await using var db = Db.Open(cs, provider);
        var contests = await db.Contests.AsNoTracking().Include(c => c.Paslon).ToListAsync();
        var byRegion = contests.ToDictionary(c => c.RegionCode, c => c.Code);
        var numbers = contests.ToDictionary(c => c.Code, c => c.Paslon.Select(p => p.Number).OrderBy(n => n).ToArray());
        var q = db.Tps.AsNoTracking().OrderBy(t => t.Code).Select(t => new { t.Code, t.KabKotaCode, t.Dpt, t.DptMale });
        var rows = limit > 0 ? await q.Take(limit).ToListAsync() : await q.ToListAsync();
        var contestsOf = rows.Select(r => new[] { byRegion.GetValueOrDefault(r.KabKotaCode[..2]), byRegion.GetValueOrDefault(r.KabKotaCode) }
            .Where(c => c is not null).Select(c => c!).ToArray()).ToArray();
        var offsets = new int[rows.Count + 1];
        for (var i = 0; i < rows.Count; i++) offsets[i + 1] = offsets[i] + contestsOf[i].Length;
        return new Load
        {
            Tps = rows.Select(r => r.Code).ToArray(), Dpt = rows.Select(r => r.Dpt).ToArray(), DptMale = rows.Select(r => r.DptMale).ToArray(),
            ContestsOf = contestsOf, Numbers = numbers, Count = offsets[^1],
            ProbeContest = byRegion.TryGetValue("16", out var sumsel) ? sumsel : contestsOf.First(c => c.Length > 0)[0],
        }.WithOffsets(offsets);
    }

    private int[] Offsets { get; set; } = [];
    private Load WithOffsets(int[] o) { Offsets = o; return this; }

    /// <summary>Sheet <paramref name="i"/> of the load (TPS-major order).</summary>
    public CHasilSheet Sheet(int i)
    {
        var t = Array.BinarySearch(Offsets, i);
        t = t >= 0 ? t : ~t - 1;
        while (t + 1 < Offsets.Length && Offsets[t + 1] <= i) t++;
        var contest = ContestsOf[t][i - Offsets[t]];
        var tps = Tps[t];
        double U(string salt) => Apportion.StableUnit(tps + contest + salt);
        long dpt = Dpt[t], dptL = DptMale[t], dptP = dpt - dptL;
        long dpph = (long)(U("h") * 4), dptb = (long)(U("b") * 7);
        var turnout = 0.55 + 0.3 * U("t");
        long usersDpt = (long)(dpt * turnout);
        long usersDptL = Math.Min(dptL, (long)Math.Round(usersDpt * (double)dptL / Math.Max(1, dpt)));
        long usersDptP = usersDpt - usersDptL;
        if (usersDptP > dptP) { usersDptP = dptP; usersDptL = usersDpt - dptP; }
        long users = usersDpt + dpph + dptb;
        long disabled = Math.Min(users, (long)(U("d") * 4));
        long received = dpt + (long)Math.Ceiling(dpt * 0.025);
        long damaged = (long)(U("r") * 3);
        long tidakSah = (long)Math.Round(users * (0.02 + 0.04 * U("x")));
        long sah = users - tidakSah;
        var nums = Numbers[contest];
        var weights = nums.Select(n => 0.3 + U("p" + n)).ToArray();
        var parts = Apportion.ByWeights(sah, weights);
        var votes = nums.Select((n, k) => (n, parts[k])).ToDictionary(x => x.n, x => x.Item2);
        var f = new Dictionary<string, long>
        {
            ["suaraSah"] = sah, ["suaraTidakSah"] = tidakSah,
            ["dptL"] = dptL, ["dptP"] = dptP, ["dpt"] = dpt,
            ["dpphL"] = dpph / 2, ["dpphP"] = dpph - dpph / 2, ["dpph"] = dpph,
            ["dptbL"] = dptb / 2, ["dptbP"] = dptb - dptb / 2, ["dptb"] = dptb,
            ["usersDptL"] = usersDptL, ["usersDptP"] = usersDptP, ["usersDpt"] = usersDpt,
            ["usersDpphL"] = dpph / 2, ["usersDpphP"] = dpph - dpph / 2, ["usersDpph"] = dpph,
            ["usersDptbL"] = dptb / 2, ["usersDptbP"] = dptb - dptb / 2, ["usersDptb"] = dptb,
            ["disabledL"] = disabled / 2, ["disabledP"] = disabled - disabled / 2, ["disabled"] = disabled,
            ["ballotsReceived"] = received, ["ballotsUsed"] = users, ["ballotsDamaged"] = damaged, ["ballotsUnused"] = received - users - damaged,
        };
        return SheetFields.FromNamed(contest, tps, votes, f);
    }

    public static string Key(int i) => "bench-" + i.ToString(CultureInfo.InvariantCulture);

    public static void WriteJson(StringBuilder sb, CHasilSheet s, string? key)
    {
        sb.Append("{\"contest\":\"").Append(s.Contest).Append("\",\"tps\":\"").Append(s.Tps).Append('"');
        if (key is not null) sb.Append(",\"idempotencyKey\":\"").Append(key).Append('"');
        sb.Append(",\"votes\":{");
        var first = true;
        foreach (var (n, v) in s.Votes)
        {
            if (!first) sb.Append(',');
            first = false;
            sb.Append('"').Append(n.ToString(CultureInfo.InvariantCulture)).Append("\":").Append(v.ToString(CultureInfo.InvariantCulture));
        }
        sb.Append('}');
        foreach (var f in SheetFields.Numeric.Where(f => f.Has(s))) sb.Append(",\"").Append(f.Name).Append("\":").Append(f.Get(s).ToString(CultureInfo.InvariantCulture));
        sb.Append('}');
    }
}

static class Net
{
    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public static async Task WaitHealthyAsync(HttpClient http)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromMinutes(2))
        {
            try { if ((await http.GetAsync("/health")).IsSuccessStatusCode) return; } catch (HttpRequestException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException("server did not become healthy");
    }
}

sealed record LatencyStats(int Count, double P50, double P99, double Max)
{
    /// <summary>The server's own time for the same reads (its Server-Timing header), where it sends one.</summary>
    public LatencyStats? Server { get; init; }

    public override string ToString() => $"{Count:N0} reads, p50 {P50:0.00} ms, p99 {P99:0.00} ms, max {Max:0.0} ms"
        + (Server is { } s ? $"; server time (Server-Timing) p50 {s.P50:0.000} ms, p99 {s.P99:0.000} ms, max {s.Max:0.00} ms" : "");
}

/// <summary>In-process timings of a computation (microseconds), after 1,000 untimed calls.</summary>
sealed record Timing(int Count, double P50Us, double P99Us, double MaxUs)
{
    public static Timing Of(int count, Action call)
    {
        for (var i = 0; i < 1000; i++) call();
        var us = new double[count];
        for (var i = 0; i < count; i++)
        {
            var t = Stopwatch.GetTimestamp();
            call();
            us[i] = Stopwatch.GetElapsedTime(t).TotalMicroseconds;
        }
        Array.Sort(us);
        return new Timing(count, us[count / 2], us[(int)Math.Ceiling(0.99 * count) - 1], us[^1]);
    }

    public override string ToString() => $"{Count:N0} calls, p50 {P50Us:0.0} µs, p99 {P99Us:0.0} µs, max {MaxUs:0} µs";
}

/// <summary>
/// The recap reader: a process of its own (this program with <c>--probe</c>), started once before the load generator lowers its
/// own priority, so that it reads at normal priority, as a browser or a newsroom on another machine would. It reads the path back
/// to back, one request at a time, 20 ms apart, while a measurement is open. The load generator's own garbage collections and
/// threads (it holds the request bodies of the whole load and parses every answer) are not counted as server latency.
/// </summary>
sealed class Probe : IDisposable
{
    private readonly Process _process;

    private Probe(Process process) => _process = process;

    /// <summary>Starts a reader of <paramref name="path"/> on the server of <paramref name="http"/>, or with <paramref name="http"/>
    /// null the loopback echo control (no server, no HTTP: one byte to a thread of the same process and back). With
    /// <paramref name="cpus"/> (a <c>taskset</c> list) the reader runs on those CPUs only.</summary>
    public static Probe Start(HttpClient? http, string path, string? cpus = null)
    {
        var self = Environment.ProcessPath!;
        var dll = typeof(Probe).Assembly.Location;
        var args = $"--probe {http?.BaseAddress?.ToString() ?? "echo"} \"{path}\"";
        var command = Path.GetFileNameWithoutExtension(self) == "dotnet" ? $"\"{dll}\" {args}" : args;
        var psi = cpus is null ? new ProcessStartInfo(self, command) : new ProcessStartInfo("taskset", $"-c {cpus} \"{self}\" {command}");
        psi.UseShellExecute = false;
        psi.RedirectStandardInput = true;
        psi.RedirectStandardOutput = true;
        psi.Environment["DOTNET_gcServer"] = "0"; // a small client: the workstation collector, as a browser-like reader has
        // Fully optimised code from the first call: no re-compilation of the client's own code in the middle of a measurement.
        psi.Environment["DOTNET_TieredCompilation"] = "0";
        return new Probe(Process.Start(psi)!);
    }

    /// <summary>Reads for <paramref name="duration"/> (or until <paramref name="ct"/> is cancelled) and returns the latencies as
    /// the client saw them.</summary>
    public async Task<LatencyStats> MeasureAsync(TimeSpan duration, CancellationToken ct)
    {
        await _process.StandardInput.WriteLineAsync("start");
        await _process.StandardInput.FlushAsync(CancellationToken.None);
        try { await Task.Delay(duration, ct); } catch (OperationCanceledException) { }
        await _process.StandardInput.WriteLineAsync("stop");
        await _process.StandardInput.FlushAsync(CancellationToken.None);
        LatencyStats? server = null;
        while (await _process.StandardOutput.ReadLineAsync(CancellationToken.None) is { } line)
        {
            static LatencyStats Parse(string figures)
            {
                var f = figures.Split(' ').Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray();
                return new LatencyStats((int)f[0], f[1], f[2], f[3]);
            }
            if (line.StartsWith("server ", StringComparison.Ordinal)) server = Parse(line["server ".Length..]);
            if (line.StartsWith("latency ", StringComparison.Ordinal)) return Parse(line["latency ".Length..]) with { Server = server };
        }
        throw new InvalidOperationException("the recap probe ended without figures");
    }

    private bool _disposed;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try { _process.StandardInput.Close(); _process.WaitForExit(5000); } catch (IOException) { }
        _process.Dispose();
    }

    /// <summary>The probe process: between a <c>start</c> and a <c>stop</c> line on standard input it reads; at <c>stop</c> it prints
    /// <c>latency count p50 p99 max</c>. It ends with its input.</summary>
    public static int Run(string baseUrl, string path)
    {
        // No Authorization header: the recap is public, read by anonymous browsers and the press.
        var commands = new System.Collections.Concurrent.BlockingCollection<string>();
        new Thread(() => { while (Console.ReadLine() is { } l) commands.Add(l.Trim()); commands.CompleteAdding(); }) { IsBackground = true }.Start();
        Action get;
        var server = new List<double>(1 << 16); // the Server-Timing figures of the reads, where the server sends them
        if (baseUrl == "echo")
        {
            // The control: the same cadence, priority and process shape as a reader, but the "server" is a thread of this process
            // that sends one byte back. Its tail is the machine's (waking two threads), with no Pantau, ASP.NET or HTTP in it.
            var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            new Thread(() =>
            {
                using var peer = listener.Accept();
                peer.NoDelay = true;
                var one = new byte[1];
                while (peer.Receive(one) == 1) peer.Send(one);
            }) { IsBackground = true, Name = "echo" }.Start();
            var client = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            client.Connect(listener.LocalEndPoint!);
            var b = new byte[1];
            get = () =>
            {
                client.Send(b);
                if (client.Receive(b) != 1) throw new IOException("the echo thread closed the connection");
            };
        }
        else if (Environment.GetEnvironmentVariable("PANTAU_PROBE_CLIENT") == "httpclient")
        {
            // .NET's HttpClient, as runs before 2026-11-24 measured: it adds ~0.4 ms (p50) and ~1.4 ms (p99) of its own on this machine.
            var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 }) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(1) };
            var buffer = new byte[1 << 16];
            get = () =>
            {
                using var res = http.Send(new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseHeadersRead);
                res.EnsureSuccessStatusCode();
                using var body = res.Content.ReadAsStream();
                while (body.Read(buffer) > 0) { }
            };
        }
        else
        {
            var raw = new RawHttpGet(new Uri(baseUrl), path);
            get = () => { raw.Get(); if (raw.ServerMs is { } ms) server.Add(ms); };
        }
        // A path with "{1..N}" in it (the proof readers) asks for a random number in 1..N each read; its first reads wait for the
        // first measurement, as the log they ask about is only there after the ingest.
        var templated = RawHttpGet.IsTemplate(path);
        double Read()
        {
            var t = Stopwatch.GetTimestamp();
            get();
            return Stopwatch.GetElapsedTime(t).TotalMilliseconds;
        }
        void WarmUp() { for (var i = 0; i < 20; i++) Read(); } // this process's own first requests set up the connection: not counted
        if (!templated) WarmUp();
        var lat = new List<double>(1 << 16);
        var reading = false;
        // PANTAU_PROBELOG=file: (into file.PORT) every read's wall-clock time (Unix ms) and latency, to line up slow reads with server events.
        using var log = Environment.GetEnvironmentVariable("PANTAU_PROBELOG") is { Length: > 0 } logPath
            ? new StreamWriter($"{logPath}.{(baseUrl == "echo" ? "echo" : new Uri(baseUrl).Port.ToString(CultureInfo.InvariantCulture))}", append: true) : null;
        while (!commands.IsCompleted)
        {
            if (commands.TryTake(out var command, reading ? 20 : Timeout.Infinite))
            {
                if (command == "start") { if (templated) { WarmUp(); templated = false; } lat.Clear(); server.Clear(); reading = true; }
                else if (command == "stop")
                {
                    reading = false;
                    static string Figures(List<double> l)
                    {
                        l.Sort();
                        double P(double q) => l.Count == 0 ? 0 : l[Math.Min(l.Count - 1, (int)Math.Ceiling(q * l.Count) - 1)];
                        return string.Create(CultureInfo.InvariantCulture, $"{l.Count} {P(0.50)} {P(0.99)} {(l.Count == 0 ? 0 : l[^1])}");
                    }
                    if (server.Count > 0) Console.WriteLine($"server {Figures(server)}");
                    Console.WriteLine($"latency {Figures(lat)}");
                    Console.Out.Flush();
                }
                continue;
            }
            if (reading)
            {
                lat.Add(Read());
                log?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()} {lat[^1]:0.000}"));
            }
        }
        return 0;
    }
}

/// <summary>
/// The reader's HTTP client: one keep-alive HTTP/1.1 connection, a GET written in one call and the answer read with blocking calls
/// on the calling thread until its Content-Length is in. It measures the server's answer on the wire: a general client (HttpClient,
/// a browser) adds its own time on top, and on this 2-core machine that is CPU taken from the server it measures.
/// </summary>
sealed class RawHttpGet : IDisposable
{
    private Socket _socket;
    private readonly byte[] _request;
    private readonly Uri _base;
    private readonly string _path;
    private readonly (int At, int Length, long Max)? _random;
    private byte[] _buffer = new byte[1 << 16];
    private static readonly System.Text.RegularExpressions.Regex Template = new(@"\{1\.\.([0-9]+)\}");

    /// <summary>Whether <paramref name="path"/> has a <c>{1..N}</c> part, replaced by a random number in 1..N at each GET.</summary>
    public static bool IsTemplate(string path) => Template.IsMatch(path);

    /// <summary>The server's own time for the last answer (its <c>Server-Timing</c> header's <c>dur</c>, ms), where it sent one.</summary>
    public double? ServerMs { get; private set; }

    private readonly string _accept;

    public RawHttpGet(Uri baseUri, string path, string accept = "application/json")
    {
        (_base, _path, _accept) = (baseUri, path, accept);
        _socket = Connect();
        if (Template.Match(path) is { Success: true } m) _random = (m.Index, m.Length, long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        _request = Request(path);
    }

    private byte[] Request(string path) => Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {_base.Authority}\r\nAccept: {_accept}\r\n\r\n");

    private Socket Connect()
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(_base.Host, _base.Port);
        return socket;
    }

    /// <summary>
    /// One GET; throws unless the answer is a 200 with a Content-Length, read in full. A connection the server closed while it
    /// was idle (Kestrel's keep-alive timeout, e.g. during a long ingest before the proof readers start) is opened again once.
    /// </summary>
    public void Get() => Get(null);

    /// <summary>One GET of another path on the same connection (the burst readers' mix of pages).</summary>
    public void Get(string? path)
    {
        var request = path is null ? null : Request(path);
        try { GetOnce(request); }
        catch (Exception e) when (e is SocketException || (e is IOException && e.Message == ClosedBeforeAnswer))
        {
            _socket.Dispose();
            _socket = Connect();
            GetOnce(request);
        }
    }

    private const string ClosedBeforeAnswer = "the server closed the connection before answering";

    private void GetOnce(byte[]? request)
    {
        if (request is not null) _socket.Send(request);
        else if (_random is { } r)
        {
            var n = Random.Shared.NextInt64(1, r.Max + 1).ToString(CultureInfo.InvariantCulture);
            _socket.Send(Request(string.Concat(_path.AsSpan(0, r.At), n, _path.AsSpan(r.At + r.Length))));
        }
        else _socket.Send(_request);
        int got = 0, headerEnd = -1;
        long length = -1;
        while (headerEnd < 0 || got < headerEnd + length)
        {
            if (got == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
            var n = _socket.Receive(_buffer, got, _buffer.Length - got, SocketFlags.None);
            if (n == 0) throw new IOException(got == 0 ? ClosedBeforeAnswer : "the server closed the connection");
            got += n;
            if (headerEnd >= 0) continue;
            var end = _buffer.AsSpan(0, got).IndexOf("\r\n\r\n"u8);
            if (end < 0) continue;
            headerEnd = end + 4;
            var head = Encoding.ASCII.GetString(_buffer, 0, end);
            if (!head.StartsWith("HTTP/1.1 200 ", StringComparison.Ordinal)) throw new IOException($"unexpected answer: {head.Split('\r')[0]}");
            ServerMs = null;
            foreach (var line in head.Split("\r\n"))
            {
                if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) length = long.Parse(line.AsSpan(15).Trim(), CultureInfo.InvariantCulture);
                else if (line.StartsWith("Server-Timing:", StringComparison.OrdinalIgnoreCase) && line.IndexOf("dur=", StringComparison.Ordinal) is var d and >= 0)
                    ServerMs = double.Parse(line.AsSpan(d + 4).TrimEnd(), CultureInfo.InvariantCulture);
            }
            if (length < 0) throw new IOException("the answer has no Content-Length");
        }
        if (got != headerEnd + length) throw new IOException("more bytes than the answer's Content-Length");
    }

    public void Dispose() => _socket.Dispose();
}

/// <summary>The load generator's own scheduling priority.</summary>
static class Priority
{
    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int sched_setscheduler(int pid, int policy, ref int param);

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int sched_getscheduler(int pid);

    private const int SchedIdle = 5;
    private static Thread? _keeper;

    /// <summary>Moves every thread of this process to the Linux SCHED_IDLE policy: the generator then runs on whatever CPU time the
    /// server and the readers leave, and a waking server or reader thread takes the core from it at once. Returns false where that
    /// is not possible.
    /// A thread inherits the policy of the thread that starts it, but not every new thread of the runtime is started by one of ours
    /// (one of the thread pool's workers was seen at normal priority during an ingest, where it held a core until the next 4 ms tick
    /// against the readers). So a keeper thread moves any newcomer every 50 ms for the rest of the run.</summary>
    public static bool Background()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            var ok = MoveAll();
            if (ok && _keeper is null)
            {
                _keeper = new Thread(() =>
                {
                    while (true)
                    {
                        Thread.Sleep(50);
                        // A failed pass (a thread's directory gone between listing and reading) is retried 50 ms later.
                        try { MoveAll(); }
                        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
                    }
                }) { IsBackground = true, Name = "idle keeper" };
                _keeper.Start();
            }
            return ok;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    /// <summary>SCHED_IDLE for every thread of this process not in it yet (the keeper too, once it exists: it only needs a moment
    /// every 50 ms, which a SCHED_IDLE thread still gets while the generator has any).</summary>
    private static bool MoveAll()
    {
        var ok = true;
        foreach (var task in Directory.GetDirectories("/proc/self/task"))
        {
            if (!int.TryParse(Path.GetFileName(task), out var tid) || sched_getscheduler(tid) == SchedIdle) continue;
            var zero = 0;
            ok &= sched_setscheduler(tid, SchedIdle, ref zero) == 0 || !Directory.Exists(task); // a thread may end meanwhile
        }
        return ok;
    }
}

static class Ingest
{
    /// <summary>The request bodies of sheets <paramref name="start"/>..+<paramref name="count"/>, built before the clock starts
    /// (an importer has its data ready; the load generator shares the two cores with the server).</summary>
    public static byte[][] SingleBodies(Load load, int start, int count)
    {
        var bodies = new byte[count][];
        Parallel.For(0, count, i =>
        {
            var sb = new StringBuilder(1024);
            Load.WriteJson(sb, load.Sheet(start + i), null);
            bodies[i] = Encoding.UTF8.GetBytes(sb.ToString());
        });
        return bodies;
    }

    public static byte[][] BatchBodies(Load load, int start, int count, int batchSize)
    {
        var batches = (count + batchSize - 1) / batchSize;
        var bodies = new byte[batches][];
        Parallel.For(0, batches, b =>
        {
            var from = start + b * batchSize;
            var to = Math.Min(start + count, from + batchSize);
            var sb = new StringBuilder((to - from) * 900);
            sb.Append('[');
            for (var i = from; i < to; i++)
            {
                if (i > from) sb.Append(',');
                Load.WriteJson(sb, load.Sheet(i), Load.Key(i));
            }
            sb.Append(']');
            bodies[b] = Encoding.UTF8.GetBytes(sb.ToString());
        });
        return bodies;
    }

    /// <summary>With several instances (<c>--instances 2</c>), requests go round robin, as behind a load balancer.</summary>
    public static async Task<int> SingleAsync(HttpClient[] instances, byte[][] bodies, int start, int concurrency)
    {
        var next = -1;
        var errors = 0;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (true)
            {
                var k = Interlocked.Increment(ref next);
                if (k >= bodies.Length) return;
                var content = new ByteArrayContent(bodies[k]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var req = new HttpRequestMessage(HttpMethod.Post, "/api/tally/sheets") { Content = content };
                req.Headers.Add("Idempotency-Key", Load.Key(start + k));
                using var res = await instances[k % instances.Length].SendAsync(req);
                if ((int)res.StatusCode != 201)
                {
                    if (Interlocked.Increment(ref errors) <= 3) Console.WriteLine($"  single {start + k}: {(int)res.StatusCode} {await res.Content.ReadAsStringAsync()}");
                }
            }
        }));
        return errors;
    }

    public static async Task<int> BatchAsync(HttpClient[] instances, byte[][] bodies, int count, int batchSize, int writers, Action<int> progress)
    {
        var next = -1;
        var errors = 0;
        var done = 0;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(async _ =>
        {
            while (true)
            {
                var b = Interlocked.Increment(ref next);
                if (b >= bodies.Length) return;
                var size = Math.Min(batchSize, count - b * batchSize);
                var content = new ByteArrayContent(bodies[b]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var res = await instances[b % instances.Length].PostAsync("/api/tally/batch", content);
                var body = await res.Content.ReadAsStringAsync();
                if (!res.IsSuccessStatusCode)
                {
                    Interlocked.Add(ref errors, size);
                    Console.WriteLine($"  batch {b}: {(int)res.StatusCode} {body[..Math.Min(300, body.Length)]}");
                }
                else
                {
                    var accepted = CountOccurrences(body, "\"outcome\":\"accepted\"");
                    if (accepted != size)
                    {
                        Interlocked.Add(ref errors, size - accepted);
                        if (Volatile.Read(ref errors) < 5) Console.WriteLine($"  batch {b}: {accepted}/{size} accepted: {body[..Math.Min(400, body.Length)]}");
                    }
                }
                progress(Interlocked.Add(ref done, size));
            }
        }));
        return errors;
    }

    private static int CountOccurrences(string s, string what)
    {
        int n = 0, i = 0;
        while ((i = s.IndexOf(what, i, StringComparison.Ordinal)) >= 0) { n++; i += what.Length; }
        return n;
    }
}

static class Raw
{
    /// <summary>Inserts one ResultVersions row per sheet with prepared statements, 10,000 per transaction: the minimal storage work.</summary>
    public static async Task<long> InsertAsync(string cs, Load load)
    {
        await using var c = new SqliteConnection(cs);
        await c.OpenAsync();
        await using (var pragma = c.CreateCommand()) { pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"; await pragma.ExecuteNonQueryAsync(); }
        var columns = new List<(string Name, string Type, bool NotNull)>();
        await using (var info = c.CreateCommand())
        {
            info.CommandText = "PRAGMA table_info(\"ResultVersions\")";
            await using var r = await info.ExecuteReaderAsync();
            while (await r.ReadAsync()) if (r.GetString(1) != "Id") columns.Add((r.GetString(1), r.GetString(2), r.GetInt32(3) == 1));
        }
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"INSERT INTO \"ResultVersions\" ({string.Join(",", columns.Select(x => $"\"{x.Name}\""))}) VALUES ({string.Join(",", columns.Select((_, i) => "$p" + i))})";
        var ps = columns.Select((_, i) => cmd.Parameters.Add(new SqliteParameter("$p" + i, null))).ToArray();
        cmd.Prepare();
        long rows = 0;
        var now = DateTimeOffset.UtcNow.UtcTicks;
        for (var start = 0; start < load.Count; start += 10_000)
        {
            await using var tx = (SqliteTransaction)await c.BeginTransactionAsync();
            cmd.Transaction = tx;
            for (var i = start; i < Math.Min(load.Count, start + 10_000); i++)
            {
                var s = load.Sheet(i);
                for (var k = 0; k < columns.Count; k++)
                {
                    var (name, type, notNull) = columns[k];
                    ps[k].Value = name switch
                    {
                        "ContestCode" => s.Contest,
                        "TpsCode" => s.Tps,
                        "DesaCode" => RegionCode.FromNumeric(s.Tps[..10]),
                        "VersionNo" => 1,
                        "Status" => 1,
                        "Payload" => s.Canonical(),
                        "Source" => "raw",
                        "SubmittedById" or "SubmittedBy" => "bench",
                        "SubmittedAt" => now,
                        "IdempotencyKey" => Load.Key(i),
                        "LogSeq" => i + 1L,
                        _ => notNull ? (type.StartsWith("INT", StringComparison.OrdinalIgnoreCase) ? 0 : "") : DBNull.Value,
                    };
                }
                await cmd.ExecuteNonQueryAsync();
                rows++;
            }
            await tx.CommitAsync();
        }
        return rows;
    }

    /// <summary>PostgreSQL's limit: the same ResultVersions rows written by binary COPY, 10,000 per COPY and transaction (what
    /// PostgreSQL is fastest at; the intake cannot use it as is, because it must also update rows under concurrency tokens).</summary>
    public static async Task<long> CopyAsync(string cs, Load load)
    {
        await using var c = new Npgsql.NpgsqlConnection(cs);
        await c.OpenAsync();
        var columns = new List<(string Name, string Type, bool NotNull)>();
        await using (var info = c.CreateCommand())
        {
            info.CommandText = "SELECT column_name, data_type, is_nullable = 'NO' FROM information_schema.columns " +
                               "WHERE table_name = 'ResultVersions' AND column_name <> 'Id' ORDER BY ordinal_position";
            await using var r = await info.ExecuteReaderAsync();
            while (await r.ReadAsync()) columns.Add((r.GetString(0), r.GetString(1), r.GetBoolean(2)));
        }
        var copy = $"COPY \"ResultVersions\" ({string.Join(",", columns.Select(x => $"\"{x.Name}\""))}) FROM STDIN (FORMAT BINARY)";
        long rows = 0;
        var now = DateTime.UtcNow;
        for (var start = 0; start < load.Count; start += 10_000)
        {
            await using var tx = await c.BeginTransactionAsync();
            await using (var w = await c.BeginBinaryImportAsync(copy))
            {
                for (var i = start; i < Math.Min(load.Count, start + 10_000); i++)
                {
                    var s = load.Sheet(i);
                    await w.StartRowAsync();
                    foreach (var (name, type, notNull) in columns)
                    {
                        switch (name)
                        {
                            case "ContestCode": await w.WriteAsync(s.Contest, NpgsqlTypes.NpgsqlDbType.Text); break;
                            case "TpsCode": await w.WriteAsync(s.Tps, NpgsqlTypes.NpgsqlDbType.Text); break;
                            case "DesaCode": await w.WriteAsync(RegionCode.FromNumeric(s.Tps[..10]), NpgsqlTypes.NpgsqlDbType.Text); break;
                            case "VersionNo" or "Status": await w.WriteAsync(1, NpgsqlTypes.NpgsqlDbType.Integer); break;
                            case "Payload": await w.WriteAsync(s.Canonical(), NpgsqlTypes.NpgsqlDbType.Text); break;
                            case "Source": await w.WriteAsync("raw", NpgsqlTypes.NpgsqlDbType.Text); break;
                            case "SubmittedById" or "SubmittedBy": await w.WriteAsync("bench", NpgsqlTypes.NpgsqlDbType.Text); break;
                            case "SubmittedAt": await w.WriteAsync(now, NpgsqlTypes.NpgsqlDbType.TimestampTz); break;
                            case "IdempotencyKey": await w.WriteAsync(Load.Key(i), NpgsqlTypes.NpgsqlDbType.Text); break;
                            case "LogSeq": await w.WriteAsync(i + 1L, NpgsqlTypes.NpgsqlDbType.Bigint); break;
                            default:
                                if (!notNull) await w.WriteNullAsync();
                                else if (type == "integer") await w.WriteAsync(0, NpgsqlTypes.NpgsqlDbType.Integer);
                                else if (type == "bigint") await w.WriteAsync(0L, NpgsqlTypes.NpgsqlDbType.Bigint);
                                else await w.WriteAsync("", NpgsqlTypes.NpgsqlDbType.Text);
                                break;
                        }
                    }
                    rows++;
                }
                await w.CompleteAsync();
            }
            await tx.CommitAsync();
        }
        return rows;
    }
}

static class Machine
{
    public static string Describe()
    {
        string Read(string f) => File.Exists(f) ? File.ReadAllText(f) : "";
        var cpu = Read("/proc/cpuinfo").Split('\n').FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        var memKb = Read("/proc/meminfo").Split('\n').FirstOrDefault(l => l.StartsWith("MemTotal"))?.Split(':', 2)[1].Trim() ?? "?";
        var os = Read("/etc/os-release").Split('\n').FirstOrDefault(l => l.StartsWith("PRETTY_NAME"))?.Split('=', 2)[1].Trim('"') ?? "Linux";
        return $"{Environment.ProcessorCount} cores ({cpu}), {memKb} RAM, {os}, .NET {Environment.Version}, SQLite {Sqlite.Version()}";
    }
}

sealed class Report
{
    public DatabaseProvider Provider;
    /// <summary>The store's engine, version and settings as the run read them.</summary>
    public string StoreVersion = "";
    public int Tps, Sheets, SingleSheets, BatchSheets, Errors, Clients;
    public bool GeneratorBackground, IntakeIdle;
    public double SingleSeconds, BatchSeconds, RawSeconds, VerifyWall;
    public long RawRows;
    public LatencyStats RecapIdle = new(0, 0, 0, 0), RecapDuringIngest = new(0, 0, 0, 0), RecapAfter = new(0, 0, 0, 0);
    public LatencyStats? RecapReadInstance, RecapReadInstanceIdle, EchoIdle, EchoDuringIngest;
    /// <summary>With <c>--reads-core</c>: the CPUs of the intake (ingesting server and its reader) and of the reads
    /// (read instance, its reader, the echo control), as <c>taskset</c> lists.</summary>
    public string? IntakeCpus, ReadCpus;
    public string VerifyOutput = "", ProvinceTotals = "";
    // The public log (issue 23): the tree's size and first use after the ingest, proofs over HTTP and in process, the independent verifier.
    public long TreeSize;
    public double TreeFirstUse, TreeBuildSeconds, PyVerifyWall;
    public LatencyStats? InclusionProofs, ConsistencyProofs, EchoAfter;
    public Timing? InProcessInclusion, InProcessConsistency;
    // Public reads during the ingest (issue 22.4): results pages and recap API reads of the probe province, its kab/kota and kecamatan.
    public int ReadRegions;
    // --instances 2 (issue 22.2): two ingesting instances on one database, round robin; the live-update delay between them.
    public int Instances = 1;
    public LatencyStats? LiveDelay, LiveAck;
    public BurstStats? PagesDuringIngest, ApiDuringIngest, PagesReadInstance, ApiReadInstance, PagesBothInstances;
    public bool PyVerifyOk;
    public string PyVerifyOutput = "";

    public double SingleRate => SingleSheets / Math.Max(0.001, SingleSeconds);
    public double BatchRate => BatchSheets / Math.Max(0.001, BatchSeconds);
    public double RawRate => RawRows / Math.Max(0.001, RawSeconds);
    /// <summary>The verify command's own rate (entries/s), from its output; 0 when it printed none.</summary>
    public long VerifyRate => System.Text.RegularExpressions.Regex.Match(VerifyOutput, @"; ([0-9.]+) s \(([0-9]+) entries/s") is { Success: true } m
        ? long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : 0;
    private string StoreName => Provider == DatabaseProvider.Postgres ? "PostgreSQL" : "SQLite";

    /// <summary>The figures the issue compares, one column per store of this run (issue 22: both stores side by side).</summary>
    public static string SideBySide(IReadOnlyList<Report> reports, string machine, string arguments)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Pantau ingest benchmark, stores side by side");
        sb.AppendLine();
        sb.AppendLine($"Run {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC with `dotnet run -c Release --project bench/Pantau.Bench -- {arguments}`, one store after the other, each with its own server process.");
        sb.AppendLine($"Machine: {machine}. Stores: {string.Join("; ", reports.Select(r => r.StoreVersion))}.");
        sb.AppendLine($"Load: {reports[0].Tps:N0} TPS x their contests = {reports[0].Sheets:N0} sheets. Each store's own section follows.");
        sb.AppendLine();
        sb.AppendLine("| measure | " + string.Join(" | ", reports.Select(r => r.StoreName)) + (reports.Count == 2 ? $" | {reports[1].StoreName} / {reports[0].StoreName} |" : " |"));
        sb.AppendLine("| --- |" + string.Concat(reports.Select(_ => " --- |")) + (reports.Count == 2 ? " --- |" : ""));
        void Row(string name, Func<Report, double> value, string format, bool ratio = true) =>
            sb.AppendLine($"| {name} | " + string.Join(" | ", reports.Select(r => value(r).ToString(format, CultureInfo.InvariantCulture))) +
                (reports.Count == 2 ? " | " + (ratio && value(reports[0]) > 0 ? (value(reports[1]) / value(reports[0])).ToString("0.00", CultureInfo.InvariantCulture) + "x" : "") + " |" : " |"));
        Row("HTTP API, single sheet, sheets/s", r => r.SingleRate, "N0");
        Row("HTTP API, batch, sheets/s", r => r.BatchRate, "N0");
        Row("whole load through the API, s", r => r.SingleSeconds + r.BatchSeconds, "0.0");
        Row("raw limit of the store, rows/s (SQLite: prepared INSERTs; PostgreSQL: binary COPY)", r => r.RawRate, "N0");
        Row("API batch / raw limit", r => r.BatchRate / Math.Max(0.001, r.RawRate) * 100, "0'%'", ratio: false);
        Row("province recap p99 during the ingest, ms", r => r.RecapDuringIngest.P99, "0.00");
        Row("control: loopback echo p99 during the ingest, ms", r => r.EchoDuringIngest?.P99 ?? 0, "0.00");
        Row("recap p99 / echo p99 (target <= 1.5)", r => r.RecapDuringIngest.P99 / Math.Max(0.001, r.EchoDuringIngest?.P99 ?? 0), "0.00", ratio: false);
        Row("verify, sheets/s (target >= 200,000)", r => r.VerifyRate, "N0");
        Row("public results pages during the ingest, reads/s (16 connections)", r => r.PagesDuringIngest?.Rate ?? 0, "N0");
        Row("recap API reads during the ingest, reads/s (16 connections)", r => r.ApiDuringIngest?.Rate ?? 0, "N0");
        if (reports.Any(r => r.Instances > 1)) Row("live update between the two instances, p50 ms", r => r.LiveDelay?.P50 ?? 0, "0.0");
        Row("independent verifier, wall s", r => r.PyVerifyWall, "0.0");
        Row("ingest errors", r => r.Errors, "0", ratio: false);
        return sb.ToString();
    }

    public string ToMarkdown(string machine, string arguments, string heading = "#")
    {
        var total = SingleSeconds + BatchSeconds;
        var sb = new StringBuilder();
        sb.AppendLine(heading == "#" ? "# Pantau ingest benchmark" : $"{heading} {StoreName}");
        sb.AppendLine();
        sb.AppendLine($"Run {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC with `dotnet run -c Release --project bench/Pantau.Bench -- {arguments}`.");
        sb.AppendLine($"Machine: {machine}. Server, load generator and recap reader share the machine (separate processes, loopback HTTP; " +
            (GeneratorBackground ? "the load generator in the background, SCHED_IDLE; " : "the load generator at normal priority; ") +
            (IntakeIdle ? "the ingesting server process wholly in the background, SCHED_IDLE (`chrt -i 0`); the read instance and the readers at normal priority"
                        : "server and readers at normal priority") + ")" +
            (ReadCpus is null ? "" : $"; CPUs split (`taskset`): the ingesting server and its reader on CPU {IntakeCpus}, the read instance, its reader and the echo control on CPU {ReadCpus}, the load generator unpinned") +
            (Provider == DatabaseProvider.Postgres ? $". Database: {StoreVersion}, the intake's set-based write path (docs/tally.md)."
                                                   : ". Database: SQLite (WAL, synchronous=FULL, 64 MiB page cache)."));
        sb.AppendLine();
        sb.AppendLine($"Load: {Tps:N0} TPS x their contests (governor + bupati/walikota) = **{Sheets:N0} C.Hasil sheets**, valid, generated deterministically.");
        sb.AppendLine();
        sb.AppendLine("| measure | figure |");
        sb.AppendLine("| --- | --- |");
        sb.AppendLine($"| HTTP API, single sheet ({Clients} concurrent clients) | {SingleSheets:N0} sheets in {SingleSeconds:0.0} s = **{SingleSheets / Math.Max(0.001, SingleSeconds):N0} sheets/s** |");
        sb.AppendLine($"| HTTP API, batch | {BatchSheets:N0} sheets in {BatchSeconds:0.0} s = **{BatchSheets / Math.Max(0.001, BatchSeconds):N0} sheets/s** |");
        sb.AppendLine($"| whole load through the API | {Sheets:N0} sheets in **{total:0.0} s** (target < 120 s) |");
        sb.AppendLine($"| {(Provider == DatabaseProvider.Postgres ? "raw binary COPY of the same sheets (storage limit, one ResultVersions row each, 10,000 per COPY)" : "raw prepared INSERTs of the same sheets (storage limit, one ResultVersions row each)")} | {RawRows:N0} rows in {RawSeconds:0.0} s = **{RawRows / Math.Max(0.001, RawSeconds):N0} rows/s** |");
        sb.AppendLine($"| API batch throughput / raw insert throughput | **{BatchSheets / Math.Max(0.001, BatchSeconds) / (RawRows / Math.Max(0.001, RawSeconds)):P0}** |");
        sb.AppendLine($"| province recap read{(RecapReadInstance is null ? "" : " from the ingesting instance")}, idle | {RecapIdle} |");
        if (RecapReadInstance is { } ri)
        {
            if (RecapReadInstanceIdle is { } rii) sb.AppendLine($"| province recap read from the read instance, idle machine, before the ingest | {rii} |");
            sb.AppendLine($"| province recap read during the ingest, from the **read instance** (a second server process on the same database that takes no intake) | {ri} (target p99 < 5 ms) |");
            sb.AppendLine($"| province recap read during the ingest, from the ingesting instance{(IntakeIdle ? " (itself SCHED_IDLE)" : "")} | {RecapDuringIngest} |");
        }
        else sb.AppendLine($"| province recap read, **during the ingest** | {RecapDuringIngest} (target p99 < 5 ms) |");
        if (EchoIdle is { } ei) sb.AppendLine($"| control: one byte to a thread and back over loopback (no Pantau, no HTTP), same cadence and priority as the readers, idle machine | {ei} |");
        if (EchoDuringIngest is { } ed) sb.AppendLine($"| control: the same echo **during the ingest** (the machine's own wake-up tail under this load) | {ed} |");
        sb.AppendLine($"| province recap read{(RecapReadInstance is null ? "" : " from the ingesting instance")}, after | {RecapAfter} |");
        var rate = System.Text.RegularExpressions.Regex.Match(VerifyOutput, @"; ([0-9.]+) s \(([0-9]+) entries/s");
        if (rate.Success)
            sb.AppendLine($"| verify (the `verify` command's own timing: chain, versions, current rows, recap counters) | {Sheets:N0} entries in {rate.Groups[1].Value} s = **{long.Parse(rate.Groups[2].Value, CultureInfo.InvariantCulture):N0} sheets/s** (target > 200,000/s) |");
        sb.AppendLine($"| verify (separate process, wall time incl. .NET start-up and migration check) | {VerifyWall:0.0} s |");
        sb.AppendLine($"| public log: first request after the ingest (brings the server's Merkle tree up to date) | tree size {TreeSize:N0}, {TreeFirstUse * 1000:0} ms |");
        if (InclusionProofs is { } ip) sb.AppendLine($"| public log: inclusion proof of a random entry in the whole tree, over HTTP from the ingesting instance, idle | {ip} (target: server time < 5 ms) |");
        if (ConsistencyProofs is { } cp) sb.AppendLine($"| public log: consistency proof from a random size to the whole tree, over HTTP, idle | {cp} |");
        if (EchoAfter is { } ea) sb.AppendLine($"| control: the echo, idle, after the ingest (the floor under the two rows above) | {ea} |");
        if (InProcessInclusion is { } pi) sb.AppendLine($"| inclusion proof and root computed in process from the same tree ({TreeSize:N0} leaves, built in {TreeBuildSeconds:0.0} s; no HTTP) | {pi} |");
        if (InProcessConsistency is { } pc) sb.AppendLine($"| consistency proof computed in process | {pc} |");
        if (Instances > 1)
        {
            sb.AppendLine($"| instances taking the intake (round robin, same database) | **{Instances}** |");
            if (LiveDelay is { } ld) sb.AppendLine($"| live update between instances: a sheet sent to one, until the other's `/api/live` tells a subscriber (idle) | {ld} (the sending instance's own answer: {LiveAck}) |");
        }
        if (PagesDuringIngest is { } pg)
        {
            var mix = $"{ReadRegions} regions: the province, its kab/kota and kecamatan, at random; 16 keep-alive connections, 5 s, closed loop";
            sb.AppendLine($"| public results pages (`/hasil/...`, anonymous, {mix}) during the ingest, from the ingesting instance | {pg} |");
            if (ApiDuringIngest is { } ap) sb.AppendLine($"| the same regions' recap API reads (`/api/tally/recap/...`) during the ingest, from the ingesting instance | {ap} (pages / API: {pg.Rate / Math.Max(1, ap.Rate):P0}) |");
            if (PagesReadInstance is { } pri) sb.AppendLine($"| results pages from the read instance, during the ingest | {pri} |");
            if (ApiReadInstance is { } ari) sb.AppendLine($"| recap API reads from the read instance, during the ingest | {ari} |");
            if (PagesBothInstances is { } pb) sb.AppendLine($"| results pages from both instances at once, during the ingest (reads added) | {pb} ({pb.Rate / Math.Max(1, pg.Rate):0.00}x one instance) |");
        }
        sb.AppendLine($"| independent verifier (`python3 verifier/pantau_verify.py verify URL`, one process, wall time) | **{PyVerifyWall:0.0} s**, {(PyVerifyOk ? "OK" : "FAILED")} (target < 120 s) |");
        sb.AppendLine($"| ingest errors | {Errors} |");
        sb.AppendLine();
        sb.AppendLine("verify output:");
        sb.AppendLine("```");
        sb.AppendLine(VerifyOutput);
        sb.AppendLine("```");
        sb.AppendLine();
        sb.AppendLine("independent verifier output:");
        sb.AppendLine("```");
        sb.AppendLine(PyVerifyOutput);
        sb.AppendLine("```");
        return sb.ToString();
    }
}
