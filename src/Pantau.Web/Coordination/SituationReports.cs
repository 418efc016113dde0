using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Pantau.Core.Coordination;
using Pantau.Core.Incidents;
using Pantau.Core.Regions;
using Pantau.Data;
using Pantau.Data.Coordination;
using Pantau.Web.Infrastructure;
using Pantau.Web.Regions;

namespace Pantau.Web.Coordination;

/// <summary>Everything a laporan situasi shows, gathered once so the PDF and the workbook agree.</summary>
public sealed record SituationReportData(DashboardDto Dashboard, string ReportDate, IReadOnlyList<ActionDto> Overdue, IReadOnlyList<ActionDto> DueSoon,
    IReadOnlyList<MeetingSummaryDto> RecentMeetings, IReadOnlyList<ReportMap> Maps)
{
    /// <summary>The period of the notable incidents: the 7 days up to the report.</summary>
    public DateTimeOffset PeriodFrom { get; init; }
    public DateTimeOffset PeriodTo { get; init; }

    /// <summary>At most <see cref="SituationReportService.NotableLimit"/> severe incidents of the period (null without the Incidents module).</summary>
    public NotableIncidents? Notable { get; init; }

    /// <summary>Vote-count progress per contest of the election counting in the region.</summary>
    public IReadOnlyList<ContestProgress> Progress { get; init; } = [];

    /// <summary>The first map (the one the workbook embeds as a PNG).</summary>
    public ReportMap? Map => Maps.Count > 0 ? Maps[0] : null;
    public string? MapSvg => Map?.Svg;
}

/// <summary>A choropleth of the child regions: <see cref="Codes"/> are the regions drawn, <see cref="Legend"/> the classes with how many regions each holds.</summary>
public sealed record ReportMap(string Id, string Title, string Caption, string Svg, IReadOnlyList<LegendItem> Legend, IReadOnlyList<string> Codes);
public sealed record LegendItem(string Label, string Color, int Count);

/// <summary>Prints HTML to PDF with Debian's Chromium driven by Playwright (no browser download). Null when Chromium is absent.</summary>
public interface IPdfRenderer
{
    Task<byte[]?> RenderAsync(string html, CancellationToken ct);

    /// <summary>A PNG (device scale 2) of the first element matching <paramref name="selector"/> in <paramref name="html"/>; null when not supported.</summary>
    Task<byte[]?> ScreenshotAsync(string html, string selector, CancellationToken ct) => Task.FromResult<byte[]?>(null);
}

public sealed class ChromiumPdfRenderer(IConfiguration config, ILogger<ChromiumPdfRenderer> log) : IPdfRenderer
{
    public static readonly string[] Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"];
    private static readonly SemaphoreSlim OneAtATime = new(1, 1); // a Chromium per report is heavy on a small server

    public string ExecutablePath => config["Pantau:Chromium"] is { Length: > 0 } p ? p : "/usr/bin/chromium";

    public Task<byte[]?> RenderAsync(string html, CancellationToken ct) => WithPageAsync(html, null, page => page.PdfAsync(new PagePdfOptions
            {
                Format = "A4", PrintBackground = true, DisplayHeaderFooter = true,
                HeaderTemplate = "<span></span>",
                FooterTemplate = "<div style=\"font-size:8px;width:100%;text-align:center;color:#555\">Pantau · <span class=\"pageNumber\"></span>/<span class=\"totalPages\"></span></div>",
                Margin = new Margin { Top = "12mm", Bottom = "14mm", Left = "12mm", Right = "12mm" },
            }), ct);

    public Task<byte[]?> ScreenshotAsync(string html, string selector, CancellationToken ct) =>
        WithPageAsync(html, 2, page => page.Locator(selector).First.ScreenshotAsync(new LocatorScreenshotOptions { Type = ScreenshotType.Png }), ct);

    private async Task<byte[]?> WithPageAsync(string html, float? scale, Func<IPage, Task<byte[]>> work, CancellationToken ct)
    {
        if (!File.Exists(ExecutablePath)) { log.LogWarning("No Chromium at {Path}; PDF and images skipped", ExecutablePath); return null; }
        await OneAtATime.WaitAsync(ct);
        try
        {
            using var pw = await Playwright.CreateAsync();
            await using var browser = await pw.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ExecutablePath, Headless = true, Args = Args });
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { JavaScriptEnabled = false, DeviceScaleFactor = scale });
            // The report is self-contained: nothing may be fetched from anywhere.
            await page.RouteAsync("**/*", r => r.Request.Url.StartsWith("data:", StringComparison.Ordinal) ? r.ContinueAsync() : r.AbortAsync());
            await page.SetContentAsync(html, new PageSetContentOptions { WaitUntil = WaitUntilState.Load });
            return await work(page);
        }
        finally { OneAtATime.Release(); }
    }
}

public sealed class SituationReportService(PantauDbContext db, DashboardService dashboard, CoordinationService coord, GeoStore geo, IFileStore files,
    IPdfRenderer pdf, ILogger<SituationReportService> log)
{
    /// <summary>How many notable incidents the report lists at most.</summary>
    public const int NotableLimit = 10;

    /// <summary>The days before the report whose severe incidents it lists.</summary>
    public const int NotableDays = 7;

    public async Task<SituationReportData?> CollectAsync(string region, CancellationToken ct)
    {
        var d = await dashboard.BuildAsync(region, ct);
        if (d is null) return null;
        var now = coord.Now;
        var overdue = await coord.ListActionsAsync(region, null, true, null, null, null, ct);
        var soon = now.AddDays(3);
        var dueSoon = await coord.Project(coord.ActionsIn(region)
            .Where(a => (a.Status == ActionStatus.Open || a.Status == ActionStatus.InProgress) && a.DueAt >= now && a.DueAt <= soon)
            .OrderBy(a => a.DueAt)).Take(200).ToListAsync(ct);
        var meetings = (await coord.ListMeetingsAsync(region, ct)).Where(m => m.HeldAt >= now.AddDays(-7) && m.HeldAt <= now.AddDays(7)).ToList();
        var date = now.ToOffset(PilkadaSchedule.Wib).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var maps = new List<ReportMap>();
        try { if (geo.Get(d.ChildGeoLevel, region) is { } json) maps = Maps(d, json); }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException) { log.LogWarning(ex, "Map for {Region} skipped", region); }
        var from = now.AddDays(-NotableDays);
        var notable = await dashboard.First<IIncidentFacts, NotableIncidents>((s, c) => s.NotableAsync(region, from, now, NotableLimit, c), ct);
        var progress = await dashboard.First<ITallyFacts, IReadOnlyList<ContestProgress>>((s, c) => s.ProgressAsync(region, d.ElectionCode, c)!, ct) ?? [];
        return new SituationReportData(d, date, overdue, dueSoon, meetings, maps) { PeriodFrom = from, PeriodTo = now, Notable = notable, Progress = progress };
    }

    /// <summary>"kab/kota", "kecamatan" or "desa/kelurahan": the level of the children the maps and per-region figures show.</summary>
    public static string ChildLevelName(DashboardDto d) => d.ChildGeoLevel switch { "kabkota" => "kab/kota", "kecamatan" => "kecamatan", _ => "desa/kelurahan" };

    public const string KerawananHigh = "#c62828", KerawananMedium = "#f9a825", KerawananLow = "#2e7d32";
    public static readonly string[] ProgressColors = ["#d0d5db", "#9ecae1", "#4292c6", "#08519c"];

    /// <summary>Progress class of a child: 0 none in, 1 under half, 2 half or more, 3 all.</summary>
    public static int ProgressClass(long reported, long expected) =>
        reported <= 0 || expected <= 0 ? 0 : reported >= expected ? 3 : reported * 2 >= expected ? 2 : 1;

    /// <summary>
    /// The maps of the child regions, each shaded by figures the report prints: kerawanan band (province and kab/kota desks), vote-count progress of
    /// the dashboard's contest, and follow-up actions. Each legend counts the regions in each class.
    /// </summary>
    public static List<ReportMap> Maps(DashboardDto d, string geoJson)
    {
        var level = ChildLevelName(d);
        var maps = new List<ReportMap>();
        ReportMap Make(string id, string title, string caption, IReadOnlyList<(string Label, string Color)> classes, Func<ChildRow, int?> classOf)
        {
            var fill = new Dictionary<string, string>();
            var counts = new int[classes.Count];
            foreach (var ch in d.Children)
                if (classOf(ch) is { } k) { fill[ch.Code] = classes[k].Color; counts[k]++; }
            var (svg, codes) = Svg.Choropleth(geoJson, fill, title);
            return new ReportMap(id, title, caption, svg, classes.Select((c, i) => new LegendItem(c.Label, c.Color, counts[i])).ToList(), codes);
        }
        if (d.Kerawanan?.Children is { Count: > 0 } kc)
        {
            var byCode = kc.ToDictionary(x => x.Code);
            maps.Add(Make("peta-kerawanan", $"Kerawanan per {level}",
                $"Peta per {level}, {d.RegionName}: kategori skor kerawanan Pantau tingkat {level}" + (d.Kerawanan.ChildBandsId is { } b ? $" ({b})." : "."),
                [("rawan tinggi", KerawananHigh), ("rawan sedang", KerawananMedium), ("rawan rendah", KerawananLow)],
                ch => byCode.TryGetValue(ch.Code, out var k) ? k.Band switch { Core.Incidents.KerawananBand.High => 0, Core.Incidents.KerawananBand.Medium => 1, _ => 2 } : null));
        }
        if (d.Tally is { Children: not null } t)
            maps.Add(Make("peta-suara", $"Progres penghitungan suara per {level}",
                $"Peta per {level}, {d.RegionName}: bagian TPS yang hasilnya sudah masuk, {t.ContestName}.",
                [("belum ada TPS masuk", ProgressColors[0]), ("di bawah 50% TPS", ProgressColors[1]), ("50% TPS atau lebih", ProgressColors[2]), ("semua TPS masuk", ProgressColors[3])],
                ch => ch.TpsExpected is null ? null : ProgressClass(ch.TpsReported ?? 0, ch.TpsExpected.Value)));
        maps.Add(Make("peta-tindak-lanjut", $"Tindak lanjut per {level}",
            $"Peta per {level}, {d.RegionName}: tindak lanjut rakor dan kesepakatan di tiap {level}.",
            [("ada yang terlambat", KerawananHigh), ("ada yang terbuka", KerawananMedium), ("tidak ada yang terbuka", KerawananLow)],
            ch => ch.OverdueActions > 0 ? 0 : ch.OpenActions > 0 ? 1 : 2));
        return maps.Where(m => m.Svg.Length > 0).ToList();
    }

    /// <summary>Sheet and column names of the workbook (the test and the charts read them).</summary>
    public static class Xlsx
    {
        public const string Summary = "Ringkasan", PerRegion = "Per wilayah", Incidents = "Insiden per tingkat", Charts = "Grafik",
            Notable = "Insiden menonjol", ContestProgress = "Progres suara", ProgressPct = "Persen TPS masuk";
        public const string Code = "Kode", Region = "Wilayah", OpenActions = "Tindak lanjut terbuka", Overdue = "Terlambat",
            Readiness = "Kesiapan (%)", LateTasks = "Tugas kesiapan terlambat", OpenIncidents = "Insiden terbuka",
            TpsIn = "TPS masuk", TpsExpected = "TPS seharusnya", Progress = "Progres suara (%)", Severity = "Tingkat";
    }

    /// <summary>
    /// The workbook: data sheets (<c>Ringkasan</c>, <c>Per wilayah</c>, <c>Insiden per tingkat</c>, <c>Terlambat</c>, <c>Jatuh tempo 3 hari</c>,
    /// <c>Rakor</c>) and a <c>Grafik</c> sheet with native Excel bar charts over those ranges (incidents by severity and by region, readiness,
    /// vote-count progress, actions by region) and, when Chromium rendered it, the map as a PNG.
    /// </summary>
    public static byte[] ToXlsx(SituationReportData r, byte[]? mapPng = null)
    {
        var d = r.Dashboard;
        var book = new XlsxBook();
        var summary = new List<object?[]>();
        void Row(string k, object? v) => summary.Add([k, v]);
        Row("Wilayah", $"{d.RegionName} ({d.RegionCode})");
        Row("Tanggal laporan", r.ReportDate);
        if (d.ElectionName is not null) Row("Nama pemilihan", $"{d.ElectionName} ({d.ElectionCode})");
        Row($"Hari menuju pemungutan suara ({d.VotingDayText})", d.DaysToVoting);
        Row("Tindak lanjut terbuka", d.Coordination.OpenActions);
        Row("Tindak lanjut sedang dikerjakan", d.Coordination.InProgressActions);
        Row("Tindak lanjut terlambat", d.Coordination.OverdueActions);
        Row("Tindak lanjut dieskalasi ke Desk", d.Coordination.EscalatedActions);
        Row("Tindak lanjut selesai", d.Coordination.DoneActions);
        Row("Rakor 7 hari terakhir", d.Coordination.MeetingsLast7Days);
        Row("Kesepakatan bersama", d.Coordination.Agreements);
        if (d.Readiness is { } rd) { Row("Skor kesiapan (%)", Math.Round(rd.Score * 100, 1)); Row("Tugas kesiapan terlambat", rd.LateTasks); }
        if (d.Incidents is { } inc) { Row("Insiden terbuka", inc.OpenTotal); foreach (var s in inc.OpenBySeverity) Row($"Insiden terbuka: {s.Label}", s.Count); }
        if (d.Tally is { } t)
        {
            Row("Pemilihan", t.ContestName); Row("TPS masuk", t.TpsReported); Row("TPS seharusnya", t.TpsExpected);
            Row("Anomali hasil aktif", t.Anomalies); Row("TPS perlu diputuskan (konflik/bertanda)", t.NeedsReview);
        }
        if (d.Kerawanan is { } k)
        {
            if (k.Self is { } me)
            {
                Row($"Skor kerawanan {d.RegionName} (Pantau)", me.Score);
                Row($"Kategori skor (tingkat {IkpImport.LevelId(me.Level)})", IkpImport.BandId(me.Band));
                Row("Kategori terbitan Bawaslu", me.BawasluBand is { } bb ? IkpImport.BandId(bb) : "tidak diterbitkan");
                Row("Rincian skor", me.Text(true));
            }
            Row("Wilayah rawan tinggi", k.HighCount); Row("Wilayah rawan sedang", k.MediumCount); Row("Wilayah rawan rendah", k.LowCount);
            if (k.ChildBandsId is not null) Row("Ambang kategori wilayah", k.ChildBandsId);
            Row("Wilayah dengan dasar IKP sintetis (Pantau)", k.SyntheticCount);
        }
        book.AddSheet(Xlsx.Summary, [new("Indikator", 44), new("Nilai", 28)], summary);

        // Per wilayah: one row per child region; the optional blocks appear when their source is present.
        var cols = new List<XlsxBook.Column> { new(Xlsx.Code, 12), new(Xlsx.Region, 28), new(Xlsx.OpenActions, 12), new(Xlsx.Overdue, 11) };
        var hasReady = d.Readiness?.Children is not null;
        var hasInc = d.Incidents?.OpenByChild is not null;
        var hasTally = d.Tally?.Children is not null;
        if (hasReady) { cols.Add(new(Xlsx.Readiness, 12)); cols.Add(new(Xlsx.LateTasks, 12)); }
        if (hasInc) cols.Add(new(Xlsx.OpenIncidents, 12));
        if (hasTally) { cols.Add(new(Xlsx.TpsIn, 11)); cols.Add(new(Xlsx.TpsExpected, 12)); cols.Add(new(Xlsx.Progress, 12)); }
        var perRegion = book.AddSheet(Xlsx.PerRegion, cols, d.Children.Select(c =>
        {
            var row = new List<object?> { c.Code, c.Name, c.OpenActions, c.OverdueActions };
            if (hasReady) { row.Add(c.ReadinessScore is { } sc ? Math.Round(sc * 100, 1) : null); row.Add(c.ReadinessLate); }
            if (hasInc) row.Add(c.OpenIncidents ?? 0);
            if (hasTally) { row.Add(c.TpsReported); row.Add(c.TpsExpected); row.Add(c.TallyProgress is { } p ? Math.Round(p * 100, 2) : null); }
            return row.ToArray();
        }));
        XlsxBook.DataSheet? bySeverity = null;
        if (d.Incidents is { } i2)
            bySeverity = book.AddSheet(Xlsx.Incidents, [new(Xlsx.Severity, 22), new(Xlsx.OpenIncidents, 14)],
                i2.OpenBySeverity.Select(s => new object?[] { s.Label, s.Count }));

        var overdueSheet = Actions(r.Overdue);
        book.AddSheet("Terlambat", overdueSheet.Cols, overdueSheet.Rows);
        var soonSheet = Actions(r.DueSoon);
        book.AddSheet("Jatuh tempo 3 hari", soonSheet.Cols, soonSheet.Rows);
        book.AddSheet("Rakor", [new("No", 6), new("Rakor", 40), new("Wilayah", 12), new("Waktu (WIB)", 17), new("Keputusan", 10), new("Tindak lanjut", 12), new("Masih terbuka", 12)],
            r.RecentMeetings.Count > 0
                ? r.RecentMeetings.Select(m => new object?[] { m.Id, m.Title, m.RegionCode, m.HeldAt.ToOffset(PilkadaSchedule.Wib).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), m.Decisions, m.Actions, m.OpenActions })
                : [["-", "Tidak ada"]]);

        book.AddSheet(Xlsx.Notable, [new("Dilaporkan (WIB)", 17), new("Tingkat", 9), new("Kategori", 22), new("Judul", 44), new("Wilayah", 24), new("Status", 15), new("Kode", 16)],
            r.Notable is { Items.Count: > 0 } ni
                ? ni.Items.Select(i => new object?[] { i.ReportedAt.ToOffset(PilkadaSchedule.Wib).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), i.SeverityId, i.CategoryId, i.Title, i.RegionName, i.StatusId, i.TrackingCode })
                : [["-", r.Notable is null ? "Data insiden belum tersedia" : "Tidak ada insiden tinggi atau kritis"]]);
        book.AddSheet(Xlsx.ContestProgress, [new("Pemilihan", 40), new("Kode", 12), new("Wilayah", 26), new(Xlsx.TpsIn, 11), new(Xlsx.TpsExpected, 12), new(Xlsx.ProgressPct, 12)],
            r.Progress.Count > 0
                ? r.Progress.Select(p => new object?[] { p.ContestName, p.ContestCode, AgencyDirectory.Title(p.RegionName), p.TpsReported, p.TpsExpected, Math.Round(p.Progress * 100, 2) })
                : [["Tidak ada pemilihan di wilayah ini"]]);

        var charts = new List<XlsxBook.BarChart>();
        if (bySeverity is not null)
            charts.Add(new("Insiden terbuka per tingkat keparahan", bySeverity, Xlsx.Severity, [Xlsx.OpenIncidents], Horizontal: false, Colors: ["C62828"]));
        if (d.Children.Count > 0)
        {
            if (hasInc) charts.Add(new($"Insiden terbuka per wilayah — {d.RegionName}", perRegion, Xlsx.Region, [Xlsx.OpenIncidents], Colors: ["C62828"]));
            if (hasReady) charts.Add(new($"Skor kesiapan per wilayah (%) — {d.RegionName}", perRegion, Xlsx.Region, [Xlsx.Readiness], Colors: ["2E7D32"], NumberFormat: "0.0"));
            if (hasTally) charts.Add(new($"Progres penghitungan suara per wilayah (% TPS masuk) — {d.Tally!.ContestName}", perRegion, Xlsx.Region, [Xlsx.Progress], Colors: ["0B5CAD"], NumberFormat: "0.00"));
            charts.Add(new($"Tindak lanjut terbuka dan terlambat per wilayah — {d.RegionName}", perRegion, Xlsx.Region, [Xlsx.OpenActions, Xlsx.Overdue], Colors: ["0B5CAD", "C62828"]));
        }
        var images = mapPng is null ? [] : new List<XlsxBook.Image> { new("Peta", MapCaption(r), mapPng) };
        book.AddChartSheet(Xlsx.Charts, $"Laporan situasi {d.RegionName} — {r.ReportDate}", charts, images);
        return book.ToBytes();
    }

    private static (List<XlsxBook.Column> Cols, List<object?[]> Rows) Actions(IReadOnlyList<ActionDto> list)
    {
        var cols = new List<XlsxBook.Column> { new("No", 6), new("Tindak lanjut", 40), new("Instansi", 28), new("Wilayah", 12), new("Tenggat (WIB)", 17), new("Status", 11), new("Rakor", 30), new("Dieskalasi", 10) };
        if (list.Count == 0) return (cols, [["-", "Tidak ada"]]);
        return (cols, list.Select(a => new object?[]
        {
            a.Id, a.Title, a.OwnerAgencyName, a.RegionCode, a.DueAt.ToOffset(PilkadaSchedule.Wib).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            a.Status.ToString(), a.MeetingTitle ?? (a.AgreementId is { } g ? $"Kesepakatan #{g}" : ""), a.EscalatedAt is null ? "tidak" : "ya",
        }).ToList());
    }

    /// <summary>The first map's caption with its legend in words (under the workbook's PNG).</summary>
    public static string MapCaption(SituationReportData r) => r.Map is not { } m ? "" :
        $"{m.Caption} " + string.Join("; ", m.Legend.Select(l => $"{l.Label}: {Lang.N(l.Count)}")) + ".";

    public async Task<SituationReport?> GenerateAsync(string region, bool scheduled, string by, CancellationToken ct)
    {
        var data = await CollectAsync(region, ct);
        if (data is null) return null;
        var name = $"laporan-situasi-{region.Replace('.', '-')}-{data.ReportDate}";
        string? error = null;
        Guid? pdfId = null;
        byte[]? mapPng = null;
        // The map the PDF prints, as a PNG for the workbook (the same Chromium; absent without it).
        if (data.MapSvg is not null)
            try { mapPng = await pdf.ScreenshotAsync(ReportHtml.MapPage(data), "figure", ct); }
            catch (PlaywrightException ex) { log.LogWarning(ex, "Map image for {Region} failed", region); }
        var xlsx = await files.SaveAsync(new MemoryStream(ToXlsx(data, mapPng)), name + ".xlsx", FileKinds.Document, ct);
        if (!xlsx.Ok) throw new InvalidOperationException(xlsx.Error);
        try
        {
            var bytes = await pdf.RenderAsync(ReportHtml.Render(data), ct);
            if (bytes is null) error = "Chromium tidak tersedia; hanya Excel / Chromium not available; Excel only.";
            else
            {
                var saved = await files.SaveAsync(new MemoryStream(bytes), name + ".pdf", FileKinds.Pdf, ct);
                if (saved.Ok) pdfId = saved.File!.Id; else error = saved.Error;
            }
        }
        catch (PlaywrightException ex) { error = "PDF gagal / PDF failed: " + ex.Message[..Math.Min(ex.Message.Length, 400)]; log.LogError(ex, "PDF for {Region} failed", region); }
        var report = new SituationReport
        {
            RegionCode = region, ReportDate = data.ReportDate, GeneratedAt = coord.Now, Scheduled = scheduled, PdfFileId = pdfId,
            XlsxFileId = xlsx.File!.Id, GeneratedBy = by, Error = error,
        };
        db.SituationReports.Add(report);
        await db.SaveChangesAsync(ct);
        return report;
    }
}

/// <summary>
/// Generates the daily laporan situasi for the configured regions (<c>Pantau:Coordination:ReportRegions</c>, default the imported provinces;
/// none in the <c>Testing</c> environment unless configured) once a day after <c>Pantau:Coordination:ReportHour</c> (default 06:00 WIB).
/// </summary>
public sealed class DailySituationReportJob(TimeProvider time, IConfiguration config, IHostEnvironment env) : IScheduledJob
{
    public string Name => "coordination-daily-sitrep";
    public TimeSpan Interval => TimeSpan.FromMinutes(30);

    public async Task<string> RunAsync(IServiceProvider services, CancellationToken ct)
    {
        var local = time.GetUtcNow().ToOffset(PilkadaSchedule.Wib);
        var hour = config.GetValue("Pantau:Coordination:ReportHour", 6);
        if (local.Hour < hour) return "before report hour";
        var date = local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var regions = (config["Pantau:Coordination:ReportRegions"] ?? (env.IsEnvironment("Testing") ? "" : string.Join(',', Startup.Provinces(config))))
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(RegionCode.IsValid).ToList();
        var made = new List<string>();
        foreach (var region in regions)
        {
            using var scope = services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<PantauDbContext>();
            if (await db.SituationReports.AnyAsync(r => r.RegionCode == region && r.ReportDate == date && r.Scheduled, ct)) continue;
            var svc = scope.ServiceProvider.GetRequiredService<SituationReportService>();
            if (await svc.GenerateAsync(region, true, "jadwal", ct) is not null) made.Add(region);
        }
        return made.Count == 0 ? "nothing to do" : "generated " + string.Join(",", made);
    }
}

/// <summary>
/// The laporan situasi as a self-contained HTML page: tight print CSS for A4 (figures two to a row, each kept whole, no forced page break),
/// inline SVG charts and maps of the child regions with their legends; no script, no external resources.
/// </summary>
public static class ReportHtml
{
    private static string E(string? s) => WebUtility.HtmlEncode(s ?? "");
    private static string N(long v) => Lang.N(v);
    private static string T(DateTimeOffset t) => t.ToOffset(PilkadaSchedule.Wib).ToString("d MMM yyyy HH:mm", Lang.Indonesian) + " WIB";
    private static string Day(DateTimeOffset t) => t.ToOffset(PilkadaSchedule.Wib).ToString("d MMM yyyy", Lang.Indonesian);

    /// <summary>Rows per bar chart: a longer list is drawn as several charts, so no figure is taller than a page.</summary>
    public const int BarsPerChart = 36;

    /// <summary>
    /// Print CSS. Nothing forces a page break; figures, KPI boxes and table rows are kept whole (none is taller than a page), headings stay with
    /// what follows, and figures go two to a row (half an A4 page each), so a page is never left empty.
    /// </summary>
    public const string Css =
        "@page{size:A4}*{box-sizing:border-box}body{font-family:'DejaVu Sans',Arial,sans-serif;font-size:9.5pt;color:#1b1f24;margin:0}" +
        "h1{font-size:15pt;margin:0 0 1.5mm}h2{font-size:11.5pt;margin:4mm 0 2mm;border-bottom:1px solid #999;break-after:avoid}h3{font-size:9.5pt;margin:0 0 1mm;break-after:avoid}" +
        ".meta{color:#555;margin-bottom:2mm}.kpi{display:grid;grid-template-columns:repeat(5,1fr);gap:1.5mm}.kpi div{border:1px solid #bbb;border-radius:1.5mm;padding:1.2mm 2mm;break-inside:avoid}" +
        ".kpi b{display:block;font-size:12.5pt}.kpi span{font-size:7.5pt;color:#444}" +
        "table{border-collapse:collapse;width:100%;font-size:8.5pt}th,td{border:1px solid #bbb;padding:.7mm 1.2mm;text-align:left;vertical-align:top}" +
        "th{background:#eef1f4}thead{display:table-header-group}tr{break-inside:avoid}.num{text-align:right}td.num{white-space:nowrap}td.wrap{white-space:normal}" +
        ".bad{color:#b71c1c;font-weight:bold}.na{color:#666;font-style:italic}.note{color:#444;font-size:8pt;margin:1mm 0}p{margin:1mm 0}" +
        ".grid2{display:grid;grid-template-columns:1fr 1fr;gap:3mm 6mm;align-items:start}" +
        "figure{margin:0;break-inside:avoid}figure>svg{display:block;width:100%;height:auto;max-height:95mm}figcaption{font-size:8pt;color:#333;margin-top:1mm}" +
        ".legend{list-style:none;margin:1mm 0 0;padding:0;font-size:8pt;display:flex;flex-wrap:wrap;gap:.5mm 3mm}.legend svg{display:inline-block;width:3mm;height:3mm;vertical-align:-.4mm;margin-right:1mm}" +
        "section{break-inside:auto}";

    /// <summary>A map with its title, legend (class, colour, number of regions) and caption naming the level.</summary>
    public static string Figure(ReportMap m)
    {
        var sb = new StringBuilder();
        sb.Append("<figure class=\"map\" id=\"").Append(E(m.Id)).Append("\"><h3>").Append(E(m.Title)).Append("</h3>").Append(m.Svg).Append("<ul class=\"legend\">");
        foreach (var l in m.Legend)
            sb.Append("<li><svg viewBox=\"0 0 10 10\" aria-hidden=\"true\"><rect width=\"10\" height=\"10\" fill=\"").Append(l.Color).Append("\" stroke=\"#444\" stroke-width=\"0.8\"/></svg>")
              .Append(E(l.Label)).Append(" (").Append(N(l.Count)).Append(")</li>");
        return sb.Append("</ul><figcaption>").Append(E(m.Caption)).Append("</figcaption></figure>").ToString();
    }

    private static void Chart(StringBuilder sb, string title, IReadOnlyList<(string Label, int Value, string Color)> bars)
    {
        for (var i = 0; i < Math.Max(1, bars.Count); i += BarsPerChart)
        {
            var part = bars.Skip(i).Take(BarsPerChart).ToList();
            var t = i == 0 ? title : title + " (lanjutan)";
            sb.Append("<figure class=\"chart\"><h3>").Append(E(t)).Append("</h3>").Append(Svg.Bars(t, part, drawTitle: false)).Append("</figure>");
        }
    }

    public static string Render(SituationReportData r)
    {
        var d = r.Dashboard;
        var c = d.Coordination;
        var level = SituationReportService.ChildLevelName(d);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"id\"><head><meta charset=\"utf-8\"><title>Laporan Situasi ").Append(E(d.RegionName)).Append("</title><style>").Append(Css).Append("</style></head><body>");
        sb.Append("<h1>Laporan Situasi ").Append(E(d.ElectionName ?? "Pilkada")).Append(" — ").Append(E(d.RegionName)).Append("</h1>");
        sb.Append("<div class=\"meta\">Desk Pilkada · kode wilayah ").Append(E(d.RegionCode)).Append(" · tanggal ").Append(E(r.ReportDate))
          .Append(" · dibuat ").Append(E(T(d.Now))).Append("</div>");
        sb.Append("<section id=\"ringkasan\"><h2>Ringkasan</h2><div class=\"kpi\">");
        void K(string label, string value, bool bad = false) => sb.Append("<div><b").Append(bad ? " class=\"bad\"" : "").Append('>').Append(E(value)).Append("</b><span>").Append(E(label)).Append("</span></div>");
        K(d.DaysToVoting >= 0 ? $"hari menuju pemungutan suara {d.VotingDayText}" : "hari sejak pemungutan suara", N(Math.Abs(d.DaysToVoting)));
        K("tindak lanjut terbuka", N(c.OpenActions + c.InProgressActions));
        K("tindak lanjut terlambat", N(c.OverdueActions), c.OverdueActions > 0);
        K("dieskalasi ke Desk", N(c.EscalatedActions), c.EscalatedActions > 0);
        K("tindak lanjut selesai", N(c.DoneActions));
        K("rakor 7 hari terakhir", N(c.MeetingsLast7Days));
        if (d.Readiness is { } rd) { K("skor kesiapan", Lang.Pct(rd.Score)); K("tugas kesiapan terlambat", N(rd.LateTasks), rd.LateTasks > 0); }
        if (d.Incidents is { } inc) K("insiden terbuka", N(inc.OpenTotal), inc.OpenTotal > 0);
        if (r.Notable is { } nt) K($"insiden tinggi/kritis {SituationReportService.NotableDays} hari", N(nt.Total), nt.Total > 0);
        if (d.Tally is { } t) { K("TPS masuk (hasil)", $"{N(t.TpsReported)} / {N(t.TpsExpected)}"); K("anomali hasil", N(t.Anomalies), t.Anomalies > 0); }
        sb.Append("</div>");
        var missing = new List<string>();
        if (d.Readiness is null) missing.Add("kesiapan");
        if (d.Incidents is null) missing.Add("insiden");
        if (d.Tally is null) missing.Add("rekapitulasi suara");
        if (d.Kerawanan is null) missing.Add("kerawanan");
        if (missing.Count > 0) sb.Append("<p class=\"na\">Data belum tersedia: ").Append(E(string.Join(", ", missing))).Append(".</p>");
        sb.Append("</section>");

        // Notable incidents: what, where, when, how serious; never who reported it.
        sb.Append("<section id=\"insiden-menonjol\"><h2>Insiden menonjol</h2>");
        if (r.Notable is not { } notable) sb.Append("<p class=\"na\">Data insiden belum tersedia.</p>");
        else
        {
            sb.Append("<p class=\"note\">Insiden tingkat tinggi dan kritis yang dilaporkan ").Append(E(Day(r.PeriodFrom))).Append(" – ").Append(E(Day(r.PeriodTo)))
              .Append(" (tidak termasuk yang ditolak atau digabung), paling serius lebih dulu: ")
              .Append(notable.Total > notable.Items.Count ? $"{N(notable.Items.Count)} dari {N(notable.Total)} ditampilkan" : $"{N(notable.Total)} insiden")
              .Append(". Identitas dan kontak pelapor tidak dicantumkan.</p>");
            if (notable.Items.Count == 0) sb.Append("<p>Tidak ada.</p>");
            else
            {
                sb.Append("<table><thead><tr><th>Dilaporkan</th><th>Tingkat</th><th>Kategori</th><th>Insiden</th><th>Wilayah</th><th>Status</th><th>Kode</th></tr></thead><tbody>");
                foreach (var i in notable.Items)
                    sb.Append("<tr data-incident=\"").Append(E(i.TrackingCode)).Append("\"><td>").Append(E(T(i.ReportedAt))).Append("</td><td").Append(i.Severity == "Critical" ? " class=\"bad\"" : "").Append('>')
                      .Append(E(i.SeverityId)).Append("</td><td>").Append(E(i.CategoryId)).Append("</td><td>").Append(E(i.Title)).Append("</td><td>").Append(E(i.RegionName))
                      .Append("</td><td>").Append(E(i.StatusId)).Append("</td><td>").Append(E(i.TrackingCode)).Append("</td></tr>");
                sb.Append("</tbody></table>");
            }
        }
        sb.Append("</section>");

        if (d.Kerawanan is { } kr)
        {
            sb.Append("<section id=\"kerawanan\"><h2>Kerawanan</h2>");
            if (kr.Self is { } me)
                sb.Append("<p>Skor Pantau ").Append(E(d.RegionName)).Append(": <b>").Append(E(Kerawanan.Num(me.Score, true))).Append("</b> (").Append(E(IkpImport.BandId(me.Band)))
                  .Append(", kategori tingkat ").Append(E(IkpImport.LevelId(me.Level))).Append(")").Append(me.IsSynthetic ? " · sintetis" : "")
                  .Append(" · kategori terbitan Bawaslu: ").Append(E(me.BawasluBand is { } bb ? IkpImport.BandId(bb) : "tidak diterbitkan")).Append(".<br>Rincian: ").Append(E(me.Text(true))).Append(".</p>");
            sb.Append("<p>Wilayah rawan tinggi ").Append(N(kr.HighCount)).Append(", sedang ").Append(N(kr.MediumCount)).Append(", rendah ").Append(N(kr.LowCount))
              .Append(kr.ChildBandsId is null ? "" : " — " + E(kr.ChildBandsId)).Append(". ")
              .Append(E($"{N(kr.SyntheticCount)} dari {N(kr.Total)} wilayah memakai dasar IKP sintetis (Pantau), bukan nilai Bawaslu; bobot dimensi adalah pilihan Pantau (Bawaslu tidak menerbitkan bobot)."))
              .Append("</p>");
            if (kr.Children is { Count: > 0 } kc)
                sb.Append("<p id=\"tps-rawan\">TPS rawan (minimal satu variabel kerawanan TPS tercatat): <b>").Append(N(kc.Sum(x => x.TpsRawan))).Append("</b> dari ")
                  .Append(N(kc.Sum(x => x.TpsCount))).Append(" TPS; per ").Append(E(level)).Append(" di tabel angka per wilayah.</p>");
            sb.Append("</section>");
        }

        sb.Append("<section id=\"progres-suara\"><h2>Progres penghitungan suara</h2>");
        if (r.Progress.Count == 0) sb.Append(d.Tally is null ? "<p class=\"na\">Data rekapitulasi suara belum tersedia.</p>" : "<p>Tidak ada pemilihan di wilayah ini.</p>");
        else
        {
            sb.Append("<table><thead><tr><th>Pemilihan</th><th>Wilayah dihitung</th><th class=\"num\">TPS masuk</th><th class=\"num\">TPS seluruhnya</th><th class=\"num\">Persen</th></tr></thead><tbody>");
            foreach (var p in r.Progress)
                sb.Append("<tr data-contest=\"").Append(E(p.ContestCode)).Append("\"><td>").Append(E(p.ContestName)).Append("</td><td>").Append(E(AgencyDirectory.Title(p.RegionName)))
                  .Append("</td><td class=\"num\">").Append(N(p.TpsReported)).Append("</td><td class=\"num\">").Append(N(p.TpsExpected))
                  .Append("</td><td class=\"num\">").Append(E(Lang.Pct(p.TpsExpected > 0 ? (double)p.TpsReported / p.TpsExpected : 0, 2))).Append("</td></tr>");
            sb.Append("</tbody></table><p class=\"note\">TPS masuk = TPS yang C.Hasil-nya sudah dihitung; sumber: rekapitulasi Pantau (/hasil).</p>");
        }
        sb.Append("</section>");

        if (r.Maps.Count > 0)
        {
            sb.Append("<section id=\"peta\"><h2>Peta per ").Append(E(level)).Append("</h2><div class=\"grid2\">");
            foreach (var m in r.Maps) sb.Append(Figure(m));
            sb.Append("</div></section>");
        }
        else sb.Append("<p class=\"na\">Peta tidak tersedia.</p>");

        sb.Append("<section id=\"grafik\"><h2>Grafik</h2><div class=\"grid2\">");
        Chart(sb, "Tindak lanjut per status", [("Terbuka", c.OpenActions, "#0b5cad"), ("Dikerjakan", c.InProgressActions, "#f9a825"), ("Terlambat", c.OverdueActions, "#c62828"), ("Selesai", c.DoneActions, "#2e7d32")]);
        if (d.Incidents is { OpenBySeverity.Count: > 0 } i2)
            Chart(sb, "Insiden terbuka per tingkat", i2.OpenBySeverity.Select(s => (s.Label, s.Count, "#c62828")).ToList());
        if (d.Children.Count > 0)
        {
            Chart(sb, $"Tindak lanjut terlambat per {level}", d.Children.Select(ch => (ch.Name, ch.OverdueActions, "#c62828")).ToList());
            if (d.Readiness?.Children is not null)
                Chart(sb, $"Skor kesiapan per {level} (%)", d.Children.Select(ch => (ch.Name, (int)Math.Round((ch.ReadinessScore ?? 0) * 100), "#2e7d32")).ToList());
            if (d.Incidents?.OpenByChild is not null)
                Chart(sb, $"Insiden terbuka per {level}", d.Children.Select(ch => (ch.Name, ch.OpenIncidents ?? 0, "#c62828")).ToList());
            if (d.Tally?.Children is not null)
                Chart(sb, $"TPS masuk per {level} ({d.Tally.ContestName})", d.Children.Select(ch => (ch.Name, (int)(ch.TpsReported ?? 0), "#0b5cad")).ToList());
        }
        sb.Append("</div></section>");

        if (d.Children.Count > 0)
        {
            var kByCode = d.Kerawanan?.Children?.ToDictionary(x => x.Code);
            var hasReady = d.Readiness?.Children is not null;
            var hasInc = d.Incidents?.OpenByChild is not null;
            var hasTally = d.Tally?.Children is not null;
            sb.Append("<section id=\"per-wilayah\"><h2>Angka per ").Append(E(level)).Append("</h2><table class=\"figures\"><thead><tr><th>Wilayah</th><th class=\"num\">Tindak lanjut terbuka</th><th class=\"num\">Terlambat</th>");
            if (hasReady) sb.Append("<th class=\"num\">Kesiapan</th>");
            if (hasInc) sb.Append("<th class=\"num\">Insiden terbuka</th>");
            if (kByCode is not null) sb.Append("<th class=\"num\">Skor kerawanan</th><th class=\"num\">TPS rawan / TPS</th>");
            if (hasTally) sb.Append("<th class=\"num\">TPS masuk / TPS</th><th class=\"num\">TPS masuk (%)</th>");
            sb.Append("</tr></thead><tbody>");
            foreach (var ch in d.Children)
            {
                sb.Append("<tr data-region=\"").Append(E(ch.Code)).Append("\"><td>").Append(E(ch.Name)).Append("</td><td class=\"num\">").Append(N(ch.OpenActions))
                  .Append("</td><td class=\"num").Append(ch.OverdueActions > 0 ? " bad" : "").Append("\">").Append(N(ch.OverdueActions)).Append("</td>");
                if (hasReady) sb.Append("<td class=\"num\">").Append(ch.ReadinessScore is { } sc ? E(Lang.Pct(sc)) : "–").Append("</td>");
                if (hasInc) sb.Append("<td class=\"num\">").Append(N(ch.OpenIncidents ?? 0)).Append("</td>");
                if (kByCode is not null)
                {
                    if (kByCode.TryGetValue(ch.Code, out var k))
                        sb.Append("<td class=\"num wrap\">").Append(E(Kerawanan.Num(k.Score, true))).Append(" (").Append(E(IkpImport.BandId(k.Band))).Append(k.IsSynthetic ? ", sintetis" : "").Append(")</td><td class=\"num\">")
                          .Append(N(k.TpsRawan)).Append(" / ").Append(N(k.TpsCount)).Append("</td>");
                    else sb.Append("<td class=\"num\">–</td><td class=\"num\">–</td>");
                }
                if (hasTally)
                    sb.Append("<td class=\"num\">").Append(N(ch.TpsReported ?? 0)).Append(" / ").Append(N(ch.TpsExpected ?? 0)).Append("</td><td class=\"num\">")
                      .Append(ch.TpsExpected is > 0 ? E(Lang.Pct((double)(ch.TpsReported ?? 0) / ch.TpsExpected.Value, 2)) : "–").Append("</td>");
                sb.Append("</tr>");
            }
            sb.Append("</tbody></table></section>");
        }

        void Actions(string id, string title, IReadOnlyList<ActionDto> list)
        {
            sb.Append("<section id=\"").Append(id).Append("\"><h2>").Append(E(title)).Append(" (").Append(N(list.Count)).Append(")</h2>");
            if (list.Count == 0) { sb.Append("<p>Tidak ada.</p></section>"); return; }
            sb.Append("<table><thead><tr><th>No</th><th>Tindak lanjut</th><th>Instansi</th><th>Wilayah</th><th>Tenggat</th><th>Status</th><th>Asal</th></tr></thead><tbody>");
            foreach (var a in list)
                sb.Append("<tr><td>").Append(a.Id).Append("</td><td>").Append(E(a.Title)).Append("</td><td>").Append(E(a.OwnerAgencyName)).Append("</td><td>").Append(E(a.RegionCode))
                  .Append("</td><td>").Append(E(T(a.DueAt))).Append("</td><td>").Append(E(StatusLabel(a.Status))).Append(a.EscalatedAt is null ? "" : " · dieskalasi")
                  .Append("</td><td>").Append(E(a.MeetingTitle ?? (a.AgreementId is { } g ? $"Kesepakatan #{g}" : ""))).Append("</td></tr>");
            sb.Append("</tbody></table></section>");
        }
        Actions("terlambat", "Tindak lanjut terlambat", r.Overdue);
        Actions("jatuh-tempo", "Jatuh tempo dalam 3 hari", r.DueSoon);
        sb.Append("<section id=\"rakor\"><h2>Rakor (7 hari terakhir dan mendatang)</h2>");
        if (r.RecentMeetings.Count == 0) sb.Append("<p>Tidak ada.</p>");
        else
        {
            sb.Append("<table><thead><tr><th>Waktu</th><th>Rakor</th><th>Wilayah</th><th class=\"num\">Keputusan</th><th class=\"num\">Tindak lanjut terbuka</th></tr></thead><tbody>");
            foreach (var m in r.RecentMeetings)
                sb.Append("<tr><td>").Append(E(T(m.HeldAt))).Append("</td><td>").Append(E(m.Title)).Append("</td><td>").Append(E(m.RegionCode)).Append("</td><td class=\"num\">")
                  .Append(N(m.Decisions)).Append("</td><td class=\"num\">").Append(N(m.OpenActions)).Append("</td></tr>");
            sb.Append("</tbody></table>");
        }
        sb.Append("</section></body></html>");
        return sb.ToString();
    }

    /// <summary>Just the first map with its legend and caption (for the workbook's PNG).</summary>
    public static string MapPage(SituationReportData r) =>
        "<!DOCTYPE html><html lang=\"id\"><head><meta charset=\"utf-8\"><style>" + Css + "body{background:#fff;font-size:11px}figure{display:inline-block;padding:8px;background:#fff;width:400px}" +
        "</style></head><body>" + (r.Map is { } m ? Figure(m) : "") + "</body></html>";

    public static string StatusLabel(ActionStatus s) => s switch
    {
        ActionStatus.Open => "Terbuka", ActionStatus.InProgress => "Dikerjakan", ActionStatus.Done => "Selesai", _ => "Dibatalkan",
    };
}

/// <summary>Server-side SVG: horizontal bar charts and a choropleth map from GeoJSON (no JavaScript needed to view or print).</summary>
public static class Svg
{
    private static string E(string s) => WebUtility.HtmlEncode(s);
    private static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>A horizontal bar chart sized for half an A4 page (340 units wide, about 1:1 in a column of the report's two-column grid).</summary>
    public static string Bars(string title, IReadOnlyList<(string Label, int Value, string Color)> bars, bool drawTitle = true)
    {
        const int row = 13, labelW = 132, barW = 168, pad = 40;
        var max = Math.Max(1, bars.Count == 0 ? 1 : bars.Max(b => b.Value));
        var top = drawTitle ? 19 : 0;
        var h = top + 3 + bars.Count * row;
        var sb = new StringBuilder();
        sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 ").Append(labelW + barW + pad).Append(' ').Append(h)
          .Append("\" width=\"").Append(labelW + barW + pad).Append("\" height=\"").Append(h).Append("\"><title>").Append(E(title)).Append("</title>")
          .Append(drawTitle ? "<text x=\"0\" y=\"12\" font-size=\"10\" font-weight=\"bold\">" + E(title.Length > 60 ? title[..59] + "…" : title) + "</text>" : "");
        for (var i = 0; i < bars.Count; i++)
        {
            var (label, value, color) = bars[i];
            var y = top + i * row;
            var w = value * (double)barW / max;
            sb.Append("<text x=\"").Append(labelW - 4).Append("\" y=\"").Append(y + 10).Append("\" font-size=\"8.5\" text-anchor=\"end\">").Append(E(label.Length > 26 ? label[..25] + "…" : label)).Append("</text>")
              .Append("<rect x=\"").Append(labelW).Append("\" y=\"").Append(y + 2).Append("\" width=\"").Append(F(Math.Max(w, value > 0 ? 1 : 0))).Append("\" height=\"9\" fill=\"").Append(color).Append("\"/>")
              .Append("<text x=\"").Append(F(labelW + w + 3)).Append("\" y=\"").Append(y + 10).Append("\" font-size=\"8.5\">").Append(Lang.N(value)).Append("</text>");
        }
        return sb.Append("</svg>").ToString();
    }

    public const string NoData = "#b0b7bf";

    /// <summary>
    /// An equirectangular map of the features of <paramref name="geoJson"/>, each filled with its colour in <paramref name="fills"/> (grey when
    /// absent); each path carries <c>data-code</c>. Returns the SVG and the codes drawn.
    /// </summary>
    public static (string Svg, IReadOnlyList<string> Codes) Choropleth(string geoJson, IReadOnlyDictionary<string, string> fills, string title, int width = 360, int height = 300)
    {
        using var doc = JsonDocument.Parse(geoJson);
        var features = doc.RootElement.GetProperty("features").EnumerateArray().ToList();
        var rings = new List<(string Code, string Name, List<List<(double X, double Y)>> Rings)>();
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        foreach (var f in features)
        {
            var props = f.GetProperty("properties");
            var code = props.TryGetProperty("code", out var cp) ? cp.GetString() ?? "" : "";
            var name = props.TryGetProperty("name", out var np) ? np.GetString() ?? code : code;
            var g = f.GetProperty("geometry");
            if (g.ValueKind != JsonValueKind.Object) continue;
            var type = g.GetProperty("type").GetString();
            var polys = type == "Polygon" ? [g.GetProperty("coordinates")] : type == "MultiPolygon" ? g.GetProperty("coordinates").EnumerateArray().ToList() : new List<JsonElement>();
            var list = new List<List<(double, double)>>();
            foreach (var poly in polys)
                foreach (var ring in poly.EnumerateArray())
                {
                    var pts = ring.EnumerateArray().Select(p => (p[0].GetDouble(), p[1].GetDouble())).ToList();
                    foreach (var (x, y) in pts) { minX = Math.Min(minX, x); maxX = Math.Max(maxX, x); minY = Math.Min(minY, y); maxY = Math.Max(maxY, y); }
                    list.Add(pts);
                }
            rings.Add((code, name, list));
        }
        if (rings.Count == 0 || minX > maxX) return ("", []);
        var k = Math.Cos((minY + maxY) / 2 * Math.PI / 180);
        var sx = width / Math.Max(1e-9, (maxX - minX) * k);
        var sy = height / Math.Max(1e-9, maxY - minY);
        var s = Math.Min(sx, sy);
        var w = (maxX - minX) * k * s; var h = (maxY - minY) * s;
        var sb = new StringBuilder();
        sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 ").Append(F(w)).Append(' ').Append(F(h)).Append("\" width=\"").Append(F(w)).Append("\" height=\"").Append(F(h))
          .Append("\"><title>").Append(E(title)).Append("</title>");
        foreach (var (code, name, list) in rings)
        {
            var path = new StringBuilder();
            foreach (var ring in list)
            {
                double lx = double.NaN, ly = double.NaN;
                var first = true;
                foreach (var (x, y) in ring)
                {
                    var px = (x - minX) * k * s; var py = (maxY - y) * s;
                    if (!first && Math.Abs(px - lx) < 0.6 && Math.Abs(py - ly) < 0.6) continue; // drop sub-pixel detail
                    path.Append(first ? 'M' : 'L').Append(F(px)).Append(',').Append(F(py));
                    lx = px; ly = py; first = false;
                }
                path.Append('Z');
            }
            sb.Append("<path data-code=\"").Append(E(code)).Append("\" d=\"").Append(path).Append("\" fill=\"").Append(fills.GetValueOrDefault(code, NoData)).Append("\" stroke=\"#444\" stroke-width=\"0.4\"><title>")
              .Append(E(name)).Append("</title></path>");
        }
        return (sb.Append("</svg>").ToString(), rings.Select(x => x.Code).ToList());
    }
}
