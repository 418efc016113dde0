using Microsoft.EntityFrameworkCore;
using Pantau.Core.Regions;
using Pantau.Core.Tally;
using Pantau.Data;

namespace Pantau.Web.Tally;

/// <summary>Contests with their ballot numbers, and the expected TPS per region (master data, cached for the process).</summary>
public sealed class TallyReference(IServiceScopeFactory scopes)
{
    public sealed record ContestInfo(string Code, string Name, string RegionCode, IReadOnlyList<(int Number, string Name)> Paslon,
        Data.Elections.ContestKind Kind = Data.Elections.ContestKind.Gubernur)
    {
        /// <summary>The names of the sheet's voter categories: Pemilu names for the presidential race, Pilkada names otherwise.</summary>
        public SheetNaming Naming => Kind == Data.Elections.ContestKind.Presiden ? SheetNaming.Pemilu : SheetNaming.Pilkada;

        public IReadOnlyCollection<int> Numbers { get; } = Paslon.Select(p => p.Number).ToHashSet();

        /// <summary>The code of the election the contest belongs to.</summary>
        public string? ElectionCode { get; init; }
    }

    private volatile Dictionary<string, ContestInfo>? _contests;
    private volatile Dictionary<string, int>? _expected;
    private readonly SemaphoreSlim _load = new(1, 1);

    public async Task<IReadOnlyDictionary<string, ContestInfo>> ContestsAsync(CancellationToken ct = default)
    {
        if (_contests is { } c) return c;
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PantauDbContext>();
        var list = await db.Contests.AsNoTracking().Include(x => x.Paslon).ToListAsync(ct);
        var elections = await db.Elections.AsNoTracking().ToDictionaryAsync(e => e.Id, e => e.Code, ct);
        return _contests = list.ToDictionary(x => x.Code, x => new ContestInfo(x.Code, x.Name, x.RegionCode,
            x.Paslon.OrderBy(p => p.Number == 0 ? int.MaxValue : p.Number).Select(p => (p.Number, p.DisplayName)).ToList(), x.Kind)
            { ElectionCode = elections.GetValueOrDefault(x.ElectionId) }, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Forgets the cached master data (after an election's contests or paslon changed, or a TPS list import).</summary>
    public void Invalidate() { _contests = null; _expected = null; }

    /// <summary>Number of TPS in a region (dotted code) or 1 for a TPS code.</summary>
    public async Task<int> ExpectedTpsAsync(string code, CancellationToken ct = default)
    {
        if (code.Length == 13 && !code.Contains('.')) return 1;
        var map = _expected;
        if (map is null)
        {
            await _load.WaitAsync(ct);
            try
            {
                if ((map = _expected) is null)
                {
                    using var scope = scopes.CreateScope();
                    var db = scope.ServiceProvider.GetRequiredService<PantauDbContext>();
                    var counts = await db.Tps.AsNoTracking().GroupBy(t => t.DesaCode).Select(g => new { g.Key, N = g.Count() }).ToListAsync(ct);
                    map = new Dictionary<string, int>(StringComparer.Ordinal);
                    foreach (var x in counts)
                        foreach (var level in RegionCode.Lineage(x.Key)) map[level] = map.GetValueOrDefault(level) + x.N;
                    _expected = map;
                }
            }
            finally { _load.Release(); }
        }
        return map.GetValueOrDefault(code);
    }
}
