using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Regions;
using Pantau.Data;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Regions;

public sealed record RegionDto(string Code, string Name, RegionLevel Level, string? Type, string? ParentCode, double? Latitude, double? Longitude);
public sealed record RegionStats(int KabKota, int Kecamatan, int Desa, int Tps, long Dpt);
public sealed record RegionDetail(RegionDto Region, IReadOnlyList<RegionDto> Lineage, IReadOnlyList<RegionChild> Children, RegionStats Stats, bool DptIsSynthetic);
public sealed record RegionChild(string Code, string Name, RegionLevel Level, int Tps, long Dpt);
public sealed record TpsDto(string Code, string DesaCode, int Number, int Dpt, int DptMale, int DptFemale, bool IsSynthetic);
public sealed record TreeCounts(int Provinsi, int KabKota, int Kecamatan, int Desa, int Tps, int PemiluTps, long Dpt, int Contests, int Paslon, bool DptIsSynthetic);

/// <summary>The region tree (provinsi → kab/kota → kecamatan → desa → TPS), search for the region picker, and boundaries for maps.</summary>
public sealed class RegionsModule : IPantauModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration) => services.AddSingleton<GeoStore>();

    public IEnumerable<NavItem> Nav => [];

    public void MapEndpoints(IEndpointRouteBuilder app)
    {
        app.MapGet("/health", Health);
        var g = app.MapGroup("/api/regions").WithTags("Regions");
        g.MapGet("", Provinces);
        g.MapGet("/counts", Counts);
        g.MapGet("/search", Search);
        g.MapGet("/{code}", Get);
        g.MapGet("/{code}/tps", TpsOf);
        app.MapGet("/api/geo/{level}", Geo);
    }

    internal static async Task<Results<Ok<HealthDto>, JsonHttpResult<HealthDto>>> Health(PantauDbContext db, DatabaseInfo info, CancellationToken ct)
    {
        try
        {
            var regions = await db.Regions.CountAsync(ct);
            return TypedResults.Ok(new HealthDto("ok", info.Provider.ToString(), regions));
        }
        catch (Exception ex)
        {
            return TypedResults.Json(new HealthDto("unhealthy: " + ex.GetType().Name, info.Provider.ToString(), 0), statusCode: 503);
        }
    }

    public sealed record HealthDto(string Status, string Database, int Regions);

    public static async Task<TreeCounts> CountTree(PantauDbContext db, CancellationToken ct)
    {
        var byLevel = await db.Regions.GroupBy(r => r.Level).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        int L(RegionLevel l) => byLevel.FirstOrDefault(x => x.Key == l)?.Count ?? 0;
        var tps = await db.Tps.CountAsync(ct);
        var dpt = tps == 0 ? 0 : await db.Tps.SumAsync(t => (long)t.Dpt, ct);
        return new TreeCounts(L(RegionLevel.Provinsi), L(RegionLevel.KabKota), L(RegionLevel.Kecamatan), L(RegionLevel.Desa), tps,
            await db.PemiluTps.CountAsync(ct), dpt, await db.Contests.CountAsync(ct), await db.Paslon.CountAsync(ct),
            await db.Tps.AnyAsync(t => t.IsSynthetic, ct));
    }

    /// <summary>The provinces (top of the tree, for the region picker).</summary>
    internal static async Task<Ok<List<RegionDto>>> Provinces(PantauDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await db.Regions.AsNoTracking().Where(r => r.Level == RegionLevel.Provinsi).OrderBy(r => r.Code).Select(ToDto).ToListAsync(ct));

    internal static Task<TreeCounts> Counts(PantauDbContext db, CancellationToken ct) => CountTree(db, ct);

    internal static async Task<Results<Ok<List<RegionDto>>, ProblemHttpResult>> Search(PantauDbContext db, string? q, string? within, int? limit, CancellationToken ct)
    {
        q = q?.Trim() ?? "";
        if (q.Length < 2) return TypedResults.Problem("Ketik minimal 2 huruf / type at least 2 characters.", statusCode: 400, title: "Query too short");
        var take = Math.Clamp(limit ?? 20, 1, 100);
        var query = db.Regions.AsNoTracking();
        if (!string.IsNullOrEmpty(within)) query = query.Where(r => r.Code.StartsWith(within));
        var upper = q.ToUpperInvariant();
        var numeric = q.Replace(".", "", StringComparison.Ordinal);
        query = q.All(c => char.IsAsciiDigit(c) || c == '.')
            ? query.Where(r => r.Code.StartsWith(q) || r.Code.Replace(".", "").StartsWith(numeric))
            : query.Where(r => r.Name.ToUpper().Contains(upper));
        var list = await query.OrderBy(r => r.Level).ThenBy(r => r.Name).Take(take).Select(ToDto).ToListAsync(ct);
        return TypedResults.Ok(list);
    }

    private static readonly System.Linq.Expressions.Expression<Func<Data.Regions.Region, RegionDto>> ToDto =
        r => new RegionDto(r.Code, r.Name, r.Level, r.Type, r.ParentCode, r.Latitude, r.Longitude);

    public static async Task<RegionDetail?> Detail(PantauDbContext db, string code, CancellationToken ct)
    {
        var region = await db.Regions.AsNoTracking().Where(r => r.Code == code).Select(ToDto).FirstOrDefaultAsync(ct);
        if (region is null) return null;
        var lineageCodes = RegionCode.Lineage(code);
        var lineage = await db.Regions.AsNoTracking().Where(r => lineageCodes.Contains(r.Code)).OrderBy(r => r.Level).Select(ToDto).ToListAsync(ct);
        var children = await db.Regions.AsNoTracking().Where(r => r.ParentCode == code).OrderBy(r => r.Code).ToListAsync(ct);
        var tps = db.Tps.AsNoTracking();
        var level = region.Level;
        List<(string Key, int Tps, long Dpt)> agg = level switch
        {
            RegionLevel.Provinsi => (await tps.Where(t => t.KabKotaCode.StartsWith(code)).GroupBy(t => t.KabKotaCode)
                .Select(g => new { g.Key, N = g.Count(), D = g.Sum(t => (long)t.Dpt) }).ToListAsync(ct)).Select(x => (x.Key, x.N, x.D)).ToList(),
            RegionLevel.KabKota => (await tps.Where(t => t.KabKotaCode == code).GroupBy(t => t.KecamatanCode)
                .Select(g => new { g.Key, N = g.Count(), D = g.Sum(t => (long)t.Dpt) }).ToListAsync(ct)).Select(x => (x.Key, x.N, x.D)).ToList(),
            RegionLevel.Kecamatan => (await tps.Where(t => t.KecamatanCode == code).GroupBy(t => t.DesaCode)
                .Select(g => new { g.Key, N = g.Count(), D = g.Sum(t => (long)t.Dpt) }).ToListAsync(ct)).Select(x => (x.Key, x.N, x.D)).ToList(),
            _ => (await tps.Where(t => t.DesaCode == code).Select(t => new { t.Code, t.Dpt }).ToListAsync(ct)).Select(x => (x.Code, 1, (long)x.Dpt)).ToList(),
        };
        var aggMap = agg.ToDictionary(a => a.Key);
        var childList = children.Select(c => new RegionChild(c.Code, c.Name, c.Level,
            aggMap.TryGetValue(c.Code, out var a) ? a.Tps : 0, aggMap.TryGetValue(c.Code, out var b) ? b.Dpt : 0)).ToList();
        var prefix = code + ".";
        var sub = await db.Regions.AsNoTracking().Where(r => r.Code.StartsWith(prefix)).GroupBy(r => r.Level).Select(g => new { g.Key, N = g.Count() }).ToListAsync(ct);
        int S(RegionLevel l) => sub.FirstOrDefault(x => x.Key == l)?.N ?? 0;
        var stats = new RegionStats(S(RegionLevel.KabKota), S(RegionLevel.Kecamatan), S(RegionLevel.Desa), agg.Sum(a => a.Tps), agg.Sum(a => a.Dpt));
        return new RegionDetail(region, lineage, childList, stats, await tps.AnyAsync(t => t.IsSynthetic, ct));
    }

    internal static async Task<Results<Ok<RegionDetail>, ProblemHttpResult>> Get(PantauDbContext db, string code, CancellationToken ct)
    {
        if (!RegionCode.IsValid(code)) return TypedResults.Problem($"'{code}' bukan kode wilayah yang sah / is not a valid region code (e.g. 16.71.01).", statusCode: 400, title: "Invalid region code");
        var detail = await Detail(db, code, ct);
        return detail is null ? TypedResults.Problem($"Wilayah {code} tidak ditemukan / region not found.", statusCode: 404, title: "Region not found") : TypedResults.Ok(detail);
    }

    internal static async Task<Results<Ok<List<TpsDto>>, ProblemHttpResult>> TpsOf(PantauDbContext db, string code, CancellationToken ct)
    {
        if (!RegionCode.TryGetLevel(code, out var level) || level < RegionLevel.Kecamatan)
            return TypedResults.Problem("TPS dapat dilihat per kecamatan atau desa / TPS are listed per kecamatan or desa.", statusCode: 400, title: "Invalid region code");
        var q = db.Tps.AsNoTracking().Where(t => level == RegionLevel.Desa ? t.DesaCode == code : t.KecamatanCode == code);
        return TypedResults.Ok(await q.OrderBy(t => t.Code).Select(t => new TpsDto(t.Code, t.DesaCode, t.Number, t.Dpt, t.DptMale, t.DptFemale, t.IsSynthetic)).ToListAsync(ct));
    }

    internal static Results<ContentHttpResult, ProblemHttpResult> Geo(GeoStore geo, HttpContext http, string level, string? parent)
    {
        var json = geo.Get(level, parent);
        if (json is null) return TypedResults.Problem($"Batas wilayah '{level}' tidak tersedia / boundaries not available. Levels: provinsi, kabkota, kecamatan, desa.", statusCode: 404);
        http.Response.Headers.CacheControl = "public, max-age=86400";
        return TypedResults.Content(json, "application/geo+json");
    }
}

/// <summary>Serves the GeoJSON boundaries from shared/data/geo, filtered by parent code and cached in memory.</summary>
public sealed class GeoStore(IConfiguration config)
{
    private readonly ConcurrentDictionary<string, string?> _cache = new();
    private readonly Lazy<string?> _dir = new(() => SharedData.Locate(config) is { } d ? Path.Combine(d, "geo") : null);

    private static readonly Dictionary<string, string[]> Files = new()
    {
        ["provinsi"] = ["indonesia_provinsi.geojson"],
        ["kabkota"] = ["sumsel_kabupaten_kota.geojson", "indonesia_kabupaten_kota.geojson"],
        ["kecamatan"] = ["sumsel_kecamatan.geojson"],
        ["desa"] = ["sumsel_desa_kelurahan.geojson"],
    };

    /// <summary>The boundaries of <paramref name="level"/> under <paramref name="parent"/>: made as light as a map of their extent can
    /// show (the maps), or with <paramref name="full"/> as the source has them (the GIS exports).</summary>
    public string? Get(string level, string? parent, bool full = false)
    {
        if (!Files.TryGetValue(level, out var names) || _dir.Value is null) return null;
        if (parent is not null && !RegionCode.IsValid(parent)) return null;
        return _cache.GetOrAdd($"{level}|{parent}|{full}", _ =>
        {
            // Prefer the detailed Sumsel file when the filter lies inside Sumsel (or no filter for Sumsel-only levels).
            var file = names.Select(n => Path.Combine(_dir.Value, n)).FirstOrDefault(f => File.Exists(f) &&
                (names.Length == 1 || (parent is not null && parent.StartsWith("16", StringComparison.Ordinal) == Path.GetFileName(f).StartsWith("sumsel", StringComparison.Ordinal))));
            if (file is null) return null;
            var root = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            var kept = new JsonArray();
            foreach (var f in root["features"]!.AsArray())
            {
                var code = f?["properties"]?["code"]?.GetValue<string>();
                if (parent is null || (code is not null && RegionCode.IsWithin(code, parent) && code != parent)) kept.Add(f!.DeepClone());
            }
            if (!full) Lighten(kept);
            return new JsonObject { ["type"] = "FeatureCollection", ["features"] = kept }.ToJsonString();
        });
    }

    /// <summary>
    /// The boundaries as a map of their own extent can show them (issue 24.10, phones on slow networks): every ring simplified to a
    /// 1/1500th of the extent (<see cref="Simplify"/>) and coordinates rounded to match, so Indonesia's provinces or a kab/kota's
    /// kecamatan weigh tens of kilobytes, not megabytes. A polygon too small to stay a ring at that tolerance is dropped, unless it is
    /// the region's only one. The GIS exports keep the full boundaries.
    /// </summary>
    private static void Lighten(JsonArray features)
    {
        var (minX, minY, maxX, maxY) = (double.MaxValue, double.MaxValue, double.MinValue, double.MinValue);
        foreach (var ring in features.SelectMany(f => Rings(f?["geometry"])))
            foreach (var pos in ring.AsArray())
            {
                var (x, y) = ((double)pos![0]!, (double)pos[1]!);
                (minX, minY, maxX, maxY) = (Math.Min(minX, x), Math.Min(minY, y), Math.Max(maxX, x), Math.Max(maxY, y));
            }
        if (minX > maxX) return;
        var tolerance = Simplify.ToleranceFor(Math.Max(maxX - minX, maxY - minY));
        var digits = Simplify.DigitsFor(tolerance);
        foreach (var f in features)
        {
            if (f?["geometry"] is not JsonObject g || g["coordinates"] is not JsonArray coords) continue;
            var type = g["type"]?.GetValue<string>();
            if (type == "Polygon") g["coordinates"] = Polygon(coords, tolerance, digits, keepSpecks: true);
            else if (type == "MultiPolygon")
            {
                var polygons = new JsonArray();
                foreach (var poly in coords) if (Polygon(poly!.AsArray(), tolerance, digits, keepSpecks: false) is { Count: > 0 } kept) polygons.Add(kept);
                if (polygons.Count == 0) // every part is a speck at this scale: keep the largest as it is
                {
                    var largest = coords.OrderByDescending(p => p!.AsArray()[0]!.AsArray().Count).First()!.AsArray();
                    polygons.Add(Polygon(largest, tolerance, digits, keepSpecks: true));
                }
                g["coordinates"] = polygons;
            }
        }
    }

    private static IEnumerable<JsonNode> Rings(JsonNode? geometry) => geometry?["type"]?.GetValue<string>() switch
    {
        "Polygon" => geometry["coordinates"]!.AsArray().Select(r => r!),
        "MultiPolygon" => geometry["coordinates"]!.AsArray().SelectMany(p => p!.AsArray()).Select(r => r!),
        _ => [],
    };

    /// <summary>A polygon's rings simplified and rounded; an outer ring that vanishes empties the polygon, a vanishing hole is dropped.</summary>
    private static JsonArray Polygon(JsonArray rings, double tolerance, int digits, bool keepSpecks)
    {
        var result = new JsonArray();
        for (var i = 0; i < rings.Count; i++)
        {
            var points = rings[i]!.AsArray().Select(p => ((double)p![0]!, (double)p[1]!)).ToList();
            var simple = Simplify.Ring(points, tolerance, keepSpecks && i == 0);
            if (simple is null) { if (i == 0) return []; continue; }
            var ring = new JsonArray();
            (double X, double Y)? last = null;
            foreach (var (x, y) in simple)
            {
                var r = (Math.Round(x, digits), Math.Round(y, digits));
                if (r == last) continue; // two points that round to one
                ring.Add(new JsonArray(r.Item1, r.Item2));
                last = r;
            }
            if (ring.Count < 4)
            {
                if (i > 0) continue;
                if (!keepSpecks) return [];
                ring = new JsonArray(points.Select(p => (JsonNode)new JsonArray(p.Item1, p.Item2)).ToArray()); // the only outline: as it was
            }
            result.Add(ring);
        }
        return result;
    }
}
