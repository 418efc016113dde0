using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Tally;
using Pantau.Data;
using Pantau.Data.Tally;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tally;

/// <summary>The server's checkpoint signing key: ECDSA P-256, PEM (PKCS#8) in the data folder or at <c>Pantau:Tally:SigningKeyPath</c>.</summary>
public sealed class TallyKeys
{
    public CheckpointSigner Signer { get; }
    public string Path { get; }

    public TallyKeys(IConfiguration config, IWebHostEnvironment env)
    {
        Path = config["Pantau:Tally:SigningKeyPath"] is { Length: > 0 } p
            ? System.IO.Path.GetFullPath(p, env.ContentRootPath)
            : System.IO.Path.Combine(DatabaseSetup.DataDir(config, env.ContentRootPath), "tally-signing-key.pem");
        var key = ECDsa.Create();
        if (File.Exists(Path)) key.ImportFromPem(File.ReadAllText(Path));
        else
        {
            key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            File.WriteAllText(Path, key.ExportPkcs8PrivateKeyPem());
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        Signer = new CheckpointSigner(key);
    }

    /// <summary>Signs the current head of the log (nothing when the log is empty or the head is already checkpointed).</summary>
    public async Task<TallyCheckpoint?> CheckpointAsync(PantauDbContext db, DateTimeOffset now, CancellationToken ct = default)
    {
        var head = await db.TallyLog.AsNoTracking().OrderByDescending(e => e.Seq).Select(e => new { e.Seq, e.Hash }).FirstOrDefaultAsync(ct);
        if (head is null) return null;
        var last = await db.TallyCheckpoints.AsNoTracking().OrderByDescending(c => c.Seq).FirstOrDefaultAsync(ct);
        if (last is not null && last.Seq == head.Seq) return last;
        var cp = new TallyCheckpoint { Seq = head.Seq, HeadHash = head.Hash, Signature = Signer.Sign(head.Seq, head.Hash), KeyId = Signer.KeyId, At = now };
        db.TallyCheckpoints.Add(cp);
        await db.SaveChangesAsync(ct);
        return cp;
    }
}

/// <summary>Checkpoints the log head periodically (<c>Pantau:Tally:CheckpointMinutes</c>, default 5; 0 turns it off).</summary>
public sealed class TallyCheckpointJob(IServiceScopeFactory scopes, TallyKeys keys, TimeProvider clock, IConfiguration config, ILogger<TallyCheckpointJob> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var minutes = config.GetValue("Pantau:Tally:CheckpointMinutes", 5.0);
        if (minutes <= 0) return;
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(minutes), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                using var scope = scopes.CreateScope();
                await keys.CheckpointAsync(scope.ServiceProvider.GetRequiredService<PantauDbContext>(), clock.GetUtcNow(), stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning(ex, "Tally checkpoint failed");
            }
        }
    }
}

public sealed record VerifyReport(bool Ok, long Entries, long Versions, int Checkpoints, long CountedSheets, int RecapRows, string? FirstDivergence, double Seconds)
{
    public string HeadHash { get; init; } = HashChain.GenesisHex;
}

/// <summary>
/// Recomputes everything from the log: the hash chain, the checkpoint signatures, every stored version against the log,
/// the counted version of every TPS and every recap counter; reports the first divergence.
/// </summary>
public static class TallyVerifier
{
    public static async Task<VerifyReport> VerifyAsync(PantauDbContext db, CheckpointSigner signer, CancellationToken ct = default)
    {
        var sw = Stopwatch.StartNew();
        long entries = 0;
        var prev = HashChain.Genesis;
        var prevHex = HashChain.GenesisHex;
        var hashes = new Dictionary<long, string>();
        var counted = new Dictionary<(string, string), (int VersionNo, CHasilSheet Sheet)>();
        var logged = new Dictionary<(string, string, int), string>();
        VerifyReport Fail(string what) => new(false, entries, 0, 0, counted.Count, 0, what, sw.Elapsed.TotalSeconds) { HeadHash = prevHex };

        await foreach (var e in db.TallyLog.AsNoTracking().OrderBy(e => e.Seq).AsAsyncEnumerable().WithCancellation(ct))
        {
            entries++;
            if (e.Seq != entries) return Fail($"log entry {entries} is missing (found seq {e.Seq})");
            if (e.PrevHash != prevHex) return Fail($"log entry {e.Seq}: previous hash {e.PrevHash} does not match the chain ({prevHex})");
            var next = HashChain.Next(prev, e.Entry);
            var hex = Convert.ToHexStringLower(next);
            if (hex != e.Hash) return Fail($"log entry {e.Seq}: hash mismatch (stored {e.Hash}, computed {hex}) — the entry was altered");
            LogEntry entry;
            try { entry = LogEntry.Parse(e.Entry); }
            catch (FormatException ex) { return Fail($"log entry {e.Seq}: unreadable ({ex.Message})"); }
            if (entry.Seq != e.Seq || entry.Sheet.Contest != e.ContestCode || entry.Sheet.Tps != e.TpsCode)
                return Fail($"log entry {e.Seq}: columns differ from the hashed entry");
            var canonical = entry.Sheet.Canonical();
            var vkey = (entry.Sheet.Contest, entry.Sheet.Tps, entry.VersionNo);
            if (logged.TryGetValue(vkey, out var seen) && seen != canonical)
                return Fail($"log entry {e.Seq}: version {entry.VersionNo} of {entry.Sheet.Contest}/{entry.Sheet.Tps} differs from its earlier entry");
            logged[vkey] = canonical;
            if (entry.Counted) counted[(entry.Sheet.Contest, entry.Sheet.Tps)] = (entry.VersionNo, entry.Sheet);
            hashes[e.Seq] = hex;
            prev = next;
            prevHex = hex;
        }

        var checkpoints = await db.TallyCheckpoints.AsNoTracking().OrderBy(c => c.Seq).ToListAsync(ct);
        foreach (var cp in checkpoints)
        {
            if (!signer.Verify(cp.Seq, cp.HeadHash, cp.Signature)) return Fail($"checkpoint at seq {cp.Seq}: signature does not verify with the server key {signer.KeyId}");
            if (!hashes.TryGetValue(cp.Seq, out var h)) return Fail($"checkpoint at seq {cp.Seq}: the log has no such entry (truncated?)");
            if (h != cp.HeadHash) return Fail($"checkpoint at seq {cp.Seq}: signed head {cp.HeadHash} differs from the log ({h}) — the log was rewritten");
        }

        long versions = 0;
        await foreach (var v in db.ResultVersions.AsNoTracking().OrderBy(v => v.Id)
                           .Select(v => new { v.ContestCode, v.TpsCode, v.VersionNo, v.Payload, v.Status }).AsAsyncEnumerable().WithCancellation(ct))
        {
            versions++;
            if (!logged.TryGetValue((v.ContestCode, v.TpsCode, v.VersionNo), out var c))
                return Fail($"result {v.ContestCode}/{v.TpsCode} v{v.VersionNo}: not in the log");
            if (c != v.Payload) return Fail($"result {v.ContestCode}/{v.TpsCode} v{v.VersionNo}: stored sheet differs from the log");
            var isCounted = counted.TryGetValue((v.ContestCode, v.TpsCode), out var cv) && cv.VersionNo == v.VersionNo;
            if (isCounted != (v.Status == ResultStatus.Accepted))
                return Fail($"result {v.ContestCode}/{v.TpsCode} v{v.VersionNo}: status {v.Status} but the log says it is {(isCounted ? "" : "not ")}counted");
        }
        if (versions != logged.Count) return Fail($"{logged.Count - versions} logged version(s) are missing from the results table");

        var currents = await db.TallyCurrent.AsNoTracking().ToListAsync(ct);
        foreach (var cur in currents)
        {
            var expected = counted.TryGetValue((cur.ContestCode, cur.TpsCode), out var cv) ? cv.VersionNo : 0;
            if (cur.CountedVersionNo != expected) return Fail($"current {cur.ContestCode}/{cur.TpsCode}: counts v{cur.CountedVersionNo}, the log says v{expected}");
        }

        var recomputed = new Dictionary<(string, string), RecapTotals>();
        foreach (var group in counted.Values.GroupBy(c => c.Sheet.Contest))
            foreach (var (key, t) in RecapMath.Aggregate(group.Select(g => g.Sheet))) recomputed[(group.Key, key)] = t;
        var rows = 0;
        var stored = new HashSet<(string, string)>();
        await foreach (var r in db.TallyRecaps.AsNoTracking().OrderBy(r => r.ContestCode).ThenBy(r => r.RegionCode).AsAsyncEnumerable().WithCancellation(ct))
        {
            rows++;
            stored.Add((r.ContestCode, r.RegionCode));
            var actual = TallyService.ToTotals(r);
            var want = recomputed.GetValueOrDefault((r.ContestCode, r.RegionCode)) ?? new RecapTotals();
            if (!actual.Equals(want)) return Fail($"recap {r.ContestCode}/{r.RegionCode}: stored {actual} but the log gives {want}");
        }
        foreach (var (key, t) in recomputed)
            if (!stored.Contains(key) && !t.IsZero) return Fail($"recap {key.Item1}/{key.Item2}: missing (the log gives {t})");

        return new VerifyReport(true, entries, versions, checkpoints.Count, counted.Count, rows, null, sw.Elapsed.TotalSeconds) { HeadHash = prevHex };
    }
}
