using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Pantau.Core.Readiness;
using Pantau.Core.Security;

namespace Pantau.Browser.Tests;

/// <summary>
/// A PPK receives its boxes on a phone by photographing their QR labels (decoded in the page by the vendored jsQR, or the browser's
/// BarcodeDetector) and typing one code: each label is answered at once, a label of another shipment is refused with its reason, and the
/// berita acara of the shipment is then saved from the accepted labels in the same form.
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

        await using (var db = f.App.NewDbContext())
            Assert.Null((await db.LogisticsShipments.SingleAsync(s => s.Code == shipCode)).ReceivedAt); // a check writes nothing

        // The berita acara is saved from the accepted labels (three boxes of the shipment; the foreign label was never added): sender,
        // receiver and the counts come from the shipment and its labels.
        await page.Locator("#At").FillAsync("2024-11-20T08:30"); // the test clock: 09:00 WIB that day
        await page.Locator("#HandedOverBy").FillAsync("Gudang KPU");
        await page.Locator("#ReceivedBy").FillAsync("Ketua PPK");
        await page.GetByRole(AriaRole.Button, new() { Name = "Simpan berita acara" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Berita acara tersimpan." })).ToBeVisibleAsync();
        await using (var db = f.App.NewDbContext())
        {
            Assert.NotNull((await db.LogisticsShipments.SingleAsync(s => s.Code == shipCode)).ReceivedAt);
            var handover = await db.LogisticsHandovers.Include(h => h.Lines).SingleAsync(h => h.ShipmentCode == shipCode);
            Assert.Equal(kec, handover.ToCode);
            Assert.Equal("Ketua PPK", handover.ReceivedBy);
            Assert.NotEmpty(handover.Lines);
            var received = await db.LogisticsPackages.Where(p => p.ShipmentCode == shipCode && boxes.Contains(p.Code)).Select(p => p.HolderCode).ToListAsync();
            Assert.All(received, h => Assert.Equal(kec, h)); // the three scanned boxes are now held by the PPK
        }
    }

    private async Task<List<string>> Boxes(string shipCode)
    {
        await using var db = f.App.NewDbContext();
        return await db.LogisticsPackages.Where(p => p.ShipmentCode == shipCode).OrderBy(p => p.Code).Select(p => p.Code).Take(3).ToListAsync();
    }
}
