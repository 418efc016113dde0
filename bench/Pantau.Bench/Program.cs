// Pantau ingest benchmark: a national-scale Pilkada load (every TPS x governor + bupati/walikota contest) pushed through the
// real HTTP API of a separate server process, side by side with the same rows inserted raw into the same database engine,
// province recap read latency during the ingest, and verify speed. Not a test: it prints its figures and writes bench/RESULTS.md.
//
//   dotnet run -c Release --project bench/Pantau.Bench -- [--provinces all|16,17] [--single 20000] [--clients 32] [--batch 2000]
//        [--writers 2] [--limit N] [--work DIR] [--read-instance] [--intake-idle] [--reads-core] [--generator-foreground] [--no-results]
//        [--provider sqlite|postgres|both] [--pg "Host=127.0.0.1;Port=55432;Username=postgres"] [--keep-db] [--instances 2] (--help)
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Pantau.Bench;
using Pantau.Core.Security;
using Pantau.Data;
using Pantau.Data.Elections;
using Pantau.Data.Identity;
using Pantau.Data.Import;
using Pantau.Web.Infrastructure;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine("""
        Pantau ingest benchmark (bench/README section in README.md; figures in bench/RESULTS.md)
          dotnet run -c Release --project bench/Pantau.Bench -- [options]
          --provinces all|16,17   regions and TPS to load (default all: the national load)
          --single N              sheets through the single-sheet API first (default 20000), --clients N (32)
          --batch N --writers N   batch size (2000) and concurrent batch writers (2)
          --limit N               only the first N TPS
          --provider sqlite|postgres|both, --pg "Host=...;Username=..."   the store(s); both: side by side in one run
          --instances 2           two ingesting server processes on the one database, the load round robin; live-update delay between them
          --read-instance         a second server process that takes no intake (public reads); --reads-core pins it to the last CPU
          --intake-idle           the ingesting server in SCHED_IDLE; --generator-foreground keeps the load generator at normal priority
          --work DIR --keep-db --no-results   work folder, keep the database, do not rewrite bench/RESULTS.md
        """);
    return 0;
}
string Opt(string name, string def) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : def;
var root = Repo.Root();
var work = Path.GetFullPath(Opt("--work", Path.Combine(Path.GetTempPath(), "pantau-bench")));
var provincesOpt = Opt("--provinces", "all");
var singleCount = int.Parse(Opt("--single", "20000"));
var batchSize = int.Parse(Opt("--batch", "2000"));
var writers = int.Parse(Opt("--writers", "2"));
var clients = int.Parse(Opt("--clients", "32"));
var limit = int.Parse(Opt("--limit", "0"));
var generatorBackground = !args.Contains("--generator-foreground");
if (Array.IndexOf(args, "--probe") is var pr and >= 0) return Probe.Run(args[pr + 1], args[pr + 2]);
if (Array.IndexOf(args, "--burst") is var bu and >= 0) return Burst.Run(args[bu + 1]);
if (Array.IndexOf(args, "--verify-only") is var vo and >= 0)
{
    // Verify an existing database several times in this process (warm JIT): prints each run's phases.
    var file = args[vo + 1];
    var vcs = new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly }.ToString();
    // The server's key beside the database (as the server writes it into its data folder), else a fresh one (no checkpoints then).
    var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
    var pem = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file))!, "tally-signing-key.pem");
    if (File.Exists(pem)) key.ImportFromPem(File.ReadAllText(pem));
    var signer = new Pantau.Core.Tally.CheckpointSigner(key);
    for (var run = 1; run <= 3; run++)
    {
        await using var vdb = Db.Open(vcs);
        var (g0, g1, g2, pause) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
        var rep = await Pantau.Web.Tally.TallyVerifier.VerifyAsync(vdb, signer);
        Console.WriteLine($"run {run}: {rep.Entries:N0} entries in {rep.Seconds:0.000} s = {rep.Entries / rep.Seconds:N0}/s ({rep.Phases}) {(rep.Ok ? "OK" : rep.FirstDivergence)}; " +
            $"GC {GC.CollectionCount(0) - g0}/{GC.CollectionCount(1) - g1}/{GC.CollectionCount(2) - g2}, paused {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds:0} ms");
    }
    return 0;
}
var shared = SharedData.Locate(start: root) ?? throw new DirectoryNotFoundException("shared/data not found");

Directory.CreateDirectory(work);
var webDir = Path.Combine(work, "web");
// --provider sqlite|postgres|both (default sqlite): the store(s) to measure, one after the other in this run, each with its own server,
// its raw limit and its verify; with both, a side-by-side table comes first. --pg: the PostgreSQL server (a bench database is created
// on it and dropped first if it exists); the default is the server .ci/pg-start.sh starts.
var providerOpt = Opt("--provider", "sqlite").ToLowerInvariant();
var pgServer = Opt("--pg", "Host=127.0.0.1;Port=55432;Username=postgres");
DatabaseProvider[] stores = providerOpt switch
{
    "sqlite" => [DatabaseProvider.Sqlite],
    "postgres" or "pg" or "postgresql" => [DatabaseProvider.Postgres],
    "both" => [DatabaseProvider.Sqlite, DatabaseProvider.Postgres],
    _ => throw new ArgumentException($"--provider {providerOpt}: use sqlite, postgres or both"),
};
Console.WriteLine($"work folder {work}");
Console.WriteLine("building the server (Release) ...");
Run.Checked("dotnet", $"build -c Release \"{Path.Combine(root, "src", "Pantau.Web")}\" -o \"{webDir}\" -v q -nologo");
var reports = new List<Report>();
var allOk = true;
foreach (var provider in stores)
{
    var (r, ok) = await BenchAsync(provider);
    reports.Add(r);
    allOk &= ok;
}
var arguments = string.Join(' ', args.Where(a => a != "--no-results"));
var md = reports.Count == 1 ? reports[0].ToMarkdown(Machine.Describe(), arguments)
    : Report.SideBySide(reports, Machine.Describe(), arguments) + "\n" + string.Join("\n", reports.Select(r => r.ToMarkdown(Machine.Describe(), arguments, heading: "##")));
Console.WriteLine();
Console.WriteLine(md);
if (!args.Contains("--no-results"))
{
    // The new run replaces the run at the top of the file; the sections after it (how to read the figures, earlier sessions) stay.
    var results = Path.Combine(root, "bench", "RESULTS.md");
    var old = File.Exists(results) ? File.ReadAllText(results) : "";
    var rest = old.IndexOf("\n## ", StringComparison.Ordinal);
    File.WriteAllText(results, rest < 0 ? md : md + "\n" + old[(rest + 1)..]);
}
return allOk ? 0 : 1;

// One store: its database, its server, the ingest, the reads, the verifiers, its raw limit.
async Task<(Report Report, bool Ok)> BenchAsync(DatabaseProvider provider)
{
    // Each store has its own folder (the server's data folder: its signing key, spooled bodies).
    var storeDir = Path.Combine(work, provider == DatabaseProvider.Postgres ? "postgres" : "sqlite");
    Directory.CreateDirectory(storeDir);
    var store = provider == DatabaseProvider.Postgres ? Store.Postgres(pgServer) : Store.Sqlite(storeDir);
    var report = new Report { Provider = provider, StoreVersion = store.Version() };
    Console.WriteLine($"== {provider}: {store.Describe}");

    // 1. A database with the national region tree, TPS, contests, and a bulk-import account.
    store.Reset();
    var cs = store.ConnectionString;
    string token;
    var sw = Stopwatch.StartNew();
    await using (var db = Db.Open(cs, provider))
    {
        await db.Database.MigrateAsync();
        string[] provinces = provincesOpt == "all"
            ? File.ReadLines(Path.Combine(shared, "wilayah", "kepmendagri-2022", "provinsi.csv")).Skip(1).Select(l => l.Split(',')[0]).ToArray()
            : provincesOpt.Split(',');
        var imported = await new MasterDataImporter(db).ImportAsync(shared, provinces,
            new Progress<ImportProgress>(p => Console.Write($"\r  {p.Stage,-40} {p.Done,8}/{p.Total,-8}")));
        Console.WriteLine($"\n  imported {imported}");
        await Contests.EnsureNationalAsync(db);
        token = await Accounts.CreateImporterAsync(db);
    }
    Console.WriteLine($"setup {sw.Elapsed.TotalSeconds:0}s");
    // The raw limit writes into a copy of the database as it is now (before the ingest).
    store.CopyForRaw();

    var load = await Load.BuildAsync(cs, provider, limit);
    report.Tps = load.TpsCount;
    report.Sheets = load.Count;
    Console.WriteLine($"load: {load.TpsCount:N0} TPS x their contests = {load.Count:N0} sheets");

    // 2. The server, a separate process on loopback.
    var port = Net.FreePort();
    var baseUrl = $"http://127.0.0.1:{port}";
    // --intake-idle: the ingesting server process wholly in the SCHED_IDLE class (`chrt -i 0`), for a deployment where public reads go
    // to a read instance: the intake then takes only the CPU time the read instance leaves.
    var intakeIdle = args.Contains("--intake-idle");
    report.IntakeIdle = intakeIdle;
    // --reads-core (with --read-instance): the last CPU is kept for the public reads (read instance, its reader, the echo control) and
    // the ingesting server (and its reader) runs on the others, as a deployment can reserve a core for them. The load generator, which
    // stands for clients on other machines, stays unpinned in the background class.
    var cpus = Environment.ProcessorCount;
    if (args.Contains("--reads-core") && args.Contains("--read-instance") && cpus >= 2 && OperatingSystem.IsLinux())
    {
        report.IntakeCpus = cpus == 2 ? "0" : $"0-{cpus - 2}";
        report.ReadCpus = (cpus - 1).ToString(CultureInfo.InvariantCulture);
    }
    // A server process: `dotnet Pantau.Web.dll ...`, behind `chrt -i 0` when idle and behind `taskset -c CPUS` when pinned.
    Process StartServer(string url, string extra = "", bool idle = false, IReadOnlyDictionary<string, string>? env = null, string? on = null)
    {
        var line = (on is not null ? $"taskset -c {on} " : "") + (idle ? "chrt -i 0 " : "") +
            $"dotnet \"{Path.Combine(webDir, "Pantau.Web.dll")}\" --urls {url} --Database:Provider={provider} " +
            $"--ConnectionStrings:Pantau=\"{cs}\" --Pantau:ImportOnStart=false --Pantau:RateLimitScale=100000 --Pantau:DataDir=\"{storeDir}\" " +
            "--Logging:LogLevel:Default=Warning --Pantau:Tally:CheckpointMinutes=0.5 " + extra;
        var program = line.IndexOf(' ');
        return Run.Start(line[..program], line[(program + 1)..], webDir, env);
    }
    using var server = StartServer(baseUrl, idle: intakeIdle, on: report.IntakeCpus);
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(5) };
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    await Net.WaitHealthyAsync(http);
    // --instances 2: a second ingesting instance on the same database (the same settings), the load sent round robin to both.
    report.Instances = Math.Clamp(int.Parse(Opt("--instances", "1")), 1, 2);
    Process? server2 = null;
    var intake = new List<HttpClient> { http };
    if (report.Instances == 2)
    {
        var url2 = $"http://127.0.0.1:{Net.FreePort()}";
        server2 = StartServer(url2, idle: intakeIdle, on: report.IntakeCpus);
        var http2 = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri(url2), Timeout = TimeSpan.FromMinutes(5) };
        http2.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        await Net.WaitHealthyAsync(http2);
        intake.Add(http2);
        Console.WriteLine($"second instance up at {url2}");
    }
    var probeContest = load.ProbeContest;
    var probeRegion = probeContest.Split('-')[1];
    Console.WriteLine($"server up at {baseUrl}; recap probe /api/tally/recap/{probeContest}/{probeRegion}");
    // The public-read bursts (issue 22.4): the probe contest's results pages and recap API reads of its province, kab/kota and kecamatan.
    List<string> readRegions;
    await using (var db = Db.Open(cs, provider))
        readRegions = await db.Regions.AsNoTracking().Where(r => r.Code.StartsWith(probeRegion + ".") && r.Level <= Pantau.Core.Regions.RegionLevel.Kecamatan)
            .OrderBy(r => r.Code).Select(r => r.Code).ToListAsync();
    readRegions.Insert(0, probeRegion);
    var pagePaths = readRegions.Select(r => $"/hasil/{probeContest}/{r}").ToList();
    var apiPaths = readRegions.Select(r => $"/api/tally/recap/{probeContest}/{r}").ToList();
    report.ReadRegions = readRegions.Count;
    using var burst = Burst.Start(baseUrl, report.IntakeCpus);

    // Idle recap latency before the ingest, for comparison (after a few warm-up reads: the first requests of a fresh server compile code).
    async Task WarmUpAsync(HttpClient client) { for (var i = 0; i < 20; i++) await client.GetStringAsync($"/api/tally/recap/{probeContest}/{probeRegion}"); }
    await WarmUpAsync(http);
    using var probe = Probe.Start(http, $"/api/tally/recap/{probeContest}/{probeRegion}", report.IntakeCpus);
    // The control: the machine's own wake-up latency, measured the same way with no server at all.
    using var echo = Probe.Start(null, "", report.ReadCpus);
    // The public log's proofs (issue 23), read after the ingest from the ingesting instance: an inclusion proof of a random entry in the
    // whole tree, a consistency proof from a random size to the whole tree. Started now, at normal priority, like the other readers.
    using var inclusionProbe = Probe.Start(http, $"/api/tally/log/proof/inclusion?seq={{1..{load.Count}}}&size={load.Count}", report.IntakeCpus);
    using var consistencyProbe = Probe.Start(http, $"/api/tally/log/proof/consistency?from={{1..{load.Count}}}&to={load.Count}", report.IntakeCpus);
    // --read-instance: a second server process on the same database file that takes no intake, as a deployment would put the public
    // results behind their own instances. A second reader measures it side by side with the first (which reads the ingesting instance).
    Process? readServer = null;
    Probe? readProbe = null;
    Burst? readBurst = null;
    if (args.Contains("--read-instance"))
    {
        var readUrl = $"http://127.0.0.1:{Net.FreePort()}";
        // Configured as docs/tally.md describes a public-read instance (Pantau:ReadInstance): no scheduled jobs (the ingesting instance
        // runs them), its bulk lane (background recap rebuilds) at normal priority, requests on the socket threads.
        var readEnv = new Dictionary<string, string> { ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1" };
        // PANTAU_READ_ENV="NAME=value;NAME=value": more environment for the read instance, for experiments.
        foreach (var kv in (Environment.GetEnvironmentVariable("PANTAU_READ_ENV") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
            readEnv[kv.Split('=')[0]] = kv[(kv.IndexOf('=') + 1)..];
        readServer = StartServer(readUrl, "--Pantau:ReadInstance=true", env: readEnv, on: report.ReadCpus);
        using var readHttp = new HttpClient { BaseAddress = new Uri(readUrl) };
        await Net.WaitHealthyAsync(readHttp);
        await WarmUpAsync(readHttp);
        readProbe = Probe.Start(readHttp, $"/api/tally/recap/{probeContest}/{probeRegion}", report.ReadCpus);
        readBurst = Burst.Start(readUrl, report.ReadCpus);
        Console.WriteLine($"read instance up at {readUrl}");
    }
    // The load generator stands for thousands of clients on other machines. Here it shares the two cores with the server; from now on
    // it runs in the background (SCHED_IDLE; the reader started above and the server keep normal priority), so that its CPU time does
    // not delay the server's answers, as remote clients' would not. --generator-foreground keeps it at normal priority.
    // The live-update delay between the two instances: the first sheets of the load, one at a time, sent to the first instance and
    // heard from the second (before the load generator goes to the background; the machine is idle).
    const int LiveProbes = 20;
    var liveProbes = report.Instances == 2 ? Math.Min(LiveProbes, Math.Min(singleCount, load.Count)) : 0;
    if (liveProbes > 0)
    {
        (report.LiveDelay, report.LiveAck) = await LiveDelay.MeasureAsync(intake[0], intake[1].BaseAddress!, Ingest.SingleBodies(load, 0, liveProbes), 0);
        Console.WriteLine($"live update between instances: {report.LiveDelay} (ack {report.LiveAck})");
    }
    report.GeneratorBackground = generatorBackground && Priority.Background();
    report.RecapIdle = await probe.MeasureAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
    // The read instance's floor: the same reads on a machine with nothing else to do.
    if (readProbe is not null) report.RecapReadInstanceIdle = await readProbe.MeasureAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
    report.EchoIdle = await echo.MeasureAsync(TimeSpan.FromSeconds(5), CancellationToken.None);

    // Request bodies are built before the clock starts (the load generator shares the machine's two cores with the server).
    var single = Math.Min(singleCount, load.Count);
    sw.Restart();
    var singleBodies = Ingest.SingleBodies(load, liveProbes, single - liveProbes);
    var batchBodies = Ingest.BatchBodies(load, single, load.Count - single, batchSize);
    Console.WriteLine($"request bodies built in {sw.Elapsed.TotalSeconds:0.0}s ({(singleBodies.Sum(b => (long)b.Length) + batchBodies.Sum(b => (long)b.Length)) / 1e6:0} MB)");
    GC.Collect();

    // 3a. Single-sheet API.
    report.Clients = clients;
    sw.Restart();
    var singleErrors = await Ingest.SingleAsync([.. intake], singleBodies, liveProbes, clients);
    report.SingleSheets = single - liveProbes;
    report.SingleSeconds = sw.Elapsed.TotalSeconds;
    report.Errors += singleErrors;
    Console.WriteLine($"single: {report.SingleSheets:N0} sheets in {report.SingleSeconds:0.0}s = {report.SingleSheets / report.SingleSeconds:N0} sheets/s ({singleErrors} errors)");

    // 3b. Batch API for the rest, with a concurrent recap reader.
    using (var cts = new CancellationTokenSource())
    {
        var reader = probe.MeasureAsync(TimeSpan.FromHours(1), cts.Token);
        var readInstance = readProbe?.MeasureAsync(TimeSpan.FromHours(1), cts.Token);
        var echoing = echo.MeasureAsync(TimeSpan.FromHours(1), cts.Token);
        sw.Restart();
        var batching = Ingest.BatchAsync([.. intake], batchBodies, load.Count - single, batchSize, writers,
            done => Console.Write($"\r  batch: {done:N0}/{load.Count - single:N0} ({done / Math.Max(0.001, sw.Elapsed.TotalSeconds):N0}/s)   "));
        // Public reads during the ingest, bounded in time (5 s each, 16 connections), once the ingest is under way: pages and API reads
        // of the ingesting instance; with a read instance, the same from it, and from both instances at once.
        await Task.WhenAny(batching, Task.Delay(TimeSpan.FromSeconds(5)));
        if (!batching.IsCompleted)
        {
            var span = TimeSpan.FromSeconds(5);
            report.PagesDuringIngest = await burst.RunAsync(span, 16, "text/html", pagePaths);
            report.ApiDuringIngest = await burst.RunAsync(span, 16, "application/json", apiPaths);
            if (readBurst is not null)
            {
                report.PagesReadInstance = await readBurst.RunAsync(span, 16, "text/html", pagePaths);
                report.ApiReadInstance = await readBurst.RunAsync(span, 16, "application/json", apiPaths);
                var both = await Task.WhenAll(burst.RunAsync(span, 16, "text/html", pagePaths), readBurst.RunAsync(span, 16, "text/html", pagePaths));
                report.PagesBothInstances = both[0] + both[1];
            }
            Console.WriteLine($"\npublic reads during the ingest: pages {report.PagesDuringIngest}; API {report.ApiDuringIngest}" +
                (report.PagesReadInstance is { } pr2 ? $"; read instance pages {pr2}, API {report.ApiReadInstance}; both instances pages {report.PagesBothInstances}" : ""));
        }
        var batchErrors = await batching;
        report.BatchSheets = load.Count - single;
        report.BatchSeconds = sw.Elapsed.TotalSeconds;
        report.Errors += batchErrors;
        cts.Cancel();
        report.RecapDuringIngest = await reader;
        if (readInstance is not null) report.RecapReadInstance = await readInstance;
        report.EchoDuringIngest = await echoing;
        Console.WriteLine($"\nbatch: {report.BatchSheets:N0} sheets in {report.BatchSeconds:0.0}s = {report.BatchSheets / report.BatchSeconds:N0} sheets/s ({batchErrors} errors)");
    }
    report.RecapAfter = await probe.MeasureAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
    report.ProvinceTotals = await http.GetStringAsync($"/api/tally/recap/{probeContest}/{probeRegion}");

    // 3c. The public log after the ingest. Its first request brings the server's in-memory Merkle tree up to date (reading and hashing
    // the entries the scheduled checkpoints have not already brought in); then proofs of random entries and sizes, against the echo control.
    sw.Restart();
    using (var first = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/api/tally/log/entries?from=1&limit=1")))
        report.TreeSize = first.RootElement.GetProperty("treeSize").GetInt64();
    report.TreeFirstUse = sw.Elapsed.TotalSeconds;
    if (report.TreeSize == load.Count)
    {
        report.InclusionProofs = await inclusionProbe.MeasureAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        report.ConsistencyProofs = await consistencyProbe.MeasureAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        report.EchoAfter = await echo.MeasureAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        Console.WriteLine($"inclusion proofs: {report.InclusionProofs}; consistency proofs: {report.ConsistencyProofs}; echo: {report.EchoAfter}");
    }
    else Console.WriteLine($"the public log has {report.TreeSize:N0} entries, not {load.Count:N0}: no proof measurement");
    inclusionProbe.Dispose();
    consistencyProbe.Dispose();

    // 3d. The independent verifier (verifier/pantau_verify.py, Python standard library) against the live server, as an outsider runs it:
    // the download, signatures, tree, witnesses, every total at every level against the public recap API and the open-data export.
    sw.Restart();
    var (pyCode, pyOut) = Run.CaptureWithCode("python3", $"\"{Path.Combine(root, "verifier", "pantau_verify.py")}\" verify {baseUrl}", root);
    report.PyVerifyWall = sw.Elapsed.TotalSeconds;
    report.PyVerifyOk = pyCode == 0;
    report.PyVerifyOutput = pyOut.Trim();
    Console.WriteLine($"independent verifier: exit {pyCode} in {report.PyVerifyWall:0.0} s\n{report.PyVerifyOutput}");
    readProbe?.Dispose();
    readBurst?.Dispose();
    burst.Dispose();
    echo.Dispose();
    readServer?.Kill(entireProcessTree: true);
    server2?.Kill(entireProcessTree: true);
    server.Kill(entireProcessTree: true);
    await server.WaitForExitAsync();
    if (server2 is not null) { await server2.WaitForExitAsync(); server2.Dispose(); }
    if (readServer is not null) await readServer.WaitForExitAsync();

    // 4. verify (separate process, as an auditor would run it).
    sw.Restart();
    var verify = Run.Capture("dotnet", $"\"{Path.Combine(webDir, "Pantau.Web.dll")}\" verify --Database:Provider={provider} --ConnectionStrings:Pantau=\"{cs}\" " +
        $"--Pantau:ImportOnStart=false --Pantau:DataDir=\"{storeDir}\" --Logging:LogLevel:Default=Warning", webDir);
    report.VerifyWall = sw.Elapsed.TotalSeconds;
    report.VerifyOutput = verify.Trim();
    Console.WriteLine(report.VerifyOutput);

    // 4b. The same proofs computed in this process from the same tree (no HTTP, no server): the tree computation alone.
    await using (var db = Db.Open(cs, provider))
    {
        sw.Restart();
        var tree = new Pantau.Core.Tally.CompactMerkleTree();
        await foreach (var entry in db.TallyLog.AsNoTracking().OrderBy(e => e.Seq).Select(e => e.Entry).AsAsyncEnumerable())
            tree.Append(Pantau.Core.Tally.Merkle.LeafHash(Pantau.Core.Tally.PublicEntry.FromStored(entry)));
        report.TreeBuildSeconds = sw.Elapsed.TotalSeconds;
        if (tree.Size > 0)
        {
            report.InProcessInclusion = Timing.Of(20_000, () =>
            {
                var i = Random.Shared.NextInt64(tree.Size);
                Pantau.Core.Tally.Merkle.InclusionProof(tree, i, tree.Size);
                Pantau.Core.Tally.Merkle.Root(tree, tree.Size);
            });
            report.InProcessConsistency = Timing.Of(20_000, () => Pantau.Core.Tally.Merkle.ConsistencyProof(tree, Random.Shared.NextInt64(1, tree.Size + 1), tree.Size));
            Console.WriteLine($"in process: tree of {tree.Size:N0} built in {report.TreeBuildSeconds:0.0} s; inclusion proof {report.InProcessInclusion}; consistency proof {report.InProcessConsistency}");
        }
    }

    // 5. The storage limit: the same sheets written as raw prepared INSERTs into the same tables of a copy of the pre-ingest database.
    sw.Restart();
    var rawRows = provider == DatabaseProvider.Postgres ? await Raw.CopyAsync(store.RawConnectionString, load) : await Raw.InsertAsync(store.RawConnectionString, load);
    report.RawSeconds = sw.Elapsed.TotalSeconds;
    report.RawRows = rawRows;
    Console.WriteLine($"raw: {rawRows:N0} rows in {report.RawSeconds:0.0}s = {rawRows / report.RawSeconds:N0} rows/s");
    if (!args.Contains("--keep-db")) store.Drop();

    return (report, report.Errors == 0 && report.VerifyOutput.Contains("OK") && report.PyVerifyOk);
}
