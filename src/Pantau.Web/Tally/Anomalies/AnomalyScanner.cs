using Microsoft.EntityFrameworkCore;
using Pantau.Core.Regions;
using Pantau.Core.Tally;
using Pantau.Core.Tally.Anomalies;
using Pantau.Data;
using Pantau.Data.Tally.Anomalies;
using Pantau.Web.Infrastructure;
using Pantau.Storage;

namespace Pantau.Web.Tally.Anomalies;

/// <summary>What one scan did.</summary>
public sealed record ScanResult(long FromSeq, long ToSeq, int Entries, int CountedSheets, int AreasRecomputed, int Opened, int Updated, int Reopened, int Resolved)
{
    public override string ToString() =>
        $"log {FromSeq}→{ToSeq} ({Entries} entries, {CountedSheets} counted), {AreasRecomputed} kab/kota recomputed; opened {Opened}, updated {Updated}, reopened {Reopened}, resolved {Resolved}";
}

/// <summary>
/// Finds anomalies off the intake path: reads the tally log after its cursor (<see cref="TallyAnomalyScanState.LastSeq"/>), runs the
/// per-sheet detectors on every newly counted sheet (and the large-change test against the previously counted one), looks for
/// reused photos, then recomputes the aggregate tests of every touched contest and kab/kota from the TPS-level recap counters.
/// The cursor, the pending areas and the anomalies of a batch (500 log entries, so that few parsed sheets are alive at a time) are
/// saved in one transaction, so a scan can stop at any point and running it again changes nothing.
/// </summary>
public sealed class AnomalyScanner(IServiceScopeFactory scopes, TallyReference reference, TimeProvider clock, ILiveUpdates live, BulkLane lane, ILogger<AnomalyScanner> log)
{
    public const string StateName = "scanner";
    public const int BatchSize = 500;
    public const string SystemActor = "pemindai / scanner";
    /// <summary>Scans publish <c>changed</c> on <c>tally-anomalies:{kabkota}</c> for each kab/kota whose anomalies changed.</summary>
    public const string LiveTopic = "tally-anomalies";

    public static string TopicFor(string region) => LiveHub.KabKotaTopic(LiveTopic, region);
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>For tests: runs inside each unit's read snapshot, after the unit has read and decided and before it saves.</summary>
    internal Func<Task>? WhileReading { get; set; }

    private sealed class Counters
    {
        public int Opened, Updated, Reopened, Resolved;
        /// <summary>The kab/kota (or province, for province-level subjects) of every anomaly opened, changed or resolved.</summary>
        public readonly HashSet<string> Areas = new(StringComparer.Ordinal);
        public bool Any => Opened + Updated + Reopened + Resolved > 0;
        public void Add(Counters o) { Opened += o.Opened; Updated += o.Updated; Reopened += o.Reopened; Resolved += o.Resolved; Areas.UnionWith(o.Areas); }
    }

    /// <summary>
    /// Runs one unit of work in its own scope, in two steps: <paramref name="work"/> reads and decides inside a read snapshot (a
    /// deferred transaction on SQLite, repeatable read on PostgreSQL), holding no write lock; then its changes are saved in one short
    /// transaction of their own. On SQLite a write transaction locks out every other writer, so reading and computing inside one
    /// (a catch-up scan of half a million log entries) would stall the intake. A change made by someone else in between (an
    /// anomaly triaged, another scanner) fails the save on its concurrency token and the unit is run again on fresh data. Each unit
    /// runs on the <see cref="BulkLane"/>, below the request threads, taking turns with bulk imports.
    /// </summary>
    private async Task<T> InTransactionAsync<T>(Counters counters, Func<PantauDbContext, Counters, CancellationToken, Task<T>> work, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await lane.RunAsync(async () =>
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<PantauDbContext>();
                    return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
                    {
                        db.ChangeTracker.Clear();
                        var local = new Counters();
                        T result;
                        await using (var snapshot = await ReadSnapshot.BeginAsync(db, ct))
                        {
                            result = await work(db, local, ct);
                            if (WhileReading is { } hook) await hook();
                        }
                        await db.SaveChangesAsync(ct);
                        counters.Add(local);
                        return result;
                    });
                }, ct);
            }
            catch (DbUpdateConcurrencyException ex) when (attempt < 5)
            {
                log.LogInformation("Anomaly scan: data changed while a unit was being worked out ({Reason}); running it again (attempt {Attempt})", ex.Message, attempt + 1);
            }
        }
    }

    public async Task<ScanResult> ScanAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var counters = new Counters();
            long from = -1, to = 0;
            int entries = 0, counted = 0, areas = 0;
            while (true)
            {
                var (n, c, first, last) = await InTransactionAsync(counters, ScanBatchAsync, ct);
                if (n == 0) break;
                if (from < 0) from = first;
                to = last;
                entries += n;
                counted += c;
            }
            while (await InTransactionAsync(counters, RecomputeNextAreaAsync, ct)) areas++;
            if (from < 0)
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<PantauDbContext>();
                to = from = await db.TallyAnomalyScanStates.AsNoTracking().Where(s => s.Name == StateName).Select(s => s.LastSeq).FirstOrDefaultAsync(ct);
            }
            var result = new ScanResult(from, to, entries, counted, areas, counters.Opened, counters.Updated, counters.Reopened, counters.Resolved);
            if (counters.Any)
            {
                log.LogInformation("Anomaly scan: {Result}", result);
                // One event per kab/kota touched, so that a dashboard hears of its own region only (LiveHub.Matches).
                foreach (var area in counters.Areas.Order(StringComparer.Ordinal))
                    await live.PublishAsync(LiveHub.RegionTopic(LiveTopic, area), "changed", new { area, result.Opened, result.Reopened, result.Resolved, result.Updated }, ct);
            }
            return result;
        }
        finally { _gate.Release(); }
    }

    /// <summary>The scan's state row; a new one (not yet added) before the first scan that finds something.</summary>
    private static async Task<TallyAnomalyScanState> StateAsync(PantauDbContext db, CancellationToken ct) =>
        await db.TallyAnomalyScanStates.FirstOrDefaultAsync(s => s.Name == StateName, ct) ?? new TallyAnomalyScanState { Name = StateName };

    /// <summary>Adds a new state row to be saved (an existing one is tracked already).</summary>
    private static void Keep(PantauDbContext db, TallyAnomalyScanState state)
    {
        if (db.Entry(state).State == EntityState.Detached) db.TallyAnomalyScanStates.Add(state);
    }

    private static HashSet<string> DirtySet(TallyAnomalyScanState s) =>
        s.Dirty.Length == 0 ? new HashSet<string>(StringComparer.Ordinal) : new HashSet<string>(s.Dirty.Split(','), StringComparer.Ordinal);

    private async Task<(int Entries, int Counted, long First, long Last)> ScanBatchAsync(PantauDbContext db, Counters counters, CancellationToken ct)
    {
        var state = await StateAsync(db, ct);
        var raw = await db.TallyLog.AsNoTracking().Where(e => e.Seq > state.LastSeq).OrderBy(e => e.Seq).Take(BatchSize)
            .Select(e => e.Entry).ToListAsync(ct);
        if (raw.Count == 0) return (0, 0, 0, 0);
        var entries = raw.Select(LogEntry.Parse).ToList();
        var now = clock.GetUtcNow();
        var dirty = DirtySet(state);

        // The previously counted sheet of every touched TPS and contest, from the log before this batch. Queries go by contest
        // and TPS so that they use the (ContestCode, TpsCode) indexes.
        var pairsByContest = entries.GroupBy(e => e.Sheet.Contest).ToDictionary(g => g.Key, g => g.Select(e => e.Sheet.Tps).Distinct().ToList());
        var lastCounted = new Dictionary<(string Contest, string Tps), (CHasilSheet Sheet, int VersionNo, long Seq)>();
        var existing = new Dictionary<(string, string, string), TallyAnomaly>();
        foreach (var (contest, codes) in pairsByContest)
            foreach (var part in codes.Chunk(500))
            {
                var older = await db.TallyLog.AsNoTracking().Where(e => e.ContestCode == contest && EF.Parameter(part).Contains(e.TpsCode) && e.Seq <= state.LastSeq)
                    .Select(e => new { e.Seq, e.Entry }).ToListAsync(ct);
                foreach (var o in older.OrderBy(o => o.Seq))
                {
                    var le = LogEntry.Parse(o.Entry);
                    if (le.Counted) lastCounted[(le.Sheet.Contest, le.Sheet.Tps)] = (le.Sheet, le.VersionNo, le.Seq);
                }
                // Existing anomalies of the touched TPS.
                foreach (var a in await db.TallyAnomalies.Where(a => a.ContestCode == contest && EF.Parameter(part).Contains(a.SubjectCode)).ToListAsync(ct))
                    existing[(a.ContestCode, a.SubjectCode, a.Code)] = a;
            }

        // Photos used elsewhere.
        var shas = entries.Where(e => e.PhotoSha256 is not null).Select(e => e.PhotoSha256!).Distinct().ToList();
        var photoUses = new Dictionary<string, List<(string Contest, string Tps, int VersionNo)>>();
        foreach (var part in shas.Chunk(500))
            foreach (var v in await db.ResultVersions.AsNoTracking().Where(v => EF.Parameter(part).Contains(v.PhotoSha256!))
                         .Select(v => new { v.PhotoSha256, v.ContestCode, v.TpsCode, v.VersionNo }).ToListAsync(ct))
            {
                if (!photoUses.TryGetValue(v.PhotoSha256!, out var l)) photoUses[v.PhotoSha256!] = l = [];
                l.Add((v.ContestCode, v.TpsCode, v.VersionNo));
            }
        var otherSubjects = photoUses.Values.SelectMany(l => l).Where(u => !(pairsByContest.TryGetValue(u.Contest, out var own) && own.Contains(u.Tps)))
            .GroupBy(u => u.Contest).ToDictionary(g => g.Key, g => g.Select(u => u.Tps).Distinct().ToList());
        foreach (var (contest, codes) in otherSubjects)
            foreach (var part in codes.Chunk(500))
                foreach (var a in await db.TallyAnomalies.Where(a => a.ContestCode == contest && EF.Parameter(part).Contains(a.SubjectCode) && a.Code == AnomalyCodes.PhotoReused).ToListAsync(ct))
                    existing[(a.ContestCode, a.SubjectCode, a.Code)] = a;

        var countedSheets = 0;
        foreach (var e in entries)
        {
            var s = e.Sheet;
            if (e.PhotoSha256 is { } sha && photoUses.TryGetValue(sha, out var uses))
                foreach (var other in uses.Where(u => u.Tps != s.Tps))
                {
                    if (AnomalyDetectors.PhotoReused(s.Tps, sha, other.Tps, other.Contest) is { } f1) Apply(db, existing, f1, s.Contest, e.VersionNo, e.Seq, now, counters);
                    if (AnomalyDetectors.PhotoReused(other.Tps, sha, s.Tps, s.Contest) is { } f2) Apply(db, existing, f2, other.Contest, other.VersionNo, e.Seq, now, counters);
                }
            if (!e.Counted) continue;
            countedSheets++;
            var key = (s.Contest, s.Tps);
            var found = AnomalyDetectors.PerSheet(s);
            foreach (var f in found) Apply(db, existing, f, s.Contest, e.VersionNo, e.Seq, now, counters);
            foreach (var code in AnomalyCodes.PerSheet.Where(c => found.All(f => f.Code != c)))
                if (existing.TryGetValue((s.Contest, s.Tps, code), out var a)) Resolve(db, a, now, counters,
                    $"tidak terpenuhi lagi pada versi {e.VersionNo} / no longer holds on version {e.VersionNo}");
            if (lastCounted.TryGetValue(key, out var prev) && prev.VersionNo != e.VersionNo)
            {
                var probe = AnomalyDetectors.LargeChange(prev.Sheet, prev.VersionNo, s, e.VersionNo, null);
                if (probe is not null)
                {
                    var why = await db.ResultVersions.AsNoTracking().Where(v => v.ContestCode == s.Contest && v.TpsCode == s.Tps && v.VersionNo == e.VersionNo)
                        .Select(v => e.Kind == LogKinds.Adjudicate ? v.Resolution : v.Reason).FirstOrDefaultAsync(ct);
                    var f = AnomalyDetectors.LargeChange(prev.Sheet, prev.VersionNo, s, e.VersionNo, why)!;
                    Apply(db, existing, f, s.Contest, e.VersionNo, e.Seq, now, counters);
                }
            }
            lastCounted[key] = (s, e.VersionNo, e.Seq);
            if (RegionCode.TryParseTpsCode(s.Tps, out var desa, out _)) dirty.Add(s.Contest + ":" + desa[..5]);
        }

        state.LastSeq = entries[^1].Seq;
        state.Dirty = string.Join(',', dirty.Order(StringComparer.Ordinal));
        state.LastRunAt = now;
        state.Version++;
        Keep(db, state);
        return (entries.Count, countedSheets, entries[0].Seq, entries[^1].Seq);
    }

    /// <summary>Recomputes the aggregate tests of one pending contest and kab/kota; false when none is pending.</summary>
    private async Task<bool> RecomputeNextAreaAsync(PantauDbContext db, Counters counters, CancellationToken ct)
    {
        var state = await StateAsync(db, ct);
        var dirty = DirtySet(state);
        if (dirty.Count == 0) return false;
        var next = dirty.Order(StringComparer.Ordinal).First();
        var colon = next.IndexOf(':');
        var (contest, kabKota) = (next[..colon], next[(colon + 1)..]);
        var now = clock.GetUtcNow();
        var figures = await FiguresAsync(db, contest, kabKota, ct);
        var contests = await reference.ContestsAsync(ct);
        IReadOnlyCollection<int> numbers = contests.TryGetValue(contest, out var info) ? info.Numbers
            : figures.Tps.SelectMany(f => f.Votes.Keys).ToHashSet();
        var findings = AnomalyDetectors.Aggregate(kabKota, figures.Tps, numbers);
        var existing = (await db.TallyAnomalies.Where(a => a.ContestCode == contest && a.KabKotaCode == kabKota && AnomalyCodes.Aggregate.Contains(a.Code))
            .ToListAsync(ct)).ToDictionary(a => (a.ContestCode, a.SubjectCode, a.Code));
        var seen = new HashSet<(string, string, string)>();
        foreach (var f in findings)
        {
            Apply(db, existing, f, contest, figures.Versions.GetValueOrDefault(f.Subject), 0, now, counters);
            seen.Add((contest, f.Subject, f.Code));
        }
        foreach (var (k, a) in existing)
            if (!seen.Contains(k)) Resolve(db, a, now, counters, "tidak terpenuhi lagi setelah data wilayah berubah / no longer holds after the area's data changed");
        dirty.Remove(next);
        state.Dirty = string.Join(',', dirty.Order(StringComparer.Ordinal));
        state.Version++; // pending areas come from a saved row, so the state is tracked already
        return true;
    }

    /// <summary>The counted TPS of a contest in a kab/kota, from the TPS-level recap counters.</summary>
    public static async Task<(List<TpsFigures> Tps, Dictionary<string, int> Versions)> FiguresAsync(PantauDbContext db, string contest, string kabKota, CancellationToken ct)
    {
        var prefix = RegionCode.ToNumeric(kabKota);
        var rows = await db.TallyRecaps.AsNoTracking()
            .Where(r => r.ContestCode == contest && r.Level == 5 && r.RegionCode.StartsWith(prefix) && r.TpsIn > 0)
            .Select(r => new { r.RegionCode, r.Registered, r.Users, r.SuaraSah, r.SuaraTidakSah, r.Votes }).ToListAsync(ct);
        var versions = await db.TallyCurrent.AsNoTracking()
            .Where(c => c.ContestCode == contest && c.TpsCode.StartsWith(prefix) && c.CountedVersionNo > 0)
            .ToDictionaryAsync(c => c.TpsCode, c => c.CountedVersionNo, ct);
        var list = rows.OrderBy(r => r.RegionCode, StringComparer.Ordinal).Select(r =>
        {
            var votes = new Dictionary<int, long>();
            RecapTotals.ParseVotes(r.Votes, votes);
            return new TpsFigures(r.RegionCode, r.Registered, r.Users, r.SuaraSah, r.SuaraTidakSah, votes);
        }).ToList();
        return (list, versions);
    }

    private static void Apply(PantauDbContext db, Dictionary<(string, string, string), TallyAnomaly> existing, AnomalyFinding f, string contest,
        int versionNo, long logSeq, DateTimeOffset now, Counters counters)
    {
        var key = (contest, f.Subject, f.Code);
        var reasonId = Clip(f.ReasonId);
        var reasonEn = Clip(f.ReasonEn);
        var score = double.IsFinite(f.Score) ? Math.Round(f.Score, 6) : 1e9;
        if (!existing.TryGetValue(key, out var a))
        {
            var (region, kab, kec) = Where(f.Subject);
            a = new TallyAnomaly
            {
                ContestCode = contest, SubjectCode = f.Subject, Code = f.Code, RegionCode = region, KabKotaCode = kab, KecamatanCode = kec,
                Severity = (int)f.Severity, Status = AnomalyStatus.Open, ReasonId = reasonId, ReasonEn = reasonEn, Score = score,
                VersionNo = versionNo, LogSeq = logSeq, FirstDetectedAt = now, LastDetectedAt = now, UpdatedAt = now, StatusBy = SystemActor, Version = 1,
            };
            db.TallyAnomalies.Add(a);
            db.TallyAnomalyEvents.Add(new TallyAnomalyEvent { Anomaly = a, At = now, Actor = SystemActor, ToStatus = AnomalyStatus.Open, Note = reasonId });
            existing[key] = a;
            counters.Opened++;
            counters.Areas.Add(a.KabKotaCode);
            return;
        }
        var reopen = a.Status == AnomalyStatus.Resolved || (a.Status == AnomalyStatus.Dismissed && versionNo > a.VersionNo);
        var changed = a.ReasonId != reasonId || a.ReasonEn != reasonEn || a.Severity != (int)f.Severity || a.VersionNo != versionNo || (logSeq > 0 && a.LogSeq != logSeq);
        if (!reopen && !changed) return;
        if (reopen)
        {
            db.TallyAnomalyEvents.Add(new TallyAnomalyEvent
            {
                Anomaly = a, At = now, Actor = SystemActor, FromStatus = a.Status, ToStatus = AnomalyStatus.Open,
                Note = $"ditemukan lagi (versi {versionNo}) / found again (version {versionNo})",
            });
            a.Status = AnomalyStatus.Open;
            a.StatusBy = SystemActor;
            a.StatusNote = null;
            counters.Reopened++;
        }
        else counters.Updated++;
        counters.Areas.Add(a.KabKotaCode);
        a.ReasonId = reasonId; a.ReasonEn = reasonEn; a.Severity = (int)f.Severity; a.Score = score;
        a.VersionNo = Math.Max(a.VersionNo, versionNo);
        if (logSeq > 0) a.LogSeq = logSeq;
        a.LastDetectedAt = now; a.UpdatedAt = now;
        a.Version++;
    }

    private static void Resolve(PantauDbContext db, TallyAnomaly a, DateTimeOffset now, Counters counters, string note)
    {
        if (a.Status is AnomalyStatus.Dismissed or AnomalyStatus.Resolved) return;
        db.TallyAnomalyEvents.Add(new TallyAnomalyEvent { Anomaly = a, At = now, Actor = SystemActor, FromStatus = a.Status, ToStatus = AnomalyStatus.Resolved, Note = note });
        a.Status = AnomalyStatus.Resolved;
        a.StatusBy = SystemActor;
        a.StatusNote = note;
        a.UpdatedAt = now;
        a.Version++;
        counters.Resolved++;
        counters.Areas.Add(a.KabKotaCode);
    }

    /// <summary>Region (desa of a TPS, or the code itself), kab/kota and kecamatan of a subject.</summary>
    public static (string Region, string KabKota, string? Kecamatan) Where(string subject)
    {
        if (subject.Length == 13 && !subject.Contains('.') && RegionCode.TryParseTpsCode(subject, out var desa, out _))
            return (desa, desa[..5], desa[..8]);
        return (subject, subject.Length >= 5 ? subject[..5] : subject, subject.Length >= 8 ? subject[..8] : null);
    }

    private static string Clip(string s) => s.Length > 1000 ? s[..999] + "…" : s;
}

/// <summary>Runs the scanner every minute (once across instances, through the job lease).</summary>
public sealed class AnomalyScanJob : IScheduledJob
{
    public string Name => "tally-anomaly-scan";
    public TimeSpan Interval => TimeSpan.FromMinutes(1);

    public async Task<string> RunAsync(IServiceProvider services, CancellationToken ct) =>
        (await services.GetRequiredService<AnomalyScanner>().ScanAsync(ct)).ToString();
}
