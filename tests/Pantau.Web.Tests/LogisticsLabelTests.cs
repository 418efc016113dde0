using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Readiness;
using Pantau.Core.Security;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tests;

/// <summary>QR-labelled logistics (issue 26.4): shipments of labelled boxes, their label sheet, and handovers by scanning the labels.</summary>
public class LogisticsLabelTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;

    private static DateTimeOffset Wib(int month, int day, int hour = 9) => new DateTimeOffset(2024, month, day, hour, 0, 0, TimeSpan.FromHours(7)).ToUniversalTime();

    private static async Task<JsonElement> Json(HttpResponseMessage r, HttpStatusCode expected)
    {
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == expected, $"expected {expected}, got {(int)r.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    private static object Handover(string shipment, IEnumerable<string> labels, object[]? lines = null) => new
    {
        shipment, labels, handedOverAt = "2024-11-19T10:00:00+07:00", handedOverBy = "Gudang KPU (Andi)", receivedBy = "Ketua PPK (Budi)",
        lines = lines ?? [],
    };

    [Theory, MemberData(nameof(Providers))]
    public async Task A_kecamatan_receives_its_boxes_by_scanning_their_labels_and_each_wrong_label_is_refused(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider, now: Wib(11, 19, 12));
        string kec, otherKec, desa;
        List<(string Code, int Dpt, string Desa)> tps;
        string[] contests;
        await using (var db = app.NewDbContext())
        {
            kec = await db.Tps.Where(t => t.KabKotaCode == "16.71").OrderBy(t => t.KecamatanCode).Select(t => t.KecamatanCode).FirstAsync();
            otherKec = await db.Tps.Where(t => t.KabKotaCode == "16.71" && t.KecamatanCode != kec).OrderBy(t => t.KecamatanCode).Select(t => t.KecamatanCode).FirstAsync();
            tps = (await db.Tps.Where(t => t.KecamatanCode == kec).OrderBy(t => t.Code).Select(t => new { t.Code, t.Dpt, t.DesaCode }).ToListAsync())
                .Select(t => (t.Code, t.Dpt, t.DesaCode)).ToList();
            desa = tps[0].Desa;
            contests = await db.Contests.Where(c => c.RegionCode == "16" || c.RegionCode == "16.71").OrderBy(c => c.Code).Select(c => c.Code).ToArrayAsync();
        }
        var kpu = await app.ClientForAsync(Role.KpuOperator, "16.71");

        // The warehouse ships to the PPK: every TPS of the kecamatan gets one box per contest and one packet of shared supplies.
        var ship = await Json(await kpu.PostAsJsonAsync("/api/readiness/logistics/shipments", new { from = "16.71", to = kec }), HttpStatusCode.Created);
        var shipCode = ship.GetProperty("code").GetString()!;
        var packages = ship.GetProperty("packages").EnumerateArray().ToList();
        Assert.Equal(tps.Count * (contests.Length + 1), packages.Count);
        Assert.Contains(packages, p => p.GetProperty("code").GetString() == $"{tps[0].Code}-{contests[0]}");
        // What the boxes hold is what the TPS need, item for item (LogisticsRules), so the berita acara's "sent" is the requirement.
        var required = await Json(await kpu.GetAsync($"/api/readiness/logistics/requirements?region={kec}"), HttpStatusCode.OK);
        var packed = new Dictionary<string, long>();
        foreach (var p in packages) foreach (var c in p.GetProperty("contents").EnumerateObject()) packed[c.Name] = packed.GetValueOrDefault(c.Name) + c.Value.GetInt64();
        foreach (var item in required.GetProperty("total").EnumerateObject()) Assert.Equal(item.Value.GetInt64(), packed[item.Name]);
        // A second shipment to the same PPK finds nothing left to label.
        Assert.Equal(HttpStatusCode.Conflict, (await kpu.PostAsJsonAsync("/api/readiness/logistics/shipments", new { from = "16.71", to = kec })).StatusCode);
        // Another kecamatan's shipment, for the wrong-shipment case.
        var other = await Json(await kpu.PostAsJsonAsync("/api/readiness/logistics/shipments", new { from = "16.71", to = otherKec }), HttpStatusCode.Created);
        var otherLabel = other.GetProperty("packages")[0].GetProperty("code").GetString()!;

        // The label sheet is a PDF printed by Chromium with the shipment's label and one per package.
        var pdf = await kpu.GetAsync($"/api/readiness/logistics/shipments/{shipCode}/labels.pdf");
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        var bytes = await pdf.Content.ReadAsByteArrayAsync();
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
        var text = PdfText(bytes);
        Assert.Contains(shipCode, text);
        Assert.Contains($"{tps[^1].Code}-{LogisticsLabels.SharedSuffix}", text.Replace("\n", ""));

        // Scanning one by one: the phone hears at once what each label is.
        var scan = $"/api/readiness/logistics/shipments/{shipCode}/scan";
        var ok = await Json(await kpu.PostAsJsonAsync(scan, new { label = LogisticsLabels.Payload(packages[0].GetProperty("code").GetString()!) }), HttpStatusCode.OK);
        Assert.True(ok.GetProperty("accepted").GetBoolean());
        var wrong = await Json(await kpu.PostAsJsonAsync(scan, new { label = LogisticsLabels.Payload(otherLabel) }), HttpStatusCode.OK);
        Assert.False(wrong.GetProperty("accepted").GetBoolean());
        Assert.Equal("label-not-in-shipment", wrong.GetProperty("refusalCode").GetString());
        var junk = await Json(await kpu.PostAsJsonAsync(scan, new { label = "https://example.org/promo" }), HttpStatusCode.OK);
        Assert.Equal("label-unreadable", junk.GetProperty("refusalCode").GetString());
        var twice = await Json(await kpu.PostAsJsonAsync(scan, new { label = packages[0].GetProperty("code").GetString(), already = new[] { packages[0].GetProperty("code").GetString() } }), HttpStatusCode.OK);
        Assert.Equal("label-duplicate", twice.GetProperty("refusalCode").GetString());

        // The handover refuses a label of another shipment and writes nothing.
        var all = packages.Select(p => LogisticsLabels.Payload(p.GetProperty("code").GetString()!)).ToList();
        var bad = await Json(await kpu.PostAsJsonAsync("/api/readiness/logistics/handovers", Handover(shipCode, all.Append(LogisticsLabels.Payload(otherLabel)))), HttpStatusCode.BadRequest);
        Assert.Contains("labels[", bad.GetProperty("errors").GetRawText());
        Assert.Contains(otherLabel, bad.GetProperty("errors").GetRawText());
        // One box is missing on arrival, one ballot box damaged: the berita acara says so, counted from the scans.
        var missing = packages.Single(p => p.GetProperty("code").GetString() == $"{tps[1].Code}-{contests[0]}");
        var scanned = all.Where(a => !a.EndsWith(missing.GetProperty("code").GetString()!)).ToList();
        var ballot = $"{LogisticsRules.Ballot}:{contests[0]}";
        var ba = await Json(await kpu.PostAsJsonAsync("/api/readiness/logistics/handovers",
            Handover(shipCode, scanned, [new { item = ballot, sent = 0, received = 0, damaged = 7 }])), HttpStatusCode.Created);
        Assert.Equal("16.71", ba.GetProperty("fromCode").GetString());
        Assert.Equal(kec, ba.GetProperty("toCode").GetString());
        var line = ba.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("item").GetString() == ballot);
        var missingBallots = missing.GetProperty("contents").GetProperty(ballot).GetInt64();
        Assert.Equal(packed[ballot], line.GetProperty("sent").GetInt64());
        Assert.Equal(packed[ballot] - missingBallots, line.GetProperty("received").GetInt64());
        Assert.Equal(7, line.GetProperty("damaged").GetInt64());
        Assert.NotEmpty(ba.GetProperty("discrepancies").EnumerateArray());
        // Sent again (a double tap, a second phone): already received.
        Assert.Equal(HttpStatusCode.Conflict, (await kpu.PostAsJsonAsync("/api/readiness/logistics/handovers", Handover(shipCode, scanned))).StatusCode);

        // Next step: the PPK ships to one PPS: only what the PPK received goes in it. The missing box is still on record at the
        // warehouse, in the first shipment: scanned at the PPS, it is refused and the message names where it is.
        var ppk = await app.ClientForAsync(Role.KpuOperator, "16.71");
        var toPps = await Json(await ppk.PostAsJsonAsync("/api/readiness/logistics/shipments", new { from = kec, to = desa }), HttpStatusCode.Created);
        var ppsCodes = toPps.GetProperty("packages").EnumerateArray().Select(p => p.GetProperty("code").GetString()!).ToList();
        Assert.Equal(tps.Count(t => t.Desa == desa) * (contests.Length + 1) - (tps[1].Desa == desa ? 1 : 0), ppsCodes.Count);
        Assert.DoesNotContain(missing.GetProperty("code").GetString(), ppsCodes);
        var step = await Json(await ppk.PostAsJsonAsync($"/api/readiness/logistics/shipments/{toPps.GetProperty("code").GetString()}/scan",
            new { label = missing.GetProperty("code").GetString() }), HttpStatusCode.OK);
        Assert.Equal("label-not-in-shipment", step.GetProperty("refusalCode").GetString());
        Assert.Contains(shipCode, step.GetProperty("messageId").GetString()); // it names the shipment the box is still in

        // Scope: a KPU account of another kab/kota cannot print, scan or create for this one.
        var outsider = await app.ClientForAsync(Role.KpuOperator, "16.01");
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.GetAsync($"/api/readiness/logistics/shipments/{shipCode}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.PostAsJsonAsync("/api/readiness/logistics/shipments", new { from = "16.71", to = otherKec })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.PostAsJsonAsync(scan, new { label = otherLabel })).StatusCode);

        await using (var db = app.NewDbContext())
        {
            var atPpk = await db.LogisticsPackages.CountAsync(p => p.HolderCode == kec);
            Assert.Equal(packages.Count - 1, atPpk); // received: all but the missing box (the PPS shipment has not been received yet)
            Assert.Equal("16.71", (await db.LogisticsPackages.SingleAsync(p => p.Code == missing.GetProperty("code").GetString())).HolderCode);
            Assert.True(await db.AuditEntries.AnyAsync(a => a.EntityType == "LogisticsShipment"));
        }
    }

    private static string PdfText(byte[] pdf)
    {
        var path = Path.GetTempFileName();
        File.WriteAllBytes(path, pdf);
        try
        {
            using var p = Process.Start(new ProcessStartInfo("pdftotext", [path, "-"]) { RedirectStandardOutput = true })!;
            var text = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return text;
        }
        finally { File.Delete(path); }
    }
}
