using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Incidents;
using Pantau.Core.Interop;
using Pantau.Core.Security;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;
using Inc = Pantau.Data.Incidents;

namespace Pantau.Web.Tests.Interop;

/// <summary>GIS and humanitarian exports (issue 26.5): kerawanan, incidents and readiness per region as GeoJSON and HXL-tagged CSV.</summary>
public class GisExportTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;

    private static readonly Dictionary<string, string?> Settings = new() { ["Pantau:RunJobs"] = "false" };

    /// <summary>Splits an RFC 4180 CSV (quoted cells, doubled quotes) into rows of cells.</summary>
    internal static List<string[]> ParseCsv(string text)
    {
        text = text.TrimStart('\uFEFF');
        var rows = new List<string[]>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(cell.ToString()); cell.Clear(); }
            else if (c == '\r') { }
            else if (c == '\n') { row.Add(cell.ToString()); cell.Clear(); rows.Add([.. row]); row.Clear(); }
            else cell.Append(c);
        }
        if (cell.Length > 0 || row.Count > 0) { row.Add(cell.ToString()); rows.Add([.. row]); }
        return rows;
    }

    private static void AssertHxl(List<string[]> rows, int expectedDataRows)
    {
        Assert.True(rows.Count >= 2, "header and hashtag rows");
        Assert.Equal(rows[0].Length, rows[1].Length);
        Assert.All(rows[1], t => Assert.True(Hxl.IsValid(t), $"'{t}' is not an HXL hashtag"));
        Assert.Equal(expectedDataRows, rows.Count - 2);
        Assert.All(rows.Skip(2), r => Assert.Equal(rows[0].Length, r.Length));
    }

    private static int Col(List<string[]> rows, string tag) => Array.IndexOf(rows[1], tag) is var i and >= 0 ? i : throw new Xunit.Sdk.XunitException($"no column {tag}: {string.Join(",", rows[1])}");

    private static void AssertInIndonesia(JsonElement geometry)
    {
        var points = new List<(double Lon, double Lat)>();
        void Walk(JsonElement e)
        {
            if (e.ValueKind != JsonValueKind.Array) return;
            if (e.GetArrayLength() >= 2 && e[0].ValueKind == JsonValueKind.Number) { points.Add((e[0].GetDouble(), e[1].GetDouble())); return; }
            foreach (var x in e.EnumerateArray()) Walk(x);
        }
        Walk(geometry.GetProperty("coordinates"));
        Assert.NotEmpty(points);
        // RFC 7946: longitude first. Indonesia lies within 94-142 E, 12 S - 7 N.
        Assert.All(points, p => Assert.True(p.Lon is > 94 and < 142 && p.Lat is > -12 and < 7, $"({p.Lon}, {p.Lat}) outside Indonesia or swapped"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Kerawanan_per_kab_kota_is_GeoJSON_with_boundaries_and_HXL_CSV_with_the_scores_of_the_API(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider, settings: Settings);
        var anon = app.AnonymousClient();
        var scores = JsonDocument.Parse(await anon.GetStringAsync("/api/kerawanan?parent=16&level=kabkota")).RootElement.EnumerateArray()
            .ToDictionary(s => s.GetProperty("code").GetString()!, s => s.GetProperty("score").GetDouble());
        Assert.Equal(17, scores.Count);

        var geo = await anon.GetAsync("/api/gis/kerawanan.geojson?parent=16&level=kabkota");
        Assert.Equal(HttpStatusCode.OK, geo.StatusCode);
        Assert.Equal("application/geo+json", geo.Content.Headers.ContentType!.MediaType);
        var doc = JsonDocument.Parse(await geo.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("FeatureCollection", doc.GetProperty("type").GetString());
        var features = doc.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(scores.Keys.Order(), features.Select(f => f.GetProperty("properties").GetProperty("kode").GetString()!).Order());
        foreach (var f in features)
        {
            var props = f.GetProperty("properties");
            Assert.Equal(scores[props.GetProperty("kode").GetString()!], props.GetProperty("skor").GetDouble());
            Assert.Equal("batas", props.GetProperty("geometri").GetString());
            Assert.Contains(f.GetProperty("geometry").GetProperty("type").GetString(), new[] { "Polygon", "MultiPolygon" });
            AssertInIndonesia(f.GetProperty("geometry"));
        }

        var csv = ParseCsv(await anon.GetStringAsync("/api/gis/kerawanan.csv?parent=16&level=kabkota"));
        AssertHxl(csv, 17);
        Assert.All(csv.Skip(2), r =>
        {
            Assert.Equal("IDN", r[Col(csv, "#country+code")]);
            Assert.Equal("16", r[Col(csv, "#adm1+code")]);
            Assert.Equal("SUMATERA SELATAN", r[Col(csv, "#adm1+name")]);
            Assert.Equal(scores[r[Col(csv, "#adm2+code")]], double.Parse(r[Col(csv, "#indicator+kerawanan+score+num")], System.Globalization.CultureInfo.InvariantCulture));
            // banded at kab/kota level, with the parts that make the score and the source of its baseline
            Assert.Equal("kab/kota", r[Col(csv, "#meta+level")]);
            var parts = new[] { "#indicator+kerawanan+baseline+num", "#indicator+kerawanan+incidents+num", "#indicator+kerawanan+tps_rawan+num" }
                .Sum(t => double.Parse(r[Col(csv, t)], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(scores[r[Col(csv, "#adm2+code")]], parts, 1);
            Assert.StartsWith("sintetis (Pantau)", r[Col(csv, "#meta+source")]);
            Assert.Equal("", r[Col(csv, "#indicator+kerawanan+category+bawaslu")]); // Bawaslu published no Sumsel kab/kota total
        });

        // A TPS has no boundary: at TPS level the features carry no geometry, the CSV carries the TPS code under its desa.
        var tps = JsonDocument.Parse(await anon.GetStringAsync("/api/gis/kerawanan.geojson?parent=16.71.01&level=tps")).RootElement.GetProperty("features").EnumerateArray().ToList();
        Assert.NotEmpty(tps);
        Assert.All(tps, f => Assert.Equal(JsonValueKind.Null, f.GetProperty("geometry").ValueKind));
        var tpsCsv = ParseCsv(await anon.GetStringAsync("/api/gis/kerawanan.csv?parent=16.71.01&level=tps"));
        AssertHxl(tpsCsv, tps.Count);
        Assert.All(tpsCsv.Skip(2), r => Assert.StartsWith(r[Col(tpsCsv, "#adm4+code")].Replace(".", ""), r[Col(tpsCsv, "#loc+tps+code")]));

        var bad = await anon.GetAsync("/api/gis/kerawanan.geojson?parent=xx");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType!.MediaType);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Incidents_count_per_region_only_once_confirmed_and_their_points_never_pinpoint_a_reporter(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider, settings: Settings);
        var now = app.Clock.GetUtcNow();
        var expected = new Dictionary<string, int>();
        await using (var db = app.NewDbContext())
        {
            var desas = await db.Tps.Where(t => t.KabKotaCode == "16.71" || t.KabKotaCode == "16.04").GroupBy(t => t.KabKotaCode)
                .Select(g => new { Kab = g.Key, Desa = g.Min(t => t.DesaCode)!, Kec = g.Min(t => t.KecamatanCode)! }).ToListAsync();
            var n = 0;
            foreach (var d in desas)
                foreach (var (status, severity) in new[] { (IncidentStatus.Verified, Severity.High), (IncidentStatus.Closed, Severity.Critical), (IncidentStatus.New, Severity.High), (IncidentStatus.Rejected, Severity.Low) })
                {
                    n++;
                    db.Incidents.Add(new Inc.Incident
                    {
                        Id = Guid.NewGuid(), TrackingCode = $"LP-GIS-{n}", Source = ReportSource.Officer, Category = IncidentCategory.SecurityIncident, Status = status,
                        Severity = severity, Urgency = Urgency.Normal, RegionCode = d.Desa, KabKotaCode = d.Kab, KecamatanCode = d.Kec,
                        Latitude = -2.987654 + n * 0.001, Longitude = 104.756789, OccurredAt = now.AddDays(-1), ReportedAt = now, Title = "Laporan uji GIS",
                        Description = "Rahasia: nama pelapor ada di sini", UpdatedAt = now, Version = 1,
                    });
                    if (status is IncidentStatus.Verified or IncidentStatus.Closed) expected[d.Kab] = expected.GetValueOrDefault(d.Kab) + 1;
                }
            await db.SaveChangesAsync();
        }
        var anon = app.AnonymousClient();
        var features = JsonDocument.Parse(await anon.GetStringAsync("/api/gis/incidents.geojson?parent=16")).RootElement.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(17, features.Count);
        foreach (var f in features)
        {
            var p = f.GetProperty("properties");
            Assert.Equal(expected.GetValueOrDefault(p.GetProperty("kode").GetString()!), p.GetProperty("insiden").GetInt32());
        }
        var palembang = features.Single(f => f.GetProperty("id").GetString() == "16.71").GetProperty("properties");
        Assert.Equal(1, palembang.GetProperty("kritis").GetInt32());
        Assert.Equal(1, palembang.GetProperty("tinggi").GetInt32());

        var csv = ParseCsv(await anon.GetStringAsync("/api/gis/incidents.csv?parent=16"));
        AssertHxl(csv, 17);
        Assert.Equal(expected.Values.Sum(), csv.Skip(2).Sum(r => int.Parse(r[Col(csv, "#event+incidents+num")])));

        var pointsText = await anon.GetStringAsync("/api/gis/incident-points.geojson?region=16");
        Assert.DoesNotContain("Rahasia", pointsText);
        var points = JsonDocument.Parse(pointsText).RootElement.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(expected.Values.Sum(), points.Count);
        Assert.All(points, f =>
        {
            var c = f.GetProperty("geometry").GetProperty("coordinates");
            Assert.Equal(Math.Round(c[0].GetDouble(), 2), c[0].GetDouble());
            Assert.Equal(Math.Round(c[1].GetDouble(), 2), c[1].GetDouble());
            AssertInIndonesia(f.GetProperty("geometry"));
        });
        var pointsCsv = ParseCsv(await anon.GetStringAsync("/api/gis/incident-points.csv?region=16"));
        AssertHxl(pointsCsv, points.Count);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Readiness_per_region_needs_sign_in_and_matches_the_readiness_map(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider, settings: Settings);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.AnonymousClient().GetAsync("/api/gis/readiness.geojson?region=16")).StatusCode);
        var desk = await app.ClientForAsync(Role.DeskProvinsi, "16");
        var map = JsonDocument.Parse(await desk.GetStringAsync("/api/readiness/map?region=16.71")).RootElement.GetProperty("items");
        var features = JsonDocument.Parse(await desk.GetStringAsync("/api/gis/readiness.geojson?region=16.71")).RootElement.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(map.EnumerateObject().Count(), features.Count);
        foreach (var f in features)
        {
            var p = f.GetProperty("properties");
            Assert.Equal(map.GetProperty(p.GetProperty("kode").GetString()!).GetProperty("value").GetDouble(), p.GetProperty("skor").GetDouble(), 4);
            Assert.Equal("batas", p.GetProperty("geometri").GetString());
        }
        var csv = ParseCsv(await desk.GetStringAsync("/api/gis/readiness.csv?region=16.71"));
        AssertHxl(csv, features.Count);
        Assert.All(csv.Skip(2), r => Assert.Equal("16.71", r[Col(csv, "#adm2+code")]));
        Assert.Equal(HttpStatusCode.BadRequest, (await desk.GetAsync("/api/gis/readiness.csv?region=16.71&on=kemarin")).StatusCode);
    }
}
