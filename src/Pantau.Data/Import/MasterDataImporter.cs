using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Elections;
using Pantau.Core.Regions;
using Pantau.Data.Auditing;
using Pantau.Data.Elections;
using Pantau.Data.Regions;

namespace Pantau.Data.Import;

public sealed record ImportProgress(string Stage, int Done, int Total);

public sealed record ImportReport(
    int Provinsi, int KabKota, int Kecamatan, int Desa, int PemiluTps, int Tps, long Dpt,
    int Contests, int Paslon, int Inserted, int Updated, int Unchanged, TimeSpan Elapsed)
{
    /// <summary>Rows skipped for a reason that is not a format error (e.g. a KPU desa missing from the Kemendagri list).</summary>
    public IReadOnlyList<ImportError> Warnings { get; init; } = [];

    public override string ToString() =>
        $"provinsi {Provinsi}, kab/kota {KabKota}, kecamatan {Kecamatan}, desa/kelurahan {Desa}, Pemilu TPS {PemiluTps}, " +
        $"Pilkada TPS {Tps} (DPT {Dpt:N0}), contests {Contests}, paslon {Paslon}; inserted {Inserted}, updated {Updated}, unchanged {Unchanged}; {Elapsed.TotalSeconds:0.0}s";
}

/// <summary>
/// Imports the master data from <c>shared/data</c>: the Kemendagri 2022 region tree, KPU's Pemilu 2024 TPS per desa,
/// Pilkada 2024 TPS and DPT (synthesized: the sources have no per-TPS Pilkada data), and the elections shipped as files (<see cref="ElectionStore.Bundled"/>).
/// All rows are parsed and validated first; a malformed row aborts the import with its file and line, and nothing is written.
/// Re-running it changes nothing (idempotent).
/// </summary>
public sealed class MasterDataImporter(PantauDbContext db)
{
    /// <summary>Official Pilkada 2024 totals per province used as synthesis targets (TPS, DPT).</summary>
    public static readonly IReadOnlyDictionary<string, (int Tps, long Dpt)> KnownPilkadaTotals =
        new Dictionary<string, (int, long)> { ["16"] = (13_206, 6_382_739) };

    /// <summary>National Pilkada 2024 / Pemilu 2024 TPS ratio and DPT per TPS, for provinces without known totals.</summary>
    private const double NationalTpsRatio = 435_296d / 820_161d;
    private const double NationalDptPerTps = 203_657_354d / 435_296d;

    public static readonly DateOnly VotingDay2024 = new(2024, 11, 27);

    public async Task<ImportReport> ImportAsync(string dataDir, IReadOnlyCollection<string> provinces,
        IProgress<ImportProgress>? progress = null, CancellationToken ct = default)
    {
        var sw = Stopwatch.StartNew();
        var errors = new List<ImportError>();
        var wilayah = Path.Combine(dataDir, "wilayah", "kepmendagri-2022");
        bool Selected(string code) => provinces.Contains(code[..2]);

        progress?.Report(new("Membaca wilayah / reading regions", 0, 4));
        var regions = new Dictionary<string, Region>(StringComparer.Ordinal);
        ReadRegions(Path.Combine(wilayah, "provinsi.csv"), RegionLevel.Provinsi, _ => true, regions, errors);
        ReadRegions(Path.Combine(wilayah, "kabupaten_kota.csv"), RegionLevel.KabKota, _ => true, regions, errors);
        progress?.Report(new("Membaca wilayah / reading regions", 2, 4));
        ReadRegions(Path.Combine(wilayah, "kecamatan.csv"), RegionLevel.Kecamatan, Selected, regions, errors);
        ReadRegions(Path.Combine(wilayah, "desa_kelurahan.csv"), RegionLevel.Desa, Selected, regions, errors);
        progress?.Report(new("Membaca wilayah / reading regions", 4, 4));

        progress?.Report(new("Membaca TPS KPU / reading KPU TPS", 0, 1));
        var warnings = new List<ImportError>();
        var pemiluTps = ReadKpuTps(Path.Combine(dataDir, "wilayah", "kpu-pemilu2024", "wilayah_kpu_tps.csv"), Selected, regions, errors, warnings);
        progress?.Report(new("Membaca TPS KPU / reading KPU TPS", 1, 1));

        var elections = BundledElections(provinces, regions, errors);
        if (errors.Count > 0) throw new ImportException(errors);

        ApplyLabelPoints(Path.Combine(dataDir, "geo"), regions);
        var tps = SynthesizePilkadaTps(pemiluTps, provinces, regions);

        // Write everything in one transaction.
        var strategy = db.Database.CreateExecutionStrategy();
        var (inserted, updated, unchanged) = await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var auto = db.ChangeTracker.AutoDetectChangesEnabled;
            var audit = db.AuditEnabled;
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            db.AuditEnabled = false;
            try
            {
                var counts = new int[3];
                await UpsertAsync(db.Regions, regions.Values.ToList(), r => r.Code, SameRegion, CopyRegion, counts, "wilayah / regions", progress, ct);
                await UpsertAsync(db.PemiluTps, pemiluTps, t => t.Code, (a, b) => a.DesaCode == b.DesaCode && a.Number == b.Number && a.IsKhusus == b.IsKhusus,
                    (from, to) => { to.IsKhusus = from.IsKhusus; }, counts, "TPS Pemilu", progress, ct);
                await UpsertAsync(db.Tps, tps, t => t.Code, SameTps, CopyTps, counts, "TPS Pilkada", progress, ct);
                await UpsertElectionsAsync(elections, counts, ct);
                db.AuditEnabled = true;
                db.AuditEntries.Add(new AuditEntry
                {
                    At = db.Clock.GetUtcNow(), UserId = db.Actor.Current.UserId, UserName = db.Actor.Current.UserName,
                    RemoteIp = db.Actor.RemoteIp, Action = "Import", EntityType = "MasterData", EntityKey = string.Join(",", provinces.Order()),
                    After = JsonSerializer.Serialize(new { inserted = counts[0], updated = counts[1], unchanged = counts[2] }),
                });
                db.AuditEnabled = false;
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                return (counts[0], counts[1], counts[2]);
            }
            finally
            {
                db.ChangeTracker.AutoDetectChangesEnabled = auto;
                db.AuditEnabled = audit;
                db.ChangeTracker.Clear();
            }
        });

        var byLevel = regions.Values.GroupBy(r => r.Level).ToDictionary(g => g.Key, g => g.Count());
        return new ImportReport(
            byLevel.GetValueOrDefault(RegionLevel.Provinsi), byLevel.GetValueOrDefault(RegionLevel.KabKota),
            byLevel.GetValueOrDefault(RegionLevel.Kecamatan), byLevel.GetValueOrDefault(RegionLevel.Desa),
            pemiluTps.Count, tps.Count, tps.Sum(t => (long)t.Dpt), elections.Sum(e => e.Contests!.Count),
            elections.Sum(e => e.Contests!.Sum(c => c.Paslon!.Count + (ElectionRules.HasKolomKosong(c.Paslon!.Count) ? 1 : 0))),
            inserted, updated, unchanged, sw.Elapsed) { Warnings = warnings };
    }

    private static void ReadRegions(string path, RegionLevel level, Func<string, bool> selected,
        Dictionary<string, Region> regions, List<ImportError> errors)
    {
        if (!File.Exists(path)) { errors.Add(new(path, 0, "file not found")); return; }
        var hasType = level is RegionLevel.KabKota or RegionLevel.Desa;
        var expected = hasType ? 5 : 4;
        foreach (var row in Csv.Read(path, out _))
        {
            var f = row.Fields;
            if (f.Length != expected) { errors.Add(new(path, row.Line, $"expected {expected} fields, found {f.Length}")); continue; }
            var code = f[0].Trim();
            if (!RegionCode.TryGetLevel(code, out var actual) || actual != level)
            { errors.Add(new(path, row.Line, $"'{code}' is not a valid {level} code")); continue; }
            if (!selected(code)) continue;
            if (RegionCode.ToNumeric(code) != f[1].Trim()) { errors.Add(new(path, row.Line, $"numeric code '{f[1]}' does not match '{code}'")); continue; }
            var parent = RegionCode.ParentOf(code);
            if ((parent ?? "") != f[2].Trim()) { errors.Add(new(path, row.Line, $"parent '{f[2]}' does not match code '{code}'")); continue; }
            if (parent is not null && !regions.ContainsKey(parent)) { errors.Add(new(path, row.Line, $"parent '{parent}' of '{code}' is unknown")); continue; }
            var name = f[3].Trim();
            if (name.Length == 0) { errors.Add(new(path, row.Line, $"'{code}' has an empty name")); continue; }
            if (regions.ContainsKey(code)) { errors.Add(new(path, row.Line, $"duplicate code '{code}'")); continue; }
            regions[code] = new Region { Code = code, ParentCode = parent, Name = name, Level = level, Type = hasType ? f[4].Trim() : null };
        }
    }

    private static List<PemiluTps> ReadKpuTps(string path, Func<string, bool> selected, Dictionary<string, Region> regions, List<ImportError> errors, List<ImportError> warnings)
    {
        var result = new List<PemiluTps>();
        if (!File.Exists(path)) { errors.Add(new(path, 0, "file not found")); return result; }
        foreach (var row in Csv.Read(path, out _))
        {
            var f = row.Fields;
            if (f.Length != 9) { errors.Add(new(path, row.Line, $"expected 9 fields, found {f.Length}")); continue; }
            if (f[2] != "4") continue;
            var dotted = f[1].Trim();
            if (!RegionCode.TryGetLevel(dotted, out var level) || level != RegionLevel.Desa || RegionCode.ToNumeric(dotted) != f[0])
            { errors.Add(new(path, row.Line, $"'{f[0]}' / '{dotted}' is not a valid desa code")); continue; }
            if (!selected(dotted)) continue;
            if (!regions.ContainsKey(dotted)) { warnings.Add(new(path, row.Line, $"desa '{dotted}' is not in the Kemendagri 2022 list; its TPS are skipped")); continue; }
            if (!TryInt(f[5], out var reguler) || !TryOptionalInt(f[6], out var from) || !TryOptionalInt(f[7], out var to) || !TryInt(f[8], out var total))
            { errors.Add(new(path, row.Line, "TPS counts must be non-negative integers")); continue; }
            var khusus = from is null ? 0 : to!.Value - from.Value + 1;
            if (from is not null && (to is null || to < from)) { errors.Add(new(path, row.Line, "tps_khusus range is invalid")); continue; }
            if (reguler + khusus != total) { errors.Add(new(path, row.Line, $"tps_total {total} != reguler {reguler} + khusus {khusus}")); continue; }
            for (var n = 1; n <= reguler; n++)
                result.Add(new PemiluTps { Code = RegionCode.TpsCode(dotted, n), DesaCode = dotted, Number = n });
            for (var n = from ?? 1; from is not null && n <= to; n++)
                result.Add(new PemiluTps { Code = RegionCode.TpsCode(dotted, n), DesaCode = dotted, Number = n, IsKhusus = true });
        }
        return result;

        static bool TryInt(string s, out int v) => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out v);
        static bool TryOptionalInt(string s, out int? v)
        {
            v = null;
            if (s.Length == 0) return true;
            if (!TryInt(s, out var x)) return false;
            v = x;
            return true;
        }
    }

    /// <summary>
    /// The election files shipped with Pantau (<see cref="ElectionStore.Bundled"/>: the 2024 Sumsel Pilkada, converted from
    /// <c>shared/data/pilkada2024-sumsel.json</c>) whose region is among the imported provinces, validated like any user's file.
    /// </summary>
    private static List<ElectionFile> BundledElections(IReadOnlyCollection<string> provinces, Dictionary<string, Region> regions, List<ImportError> errors)
    {
        var result = new List<ElectionFile>();
        foreach (var name in new[] { "pilkada2024-sumsel.election.json" })
        {
            var file = ElectionStore.Bundled(name);
            if (file.Region is { Length: >= 2 } r && !provinces.Contains(r[..2])) continue;
            var problems = ElectionRules.Validate(file, regions.ContainsKey, _ => false);
            errors.AddRange(problems.Select(p => new ImportError(name, 0, p.ToString())));
            result.Add(file);
        }
        return result;
    }

    private static void ApplyLabelPoints(string geoDir, Dictionary<string, Region> regions)
    {
        if (!Directory.Exists(geoDir)) return;
        foreach (var file in Directory.EnumerateFiles(geoDir, "*.geojson"))
        {
            using var stream = File.OpenRead(file);
            using var doc = JsonDocument.Parse(stream);
            foreach (var f in doc.RootElement.GetProperty("features").EnumerateArray())
            {
                var p = f.GetProperty("properties");
                if (!p.TryGetProperty("code", out var codeEl) || codeEl.GetString() is not { } code) continue;
                if (!regions.TryGetValue(code, out var region)) continue;
                if (p.TryGetProperty("label_lat", out var lat) && lat.ValueKind == JsonValueKind.Number &&
                    p.TryGetProperty("label_lng", out var lng) && lng.ValueKind == JsonValueKind.Number)
                {
                    region.Latitude = Math.Round(lat.GetDouble(), 5);
                    region.Longitude = Math.Round(lng.GetDouble(), 5);
                }
            }
        }
    }

    /// <summary>
    /// Pilkada 2024 used larger TPS than Pemilu 2024 and KPU's per-TPS Pilkada list is not in the sources, so the Pilkada TPS
    /// are derived: each province's known Pilkada TPS total (Sumsel 13,206) is apportioned over its desa in proportion to their
    /// Pemilu TPS, and its DPT (Sumsel 6,382,739) over those TPS with a stable pseudo-random weight. All are marked synthetic.
    /// </summary>
    public static List<Tps> SynthesizePilkadaTps(IReadOnlyList<PemiluTps> pemilu, IReadOnlyCollection<string> provinces, IReadOnlyDictionary<string, Region> regions)
    {
        var result = new List<Tps>();
        foreach (var province in provinces.Order())
        {
            var perDesa = pemilu.Where(t => t.DesaCode.StartsWith(province, StringComparison.Ordinal))
                .GroupBy(t => t.DesaCode).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => (Desa: g.Key, Count: g.Count())).ToList();
            if (perDesa.Count == 0) continue;
            var pemiluTotal = perDesa.Sum(d => d.Count);
            var (tpsTarget, dptTarget) = KnownPilkadaTotals.TryGetValue(province, out var known)
                ? known
                : ((int)Math.Round(pemiluTotal * NationalTpsRatio), (long)Math.Round(pemiluTotal * NationalTpsRatio * NationalDptPerTps));
            tpsTarget = Math.Max(tpsTarget, perDesa.Count);
            var tpsPerDesa = Apportion.ByWeights(tpsTarget, perDesa.Select(d => (double)d.Count).ToList(), minimumEach: 1);
            var provinceTps = new List<Tps>(tpsTarget);
            for (var i = 0; i < perDesa.Count; i++)
            {
                var desa = perDesa[i].Desa;
                var kec = RegionCode.ParentOf(desa)!;
                var kab = RegionCode.ParentOf(kec)!;
                for (var n = 1; n <= tpsPerDesa[i]; n++)
                    provinceTps.Add(new Tps
                    {
                        Code = RegionCode.TpsCode(desa, n), DesaCode = desa, KecamatanCode = kec, KabKotaCode = kab,
                        Number = n, IsSynthetic = true,
                    });
            }
            var dpt = Apportion.ByWeights(dptTarget, provinceTps.Select(t => 0.8 + 0.4 * Apportion.StableUnit(t.Code)).ToList());
            for (var i = 0; i < provinceTps.Count; i++)
            {
                var t = provinceTps[i];
                t.Dpt = (int)dpt[i];
                t.DptMale = (int)Math.Round(t.Dpt * (0.49 + 0.02 * Apportion.StableUnit(t.Code + "L")));
                t.DptFemale = t.Dpt - t.DptMale;
            }
            result.AddRange(provinceTps);
        }
        return result;
    }

    private static bool SameRegion(Region a, Region b) =>
        a.Name == b.Name && a.ParentCode == b.ParentCode && a.Level == b.Level && a.Type == b.Type && a.Latitude == b.Latitude && a.Longitude == b.Longitude;

    private static void CopyRegion(Region from, Region to)
    {
        to.Name = from.Name; to.ParentCode = from.ParentCode; to.Level = from.Level; to.Type = from.Type;
        to.Latitude = from.Latitude; to.Longitude = from.Longitude;
    }

    private static bool SameTps(Tps a, Tps b) =>
        a.DesaCode == b.DesaCode && a.Number == b.Number && a.Dpt == b.Dpt && a.DptMale == b.DptMale && a.DptFemale == b.DptFemale && a.IsSynthetic == b.IsSynthetic;

    private static void CopyTps(Tps from, Tps to)
    {
        to.DesaCode = from.DesaCode; to.KecamatanCode = from.KecamatanCode; to.KabKotaCode = from.KabKotaCode; to.Number = from.Number;
        to.Dpt = from.Dpt; to.DptMale = from.DptMale; to.DptFemale = from.DptFemale; to.IsSynthetic = from.IsSynthetic;
    }

    private async Task UpsertAsync<T>(DbSet<T> set, List<T> incoming, Func<T, string> key, Func<T, T, bool> same, Action<T, T> copy,
        int[] counts, string stage, IProgress<ImportProgress>? progress, CancellationToken ct) where T : class
    {
        var existing = (await set.AsNoTracking().ToListAsync(ct)).ToDictionary(key, StringComparer.Ordinal);
        const int batch = 5000;
        for (var i = 0; i < incoming.Count; i++)
        {
            var item = incoming[i];
            if (!existing.TryGetValue(key(item), out var old)) { set.Add(item); counts[0]++; }
            else if (!same(old, item)) { copy(item, old); set.Update(old); counts[1]++; }
            else counts[2]++;
            if ((i + 1) % batch == 0 || i == incoming.Count - 1)
            {
                await db.SaveChangesAsync(ct);
                db.ChangeTracker.Clear();
                progress?.Report(new($"Menyimpan {stage} / saving", i + 1, incoming.Count));
            }
        }
    }

    private async Task UpsertElectionsAsync(List<ElectionFile> elections, int[] counts, CancellationToken ct)
    {
        var store = new ElectionStore(db);
        foreach (var file in elections)
        {
            var r = await store.ApplyAsync(file, ct);
            counts[0] += r.ContestsAdded + (r.Created ? 1 : 0);
            counts[1] += r.ContestsUpdated;
            counts[2] += r.ContestsUnchanged;
        }
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(ct);
    }
}
