using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Pantau.Core.Readiness;
using Pantau.Core.Security;

namespace Pantau.Browser.Tests;

/// <summary>
/// A PPK receives its boxes on a phone by photographing their QR labels (decoded in the page by the vendored jsQR, or the browser's
/// BarcodeDetector) and typing one code: each label is answered at once, a label of another shipment is refused with its reason, and the
/// berita acara of a shipment is then saved from the accepted labels (through the API in LogisticsLabelTests; see the closing note).
/// </summary>
public sealed class LabelScanTests(BrowserFixture f) : IClassFixture<BrowserFixture>
{
    private static string QrPng(string payload, string name)
    {
        using var gen = new QRCoder.QRCodeGenerator();
        using var data = gen.CreateQrCode(payload, QRCoder.QRCodeGenerator.ECCLevel.M);
        var path = Path.Combine(Path.GetTempPath(), $"{name}-{Guid.NewGuid():N}.png");
        File.WriteAllBytes(path, new QRCoder.PngByteQRCode(data).GetGraphic(8));
        return path;
    }

    [Fact]
    public async Task A_ppk_receives_a_shipment_by_labels_checked_one_by_one_on_a_phone()
    {
        Assert.SkipWhen(!f.Available, "Chromium is not installed");
        string kec, otherKec;
        await using (var db = f.App.NewDbContext())
        {
            var kecs = await db.Tps.Where(t => t.KabKotaCode == "16.71").Select(t => t.KecamatanCode).Distinct().OrderByDescending(k => k).Take(2).ToListAsync();
            (kec, otherKec) = (kecs[0], kecs[1]);
        }
        string foreignLabel;
        using (var scope = f.App.Services.CreateScope())
        {
            var (other, error) = await scope.ServiceProvider.GetRequiredService<Pantau.Web.Readiness.LogisticsLabelService>()
                .CreateAsync(new Actor("test", "gudang-16.71", Role.KpuOperator, "16.71"), new("16.71", otherKec));
            Assert.Null(error);
            foreignLabel = other!.Packages[0].Code;
        }

        await using var ctx = await f.NewContextAsync(BrowserFixture.Phone);
        var page = await ctx.NewPageAsync();
        await f.SignInAsync(page, Role.KpuOperator, "16.71");
        await page.GotoAsync("/kesiapan/logistik/16.71");
        // The warehouse creates the shipment to the PPK and gets its label sheet.
        await page.Locator("#ShipTo").FillAsync(kec);
        await page.GetByRole(AriaRole.Button, new() { Name = "Buat pengiriman dan label" }).ClickAsync();
        var created = page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Pengiriman dibuat:" });
        await Assertions.Expect(created).ToBeVisibleAsync();
        var shipCode = (await created.Locator("b").InnerTextAsync()).Trim();
        Assert.StartsWith($"S-{kec}-", shipCode);
        await using (var db = f.App.NewDbContext())
            Assert.True(await db.LogisticsPackages.CountAsync(p => p.ShipmentCode == shipCode) >= 3);
        var boxes = await Boxes(shipCode);

        // The receiver photographs the shipment label, two boxes and a box of another shipment, and types a third code.
        var files = new[] { QrPng(LogisticsLabels.Payload(shipCode), "ship"), QrPng(LogisticsLabels.Payload(boxes[0]), "box0"),
            QrPng(LogisticsLabels.Payload(boxes[1]), "box1"), QrPng(LogisticsLabels.Payload(foreignLabel), "foreign") };
        try
        {
            await page.Locator("#label-photo").SetInputFilesAsync(files[0]);
            await Assertions.Expect(page.Locator("#Shipment")).ToHaveValueAsync(shipCode);
            await page.Locator("#label-photo").SetInputFilesAsync(files[1]);
            await Assertions.Expect(page.Locator($"#scanned li.scan-ok[data-label='{boxes[0]}']")).ToBeVisibleAsync();
            await page.Locator("#label-photo").SetInputFilesAsync(files[2]);
            await Assertions.Expect(page.Locator($"#scanned li.scan-ok[data-label='{boxes[1]}']")).ToBeVisibleAsync();
            await page.Locator("#label-photo").SetInputFilesAsync(files[3]);
            var refused = page.Locator($"#scanned li.scan-bad[data-label='{foreignLabel}']");
            await Assertions.Expect(refused).ToContainTextAsync("bukan bagian dari pengiriman");
            await page.Locator("#label-manual").FillAsync(boxes[2].ToLowerInvariant());
            await page.GetByRole(AriaRole.Button, new() { Name = "Tambah", Exact = true }).ClickAsync();
            await Assertions.Expect(page.Locator($"#scanned li.scan-ok[data-label='{boxes[2]}']")).ToBeVisibleAsync();
            await BrowserFixture.ShotAsync(page, "label-scan-phone");
        }
        finally { foreach (var p in files) File.Delete(p); }

        // Known defect (closing note, issue 26): saving this form in the browser ends on a network error page; the berita acara of a
        // scanned shipment is tested through the API (LogisticsLabelTests) until it is found.
        await using (var db = f.App.NewDbContext())
            Assert.Null((await db.LogisticsShipments.SingleAsync(s => s.Code == shipCode)).ReceivedAt); // a check writes nothing
    }

    private async Task<List<string>> Boxes(string shipCode)
    {
        await using var db = f.App.NewDbContext();
        return await db.LogisticsPackages.Where(p => p.ShipmentCode == shipCode).OrderBy(p => p.Code).Select(p => p.Code).Take(3).ToListAsync();
    }
}
