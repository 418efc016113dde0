using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Security;
using Pantau.TestKit;
using Pantau.Web.Coordination;
using Pantau.Web.Infrastructure;
using C = DocumentFormat.OpenXml.Drawing.Charts;

namespace Pantau.Web.Tests.Coordination;

/// <summary>
/// The laporan situasi workbook carries native Excel charts: opened with DocumentFormat.OpenXml, each chart's series reference the data
/// ranges of the sheets, their cached values equal the cells, and both equal the Desk dashboard's numbers for the same moment.
/// </summary>
public class SituationWorkbookTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    internal static async Task SeedAsync(PantauApp app, HttpClient desk)
    {
        foreach (var (template, subject, status) in new[] { ("kk-gudang", "16.71", "Done"), ("kk-gudang", "16.04", "Done"), ("kk-sortir-lipat", "16.10", "Done"), ("kk-jaringan-rekap", "16.71", "Done") })
            Assert.True((await desk.PutAsJsonAsync($"/api/readiness/tasks/{template}/{subject}", new { status })).IsSuccessStatusCode);
        foreach (var (region, severity) in new[] { ("16.71.01", "Critical"), ("16.71.02", "High"), ("16.71", "Medium"), ("16.04.01", "High"), ("16.10", "Low"), ("16.04.06", "High") })
        {
            var r = await desk.PostAsJsonAsync("/api/incidents", new
            {
                category = "SecurityIncident", regionCode = region, severity, title = $"Insiden {severity} {region}",
                description = "Keributan di sekitar TPS yang dicatat petugas untuk laporan situasi.",
            });
            Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        }
        List<(string Code, string Desa)> tps;
        await using (var db = app.NewDbContext())
            tps = (await db.Tps.Where(t => t.DesaCode.StartsWith("16.71.01.")).OrderBy(t => t.Code).Take(3).Select(t => new { t.Code, t.DesaCode }).ToListAsync())
                .Concat(await db.Tps.Where(t => t.DesaCode.StartsWith("16.04.01.")).OrderBy(t => t.Code).Take(2).Select(t => new { t.Code, t.DesaCode }).ToListAsync())
                .Select(t => (t.Code, t.DesaCode)).ToList();
        foreach (var (code, desa) in tps)
        {
            var kpps = await app.ClientForAsync(Role.PpsOperator, desa);
            var res = await kpps.PostAsJsonAsync("/api/tally/sheets", TallySheets.ToJson(TallySheets.Valid("PILGUB-16", code, 120, 80, 40)));
            Assert.True(res.IsSuccessStatusCode, await res.Content.ReadAsStringAsync());
        }
    }

    private static string? Cell(WorkbookPart wb, string sheetName, string reference)
    {
        var sheet = wb.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == sheetName);
        var ws = (WorksheetPart)wb.GetPartById(sheet.Id!);
        var cell = ws.Worksheet.Descendants<Cell>().SingleOrDefault(c => c.CellReference == reference);
        if (cell?.CellValue is null) return null;
        return cell.DataType?.Value == CellValues.SharedString
            ? wb.SharedStringTablePart!.SharedStringTable.Elements<SharedStringItem>().ElementAt(int.Parse(cell.CellValue.Text, Inv)).InnerText
            : cell.CellValue.Text;
    }

    /// <summary>The cell values of a range like <c>'Per wilayah'!$E$2:$E$18</c>.</summary>
    private static List<string?> Range(WorkbookPart wb, string formula)
    {
        var bang = formula.LastIndexOf('!');
        var sheet = formula[..bang].Trim('\'').Replace("''", "'");
        var parts = formula[(bang + 1)..].Replace("$", "").Split(':');
        if (parts.Length == 1) parts = [parts[0], parts[0]];
        var col = new string(parts[0].TakeWhile(char.IsLetter).ToArray());
        Assert.Equal(col, new string(parts[1].TakeWhile(char.IsLetter).ToArray()));
        int from = int.Parse(parts[0][col.Length..], Inv), to = int.Parse(parts[1][col.Length..], Inv);
        return Enumerable.Range(from, to - from + 1).Select(r => Cell(wb, sheet, col + r)).ToList();
    }

    private sealed record Series(string Name, string NameRef, string CategoryRef, List<string> Categories, string ValueRef, List<double?> Values);

    private static List<(string Title, bool Horizontal, List<Series> Series)> Charts(WorkbookPart wb)
    {
        var grafik = wb.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == SituationReportService.Xlsx.Charts);
        var ws = (WorksheetPart)wb.GetPartById(grafik.Id!);
        Assert.NotNull(ws.Worksheet.GetFirstChild<Drawing>());
        var drawing = ws.DrawingsPart!;
        // Charts in the order they are anchored on the sheet.
        var ids = drawing.WorksheetDrawing.Descendants<C.ChartReference>().Select(r => r.Id!.Value!).ToList();
        return ids.Select(id =>
        {
            var space = ((ChartPart)drawing.GetPartById(id)).ChartSpace;
            var title = string.Concat(space.Descendants<C.Title>().First().Descendants<DocumentFormat.OpenXml.Drawing.Text>().Select(t => t.Text));
            var bar = space.Descendants<C.BarChart>().Single();
            var series = bar.Elements<C.BarChartSeries>().Select(s =>
            {
                var name = s.SeriesText!.StringReference!;
                var cat = s.GetFirstChild<C.CategoryAxisData>()!.StringReference!;
                var val = s.GetFirstChild<C.Values>()!.NumberReference!;
                var n = (int)val.NumberingCache!.PointCount!.Val!.Value;
                var points = val.NumberingCache.Elements<C.NumericPoint>().ToDictionary(p => (int)p.Index!.Value, p => (double?)double.Parse(p.NumericValue!.Text, Inv));
                return new Series(name.StringCache!.Elements<C.StringPoint>().Single().NumericValue!.Text, name.Formula!.Text, cat.Formula!.Text,
                    cat.StringCache!.Elements<C.StringPoint>().OrderBy(p => p.Index!.Value).Select(p => p.NumericValue!.Text).ToList(),
                    val.Formula!.Text, Enumerable.Range(0, n).Select(i => points.GetValueOrDefault(i)).ToList());
            }).ToList();
            return (title, bar.BarDirection!.Val!.Value == C.BarDirectionValues.Bar, series);
        }).ToList();
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_workbook_has_native_charts_over_its_data_equal_to_the_dashboard(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider, settings: new Dictionary<string, string?>
        {
            ["Pantau:Coordination:SeedAgencies"] = "true", ["Pantau:RunJobs"] = "false", ["Pantau:Chromium"] = "/nonexistent/chromium",
        });
        var desk = await app.ClientForAsync(Role.DeskProvinsi, "16");
        await SeedAsync(app, desk);
        var kpu = (await desk.GetFromJsonAsync<List<AgencyDto>>("/api/coordination/agencies?region=16.04", CoordinationTests.J))!.Single(a => a.Code == "16.04:KPU").Id;
        var now = app.Clock.GetUtcNow();
        Assert.Equal(HttpStatusCode.Created, (await desk.PostAsJsonAsync("/api/coordination/meetings", new
        {
            title = "Rakor logistik Lahat", regionCode = "16.04", heldAt = now.AddHours(-3),
            decisions = new[] { new { text = "Distribusi", actions = new object[] { new { title = "Distribusi ke PPK", ownerAgencyId = kpu, dueAt = now.AddHours(-1) }, new { title = "Cek gudang", ownerAgencyId = kpu, dueAt = now.AddDays(2) } } } },
        }, CoordinationTests.J)).StatusCode);

        var d = (await desk.GetFromJsonAsync<DashboardDto>("/api/coordination/dashboard?region=16", CoordinationTests.J))!;
        var created = await desk.PostAsync("/api/coordination/reports?region=16", null);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var report = JsonSerializer.Deserialize<ReportDto>(await created.Content.ReadAsStringAsync(), CoordinationTests.J)!;
        var bytes = await desk.GetByteArrayAsync(report.XlsxHref);

        using var doc = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var wb = doc.WorkbookPart!;
        // Schema-valid (what Excel checks before it opens a file).
        var invalid = new DocumentFormat.OpenXml.Validation.OpenXmlValidator().Validate(doc).Select(e => $"{e.Part?.Uri} {e.Path?.XPath}: {e.Description}").ToList();
        Assert.True(invalid.Count == 0, string.Join("\n", invalid));
        Assert.Equal(["Ringkasan", "Per wilayah", "Insiden per tingkat", "Terlambat", "Jatuh tempo 3 hari", "Rakor", "Insiden menonjol", "Progres suara", "Grafik"],
            wb.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value!));
        var charts = Charts(wb);
        Assert.Equal(5, charts.Count);
        var n = d.Children.Count;
        Assert.Equal(17, n);

        // Every series: its ranges hold exactly the cached categories and values (the chart draws the sheet's data).
        foreach (var (_, _, series) in charts)
            foreach (var s in series)
            {
                Assert.Equal(s.Categories, Range(wb, s.CategoryRef).Select(v => v ?? "").ToList());
                Assert.Equal(s.Values, Range(wb, s.ValueRef).Select(v => v is null ? (double?)null : double.Parse(v, Inv)).ToList());
                Assert.Equal(s.Name, Assert.Single(Range(wb, s.NameRef)));
            }

        // 1. Incidents by severity = the dashboard's open incidents per severity.
        var (t1, h1, s1) = charts[0];
        Assert.Equal("Insiden terbuka per tingkat keparahan", t1);
        Assert.False(h1);
        var sev = Assert.Single(s1);
        Assert.Equal("'Insiden per tingkat'!$A$2:$A$5", sev.CategoryRef);
        Assert.Equal("'Insiden per tingkat'!$B$2:$B$5", sev.ValueRef);
        Assert.Equal(d.Incidents!.OpenBySeverity.Select(x => x.Label), sev.Categories);
        Assert.Equal(d.Incidents.OpenBySeverity.Select(x => (double?)x.Count), sev.Values);
        Assert.Equal([1d, 3d, 1d, 1d], sev.Values.Select(v => v!.Value)); // critical, high, medium, low

        // 2. Open incidents per kab/kota.
        var (t2, h2, s2) = charts[1];
        Assert.StartsWith("Insiden terbuka per wilayah", t2);
        Assert.True(h2);
        var inc = Assert.Single(s2);
        Assert.Equal($"'Per wilayah'!$B$2:$B${n + 1}", inc.CategoryRef);
        Assert.Equal($"'Per wilayah'!$G$2:$G${n + 1}", inc.ValueRef);
        Assert.Equal(d.Children.Select(c => c.Name), inc.Categories);
        Assert.Equal(d.Children.Select(c => (double?)(c.OpenIncidents ?? 0)), inc.Values);
        Assert.Equal(3, inc.Values[d.Children.ToList().FindIndex(c => c.Code == "16.71")]); // 16.71.01, 16.71.02 and the one filed at 16.71 itself

        // 3. Readiness per kab/kota (%).
        var (t3, _, s3) = charts[2];
        Assert.StartsWith("Skor kesiapan per wilayah (%)", t3);
        var ready = Assert.Single(s3);
        Assert.Equal($"'Per wilayah'!$E$2:$E${n + 1}", ready.ValueRef);
        Assert.Equal(d.Children.Select(c => (double?)Math.Round(c.ReadinessScore!.Value * 100, 1)), ready.Values);

        // 4. Vote-count progress per kab/kota (% of TPS in).
        var (t4, _, s4) = charts[3];
        Assert.StartsWith("Progres penghitungan suara per wilayah", t4);
        var progress = Assert.Single(s4);
        Assert.Equal($"'Per wilayah'!$J$2:$J${n + 1}", progress.ValueRef);
        Assert.Equal(d.Children.Select(c => (double?)Math.Round(c.TallyProgress!.Value * 100, 2)), progress.Values);
        Assert.True(progress.Values.Count(v => v > 0) == 2, "TPS came in at two kab/kota");
        Assert.Equal(d.Children.Select(c => c.TpsReported!.Value.ToString(Inv)), Range(wb, $"'Per wilayah'!$H$2:$H${n + 1}"));

        // 5. Actions: two series, open and overdue.
        var (t5, _, s5) = charts[4];
        Assert.StartsWith("Tindak lanjut terbuka dan terlambat per wilayah", t5);
        Assert.Equal(["Tindak lanjut terbuka", "Terlambat"], s5.Select(s => s.Name));
        Assert.Equal(["'Per wilayah'!$C$1", "'Per wilayah'!$D$1"], s5.Select(s => s.NameRef));
        Assert.Equal(d.Children.Select(c => (double?)c.OpenActions), s5[0].Values);
        Assert.Equal(d.Children.Select(c => (double?)c.OverdueActions), s5[1].Values);
        Assert.Equal(1, s5[1].Values[d.Children.ToList().FindIndex(c => c.Code == "16.04")]);

        // No Chromium here: no map image, and the report says why.
        Assert.Empty(doc.WorkbookPart!.WorksheetParts.SelectMany(w => w.DrawingsPart?.ImageParts ?? []));
        Assert.Contains("Chromium", report.Error);
    }
}
