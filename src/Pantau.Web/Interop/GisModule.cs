using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Incidents;
using Pantau.Core.Interop;
using Pantau.Core.Regions;
using Pantau.Core.Security;
using Pantau.Data;
using Pantau.Web.Incidents;
using Pantau.Web.Infrastructure;
using Pantau.Web.Readiness;
using Pantau.Web.Regions;

namespace Pantau.Web.Interop;

/// <summary>
/// GIS and humanitarian exports: kerawanan scores, incidents and readiness per region as GeoJSON (RFC 7946; boundaries from the
/// shared GeoJSON, the region's centre point where no boundary exists, no geometry for a TPS) and as HXL-tagged CSV (hxlstandard.org).
/// The figures are those of the maps and lists (same services, same rules); kerawanan and confirmed incidents are public as on their
/// maps, readiness needs sign-in as its pages do.
/// </summary>
public sealed class GisModule : IPantauModule
{
    public const string GeoJsonType = "application/geo+json";

    /// <summary>Incidents shown to the public: confirmed by an officer (as on the kerawanan map's points).</summary>
    private static readonly IncidentStatus[] Confirmed = [IncidentStatus.Verified, IncidentStatus.Referred, IncidentStatus.ActionTaken, IncidentStatus.Closed];

    public void MapEndpoints(IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/gis").WithTags("GIS and humanitarian exports");
        g.MapGet("/kerawanan.geojson", (KerawananService s, PantauDbContext db, GeoStore geo, string? parent, string? level, string? election, CancellationToken ct) => Kerawanan(s, db, geo, parent, level, false, ct, election))
            .RequireRateLimiting(RateLimits.PublicApi).WithSummary("Kerawanan scores of the regions (or TPS) under parent, GeoJSON");
        g.MapGet("/kerawanan.csv", (KerawananService s, PantauDbContext db, GeoStore geo, string? parent, string? level, string? election, CancellationToken ct) => Kerawanan(s, db, geo, parent, level, true, ct, election))
            .RequireRateLimiting(RateLimits.PublicApi).WithSummary("Kerawanan scores of the regions (or TPS) under parent, HXL-tagged CSV");
        g.MapGet("/incidents.geojson", (PantauDbContext db, GeoStore geo, TimeProvider t, string? parent, int? days, CancellationToken ct) => Incidents(db, geo, t, parent, days, false, ct))
            .RequireRateLimiting(RateLimits.PublicApi).WithSummary("Confirmed incidents per region under parent (last n days), GeoJSON");
        g.MapGet("/incidents.csv", (PantauDbContext db, GeoStore geo, TimeProvider t, string? parent, int? days, CancellationToken ct) => Incidents(db, geo, t, parent, days, true, ct))
            .RequireRateLimiting(RateLimits.PublicApi).WithSummary("Confirmed incidents per region under parent (last n days), HXL-tagged CSV");
        g.MapGet("/incident-points.geojson", (PantauDbContext db, TimeProvider t, string? region, int? days, CancellationToken ct) => Points(db, t, region, days, false, ct))
            .RequireRateLimiting(RateLimits.PublicApi).WithSummary("Confirmed incidents with a map point (rounded to ~1 km; no description, no reporter), GeoJSON");
        g.MapGet("/incident-points.csv", (PantauDbContext db, TimeProvider t, string? region, int? days, CancellationToken ct) => Points(db, t, region, days, true, ct))
            .RequireRateLimiting(RateLimits.PublicApi).WithSummary("Confirmed incidents with a map point, HXL-tagged CSV");
        g.MapGet("/readiness.geojson", (ReadinessService s, PantauDbContext db, GeoStore geo, TimeProvider t, string? region, string? on, CancellationToken ct) => Readiness(s, db, geo, t, region, on, false, ct))
            .RequireRoles(RoleGroups.SignedIn).WithSummary("Readiness scores of the regions under region, GeoJSON");
        g.MapGet("/readiness.csv", (ReadinessService s, PantauDbContext db, GeoStore geo, TimeProvider t, string? region, string? on, CancellationToken ct) => Readiness(s, db, geo, t, region, on, true, ct))
            .RequireRoles(RoleGroups.SignedIn).WithSummary("Readiness scores of the regions under region, HXL-tagged CSV");
    }

    /// <summary>One exported value: its CSV header, its HXL hashtag, and the value (GeoJSON property under the header's name).</summary>
    public sealed record Field(string Name, string Tag, object? Value);

    /// <summary>A row of a layer: a region (or a TPS, <paramref name="IsTps"/>) and its fields.</summary>
    public sealed record LayerRow(string Code, string Name, bool IsTps, IReadOnlyList<Field> Fields);

    private static IResult BadRegion(string? code) =>
        TypedResults.Problem($"'{code}' bukan kode wilayah yang dikenal / not a known region code (e.g. 16.71).", statusCode: 400, title: "invalid-region",
            extensions: new Dictionary<string, object?> { ["code"] = "invalid-region" });

    internal static async Task<IResult> Kerawanan(KerawananService svc, PantauDbContext db, GeoStore geo, string? parent, string? level, bool csv, CancellationToken ct,
        string? election = null)
    {
        var (rows, error) = await IncidentsModule.Load(svc, parent, level, election, ct);
        if (error is not null) return error;
        var layer = rows!.Select(r => new LayerRow(r.Code, r.Name, r.Score.Level == IkpLevel.Tps, [
            new("skor", "#indicator+kerawanan+score+num", r.Score.Rounded),
            new("kategori", "#indicator+kerawanan+category", IncidentsModule.BandLabel(r.Score.Band)),
            // the band follows the level (issue 27.1); Bawaslu's own band of the region, when published, beside Pantau's
            new("tingkat", "#meta+level", IkpImport.LevelId(r.Score.Level)),
            new("kategori_bawaslu", "#indicator+kerawanan+category+bawaslu", r.Parts.BawasluBand is { } bb ? IncidentsModule.BandLabel(bb) : null),
            new("sintetis", "#meta+synthetic", r.Score.IsSynthetic ? "ya" : "tidak"),
            new("edisi_ikp", "#meta+edition", r.Score.Edition),
            // the three parts of the score and the source of its baseline (issue 27.4)
            new("dasar_ikp", "#indicator+kerawanan+baseline+num", r.Parts.Baseline),
            new("sumber_dasar", "#meta+source", r.Baseline.Source),
            new("poin_insiden", "#indicator+kerawanan+incidents+num", r.Parts.Incidents),
            new("poin_tps_rawan", "#indicator+kerawanan+tps_rawan+num", r.Parts.Tps),
            new("insiden", "#event+incidents+num", r.Incidents),
            new("tps_rawan", "#indicator+tps_rawan+num", r.TpsRawan),
            new("tps", "#loc+tps+num", r.TpsCount),
        ])).ToList();
        return await RespondAsync(db, geo, parent ?? "16", layer, csv, "kerawanan", ct);
    }

    internal static async Task<IResult> Incidents(PantauDbContext db, GeoStore geo, TimeProvider time, string? parent, int? days, bool csv, CancellationToken ct)
    {
        parent ??= "16";
        if (!RegionCode.IsValid(parent) || RegionCode.LevelOf(parent) == RegionLevel.Desa || !await db.Regions.AnyAsync(r => r.Code == parent, ct)) return BadRegion(parent);
        var childLevel = RegionCode.LevelOf(parent) + 1;
        var since = time.GetUtcNow().AddDays(-Math.Clamp(days ?? 30, 1, 365));
        var children = await db.Regions.AsNoTracking().Where(r => r.ParentCode == parent).OrderBy(r => r.Code).Select(r => new { r.Code, r.Name }).ToListAsync(ct);
        var incidents = await db.Incidents.AsNoTracking()
            .Where(i => i.RegionCode.StartsWith(parent + ".") && i.OccurredAt >= since && Confirmed.Contains(i.Status))
            .Select(i => new { i.RegionCode, i.Severity }).ToListAsync(ct);
        var byChild = incidents.GroupBy(i => RegionCode.AncestorAt(i.RegionCode, childLevel)).ToDictionary(g => g.Key, g => g.ToList());
        var layer = children.Select(c =>
        {
            var list = byChild.TryGetValue(c.Code, out var l) ? l : [];
            return new LayerRow(c.Code, c.Name, false, [
                new("insiden", "#event+incidents+num", list.Count),
                new("kritis", "#event+incidents+critical+num", list.Count(x => x.Severity == Severity.Critical)),
                new("tinggi", "#event+incidents+high+num", list.Count(x => x.Severity == Severity.High)),
                new("sedang", "#event+incidents+medium+num", list.Count(x => x.Severity == Severity.Medium)),
                new("rendah", "#event+incidents+low+num", list.Count(x => x.Severity == Severity.Low)),
                new("sejak", "#date+start", DateOnly.FromDateTime(since.ToOffset(TimeSpan.FromHours(7)).DateTime)),
            ]);
        }).ToList();
        return await RespondAsync(db, geo, parent, layer, csv, "insiden", ct);
    }

    internal static async Task<IResult> Points(PantauDbContext db, TimeProvider time, string? region, int? days, bool csv, CancellationToken ct)
    {
        region ??= "16";
        if (!RegionCode.IsValid(region)) return BadRegion(region);
        var since = time.GetUtcNow().AddDays(-Math.Clamp(days ?? 30, 1, 365));
        var rows = await db.Incidents.AsNoTracking()
            .Where(i => (i.RegionCode == region || i.RegionCode.StartsWith(region + ".")) && i.Latitude != null && i.Longitude != null && i.OccurredAt >= since
                        && Confirmed.Contains(i.Status))
            .OrderBy(i => i.OccurredAt).Select(i => new { i.Id, i.Latitude, i.Longitude, i.Category, i.Severity, i.OccurredAt, i.RegionCode }).ToListAsync(ct);
        // ~1 km, as on the map: a point never pinpoints a reporter.
        var points = rows.Select(i => (Lat: Math.Round(i.Latitude!.Value, 2), Lon: Math.Round(i.Longitude!.Value, 2), Fields: (IReadOnlyList<Field>)[
            new("kategori", "#event+type", IncidentLabels.Of(i.Category).Id),
            new("keparahan", "#severity", IncidentLabels.Of(i.Severity).Id),
            new("waktu", "#date+occurred", i.OccurredAt.ToUniversalTime()),
            new("wilayah", "#adm2+code", RegionCode.LevelOf(i.RegionCode) >= RegionLevel.KabKota ? RegionCode.AncestorAt(i.RegionCode, RegionLevel.KabKota) : i.RegionCode),
        ])).ToList();
        if (csv)
        {
            var cols = new List<(string Header, string Tag, Func<(double Lat, double Lon, IReadOnlyList<Field> Fields), object?> Value)>
            {
                ("lintang", Hxl.Lat, p => p.Lat), ("bujur", Hxl.Lon, p => p.Lon),
            };
            string[] names = ["kategori", "keparahan", "waktu", "wilayah"];
            string[] tags = ["#event+type", "#severity", "#date+occurred", "#adm2+code"];
            for (var k = 0; k < names.Length; k++) { var idx = k; cols.Add((names[idx], tags[idx], p => p.Fields[idx].Value)); }
            return HxlCsv(points, cols, "titik-insiden.csv");
        }
        var features = new JsonArray();
        foreach (var p in points)
        {
            var props = new JsonObject();
            foreach (var f in p.Fields) props[f.Name] = Node(f.Value);
            features.Add(new JsonObject
            {
                ["type"] = "Feature",
                ["geometry"] = new JsonObject { ["type"] = "Point", ["coordinates"] = new JsonArray(p.Lon, p.Lat) },
                ["properties"] = props,
            });
        }
        return GeoJson(new JsonObject { ["type"] = "FeatureCollection", ["features"] = features }, "titik-insiden.geojson");
    }

    internal static async Task<IResult> Readiness(ReadinessService svc, PantauDbContext db, GeoStore geo, TimeProvider time, string? region, string? on, bool csv, CancellationToken ct)
    {
        if (!ReadinessModule.TryDay(on, time, out var day))
            return TypedResults.Problem($"Tanggal '{on}' tidak sah; gunakan yyyy-MM-dd / invalid date; use yyyy-MM-dd.", statusCode: 400, title: "invalid-date",
                extensions: new Dictionary<string, object?> { ["code"] = "invalid-date" });
        region ??= "16";
        var children = RegionCode.IsValid(region) ? await svc.ChildrenAsync(region, day, ct) : null;
        if (children is null) return BadRegion(region);
        var layer = children.Select(c => new LayerRow(c.Code, c.Name, false, [
            new("skor", "#indicator+readiness+pct", c.Score),
            new("kategori", "#indicator+readiness+category", c.Band),
            new("butir", "#indicator+tasks+num", c.Total),
            new("selesai", "#indicator+tasks+done+num", c.Done),
            new("dikerjakan", "#indicator+tasks+in_progress+num", c.InProgress),
            new("terhambat", "#indicator+tasks+blocked+num", c.Blocked),
            new("terlambat", "#indicator+tasks+late+num", c.Late),
            new("berisiko", "#indicator+tasks+at_risk+num", c.AtRisk),
            new("tanggal", Hxl.Date, day),
        ])).ToList();
        return await RespondAsync(db, geo, region, layer, csv, "kesiapan", ct);
    }

    /// <summary>Writes a layer of rows under <paramref name="parent"/> as GeoJSON (boundaries joined by code) or as HXL-tagged CSV (with the admin lineage).</summary>
    private static async Task<IResult> RespondAsync(PantauDbContext db, GeoStore geo, string parent, List<LayerRow> rows, bool csv, string name, CancellationToken ct)
    {
        var regionCodes = rows.Where(r => !r.IsTps).Select(r => r.Code).ToList();
        var lineageCodes = rows.SelectMany(r => RegionCode.Lineage(r.IsTps && RegionCode.TryParseTpsCode(r.Code, out var desa, out _) ? desa : r.Code)).Distinct().ToList();
        var regions = await db.Regions.AsNoTracking().Where(r => lineageCodes.Contains(r.Code))
            .Select(r => new { r.Code, r.Name, r.Level, r.Latitude, r.Longitude }).ToDictionaryAsync(r => r.Code, ct);
        if (csv)
        {
            var deepest = rows.Count == 0 ? RegionCode.LevelOf(parent) + 1
                : rows.Max(r => r.IsTps ? RegionLevel.Desa : RegionCode.LevelOf(r.Code));
            if (deepest > RegionLevel.Desa) deepest = RegionLevel.Desa;
            var cols = new List<(string Header, string Tag, Func<LayerRow, object?> Value)> { ("negara", Hxl.Country, _ => "IDN") };
            foreach (var (level, codeTag, nameTag) in Hxl.AdminColumns(deepest))
            {
                var lv = level;
                string? Anc(LayerRow r)
                {
                    var code = r.IsTps && RegionCode.TryParseTpsCode(r.Code, out var d, out _) ? d : r.Code;
                    return RegionCode.LevelOf(code) >= lv ? RegionCode.AncestorAt(code, lv) : null;
                }
                var label = lv switch { RegionLevel.Provinsi => "provinsi", RegionLevel.KabKota => "kabkota", RegionLevel.Kecamatan => "kecamatan", _ => "desa" };
                cols.Add(("kode_" + label, codeTag, r => Anc(r)));
                cols.Add(("nama_" + label, nameTag, r => Anc(r) is { } a && regions.TryGetValue(a, out var x) ? x.Name : null));
            }
            if (rows.Any(r => r.IsTps)) cols.Add(("kode_tps", Hxl.Tps, r => r.IsTps ? r.Code : null));
            var fieldNames = rows.FirstOrDefault()?.Fields ?? [];
            for (var i = 0; i < fieldNames.Count; i++) { var idx = i; cols.Add((fieldNames[idx].Name, fieldNames[idx].Tag, r => r.Fields[idx].Value)); }
            return HxlCsv(rows, cols, $"{name}-{parent}.csv");
        }

        var childLevel = rows.FirstOrDefault(r => !r.IsTps) is { } first ? RegionCode.LevelOf(first.Code) : (RegionLevel?)null;
        var geoLevel = childLevel switch { RegionLevel.Provinsi => "provinsi", RegionLevel.KabKota => "kabkota", RegionLevel.Kecamatan => "kecamatan", RegionLevel.Desa => "desa", _ => null };
        var shapes = new Dictionary<string, JsonNode?>();
        if (geoLevel is not null && geo.Get(geoLevel, RegionCode.LevelOf(parent) < childLevel ? parent : null, full: true) is { } text)
            foreach (var f in JsonNode.Parse(text)!["features"]!.AsArray())
                if (f?["properties"]?["code"]?.GetValue<string>() is { } code && regionCodes.Contains(code)) shapes[code] = f["geometry"]?.DeepClone();
        var features = new JsonArray();
        foreach (var r in rows)
        {
            var props = new JsonObject { ["kode"] = r.Code, ["nama"] = r.Name };
            foreach (var f in r.Fields) props[f.Name] = Node(f.Value);
            JsonNode? geometry = null;
            string source;
            if (shapes.TryGetValue(r.Code, out var shape)) { geometry = shape; source = "batas"; }
            else if (!r.IsTps && regions.TryGetValue(r.Code, out var reg) && reg.Latitude is { } lat && reg.Longitude is { } lon)
            { geometry = new JsonObject { ["type"] = "Point", ["coordinates"] = new JsonArray(lon, lat) }; source = "titik-pusat"; }
            else source = "tanpa-geometri";
            props["geometri"] = source;
            features.Add(new JsonObject { ["type"] = "Feature", ["id"] = r.Code, ["geometry"] = geometry, ["properties"] = props });
        }
        return GeoJson(new JsonObject { ["type"] = "FeatureCollection", ["name"] = $"{name}-{parent}", ["features"] = features }, $"{name}-{parent}.geojson");
    }

    private static JsonNode? Node(object? v) => v switch
    {
        null => null,
        string s => JsonValue.Create(s),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        bool b => JsonValue.Create(b),
        DateOnly d => JsonValue.Create(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        DateTimeOffset t => JsonValue.Create(t.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture)),
        IFormattable f => JsonValue.Create(f.ToString(null, CultureInfo.InvariantCulture)),
        _ => JsonValue.Create(v.ToString()),
    };

    private static IResult GeoJson(JsonObject doc, string fileName) =>
        TypedResults.File(Encoding.UTF8.GetBytes(doc.ToJsonString()), GeoJsonType, fileName);

    /// <summary>CSV with the HXL hashtag row under the header (HXL 1.1 §3); the same quoting and formula neutralising as every export.</summary>
    public static IResult HxlCsv<T>(IEnumerable<T> rows, IReadOnlyList<(string Header, string Tag, Func<T, object?> Value)> columns, string fileName)
    {
        foreach (var c in columns)
            if (!Hxl.IsValid(c.Tag)) throw new InvalidOperationException($"Column {c.Header}: '{c.Tag}' is not an HXL hashtag.");
        var tagRow = string.Join(',', columns.Select(c => c.Tag)) + "\r\n";
        var body = Export.ToCsv(rows, columns.Select(c => (c.Header, c.Value)).ToList());
        var firstLine = body.IndexOf("\r\n", StringComparison.Ordinal) + 2;
        var text = body[..firstLine] + tagRow + body[firstLine..];
        return TypedResults.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text)).ToArray(), "text/csv; charset=utf-8", fileName);
    }
}
