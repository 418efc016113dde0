using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Readiness;
using Pantau.Core.Regions;
using Pantau.Data;
using Pantau.Data.Readiness;

namespace Pantau.Web.Readiness;

/// <summary>A region of the cached tree.</summary>
public sealed record TreeRegion(string Code, string? ParentCode, string Name, RegionLevel Level);

/// <summary>A TPS of the cached tree with its (synthesized) DPT.</summary>
public sealed record TreeTps(string Code, string DesaCode, int Number, int Dpt);

/// <summary>The region tree, TPS and contests, loaded once and kept in memory (master data changes only on import).</summary>
public sealed class RegionTree
{
    public required IReadOnlyDictionary<string, TreeRegion> Regions { get; init; }
    public required IReadOnlyDictionary<string, List<TreeRegion>> Children { get; init; }
    public required IReadOnlyDictionary<string, List<TreeTps>> TpsByDesa { get; init; }
    public required IReadOnlyDictionary<string, TreeTps> Tps { get; init; }
    /// <summary>Contest codes by the region that elects (province or kab/kota).</summary>
    public required IReadOnlyDictionary<string, List<string>> ContestsByRegion { get; init; }

    public IReadOnlyList<TreeRegion> ChildrenOf(string code) => Children.TryGetValue(code, out var c) ? c : [];
    public IReadOnlyList<TreeTps> TpsOf(string desa) => TpsByDesa.TryGetValue(desa, out var t) ? t : [];

    /// <summary>Contests held at a TPS of the given region: the governor race of the province and the race of the kab/kota.</summary>
    public IReadOnlyList<string> ContestsAt(string regionCode)
    {
        var list = new List<string>();
        foreach (var code in RegionCode.Lineage(regionCode).Take(2))
            if (ContestsByRegion.TryGetValue(code, out var c)) list.AddRange(c);
        return list;
    }

    /// <summary>Every TPS in the subtree of <paramref name="code"/>.</summary>
    /// <summary>True when the holder exists: its TPS (KPPS) or its region (warehouse, PPK, PPS).</summary>
    public bool Contains(Pantau.Core.Readiness.CustodyNode n) => n.Level == Pantau.Core.Readiness.CustodyLevel.Kpps ? Tps.ContainsKey(n.Code) : Regions.ContainsKey(n.Code);

    public IEnumerable<TreeTps> TpsWithin(string code)
    {
        if (Tps.TryGetValue(code, out var single)) { yield return single; yield break; }
        foreach (var (desa, list) in TpsByDesa)
            if (RegionCode.IsWithin(desa, code)) foreach (var t in list) yield return t;
    }
}

public sealed class RegionTreeCache(IServiceScopeFactory scopes, TimeProvider time)
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private RegionTree? _tree;
    private DateTimeOffset _loadedAt;

    /// <summary>Forgets the cached tree (after contests changed).</summary>
    public void Invalidate() => _tree = null;

    public async Task<RegionTree> GetAsync(CancellationToken ct = default)
    {
        if (_tree is not null && time.GetUtcNow() - _loadedAt < TimeSpan.FromMinutes(30)) return _tree;
        await _lock.WaitAsync(ct);
        try
        {
            if (_tree is not null && time.GetUtcNow() - _loadedAt < TimeSpan.FromMinutes(30)) return _tree;
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<PantauDbContext>();
            var regions = await db.Regions.AsNoTracking().Select(r => new TreeRegion(r.Code, r.ParentCode, r.Name, r.Level)).ToListAsync(ct);
            var tps = await db.Tps.AsNoTracking().Select(t => new TreeTps(t.Code, t.DesaCode, t.Number, t.Dpt)).ToListAsync(ct);
            var contests = await db.Contests.AsNoTracking().Select(c => new { c.Code, c.RegionCode }).ToListAsync(ct);
            _tree = new RegionTree
            {
                Regions = regions.ToDictionary(r => r.Code),
                Children = regions.Where(r => r.ParentCode is not null).GroupBy(r => r.ParentCode!)
                    .ToDictionary(g => g.Key, g => g.OrderBy(r => r.Code, StringComparer.Ordinal).ToList()),
                TpsByDesa = tps.GroupBy(t => t.DesaCode).ToDictionary(g => g.Key, g => g.OrderBy(t => t.Number).ToList()),
                Tps = tps.ToDictionary(t => t.Code),
                ContestsByRegion = contests.GroupBy(c => c.RegionCode).ToDictionary(g => g.Key, g => g.Select(c => c.Code).OrderBy(c => c, StringComparer.Ordinal).ToList()),
            };
            _loadedAt = time.GetUtcNow();
            return _tree;
        }
        finally { _lock.Release(); }
    }
}

/// <summary>Seeds the 2024 schedule and the checklist templates, idempotently, on first use (per database).</summary>
public static class ReadinessSeeder
{
    private static readonly ConcurrentDictionary<string, bool> Seeded = new();
    private static readonly SemaphoreSlim Lock = new(1, 1);

    public static async Task EnsureSeededAsync(PantauDbContext db, CancellationToken ct = default)
    {
        var key = db.Database.GetConnectionString() ?? "";
        if (Seeded.ContainsKey(key)) return;
        await Lock.WaitAsync(ct);
        try
        {
            if (Seeded.ContainsKey(key)) return;
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await SeedAsync(db, ct);
                    break;
                }
                catch (DbUpdateException) when (attempt < 2)
                {
                    // Another instance seeded concurrently: the unique keys rejected our copy; look again.
                    db.ChangeTracker.Clear();
                }
            }
            Seeded[key] = true;
        }
        finally { Lock.Release(); }
    }

    private static async Task SeedAsync(PantauDbContext db, CancellationToken ct)
    {
        var stages = await db.TahapanStages.Select(s => s.Code).ToListAsync(ct);
        var order = 0;
        foreach (var s in Schedule.Pilkada2024)
        {
            order++;
            if (stages.Contains(s.Code)) continue;
            db.TahapanStages.Add(new TahapanStage { Code = s.Code, NameId = s.NameId, NameEn = s.NameEn, Start = s.Start, End = s.End, SortOrder = order });
        }
        var templates = await db.ReadinessTemplates.Select(t => t.Code).ToListAsync(ct);
        order = 0;
        foreach (var t in ReadinessTemplates.Default)
        {
            order++;
            if (templates.Contains(t.Code)) continue;
            db.ReadinessTemplates.Add(new ReadinessTemplate
            {
                Code = t.Code, Level = t.Level, Category = t.Category, TitleId = t.TitleId, TitleEn = t.TitleEn, Owner = t.Owner,
                TargetRule = t.TargetRule, BlocksVoting = t.BlocksVoting, SortOrder = order,
            });
        }
        if (db.ChangeTracker.HasChanges()) await db.SaveChangesAsync(ct);
    }
}
