using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Pantau.Core.Security;

namespace Pantau.Browser.Tests;

/// <summary>
/// Uploads from a phone in real Chromium: a camera-sized JPEG (made by Chromium itself, 4032x3024 with texture that does not
/// compress, 3-6 MB) is made small on the phone before it is sent, a PDF is sent untouched, and both are stored.
/// </summary>
public sealed class UploadTests(BrowserFixture f) : IClassFixture<BrowserFixture>
{
    private void SkipWithoutBrowser() => Assert.SkipWhen(!f.Available, "Chromium is not installed");

    /// <summary>A phone-camera JPEG written by Chromium's own encoder to a temp file; returns its path and size.</summary>
    private static async Task<(string Path, long Size)> CameraJpegAsync(IPage page)
    {
        var base64 = await page.EvaluateAsync<string>(@"() => {
            const w = 4032, h = 3024, c = document.createElement('canvas'); c.width = w; c.height = h;
            const small = document.createElement('canvas'); small.width = w / 2; small.height = h / 2;
            const g = small.getContext('2d'), img = g.createImageData(small.width, small.height);
            let s = 12345; const rnd = () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
            for (let i = 0; i < img.data.length; i += 4) {
              const p = i / 4, x = p % small.width, y = (p / small.width) | 0;
              img.data[i] = 90 + 80 * Math.sin(x / 97) + 60 * rnd(); img.data[i + 1] = 120 + 70 * Math.cos(y / 53) + 60 * rnd();
              img.data[i + 2] = 100 + 40 * Math.sin((x + y) / 71) + 60 * rnd(); img.data[i + 3] = 255;
            }
            g.putImageData(img, 0, 0);
            c.getContext('2d').drawImage(small, 0, 0, w, h);
            return c.toDataURL('image/jpeg', 0.92).split(',')[1];
        }");
        var bytes = Convert.FromBase64String(base64);
        var path = Path.Combine(Path.GetTempPath(), $"IMG_20241127_{Random.Shared.Next(100000, 999999)}.jpg");
        await File.WriteAllBytesAsync(path, bytes);
        return (path, bytes.Length);
    }

    /// <summary>Width and height from a JPEG's start-of-frame marker.</summary>
    private static (int W, int H) JpegSize(byte[] b)
    {
        for (var i = 2; i + 9 < b.Length;)
        {
            if (b[i] != 0xFF) { i++; continue; }
            var m = b[i + 1];
            if (m is >= 0xC0 and <= 0xC3) return ((b[i + 7] << 8) | b[i + 8], (b[i + 5] << 8) | b[i + 6]);
            i += 2 + ((b[i + 2] << 8) | b[i + 3]);
        }
        throw new InvalidDataException("no SOF marker");
    }

    [Fact]
    public async Task A_kpps_task_photo_is_made_small_on_the_phone_and_saved()
    {
        SkipWithoutBrowser();
        string tps, desa;
        await using (var db = f.App.NewDbContext())
        {
            tps = await db.Tps.Where(t => t.KabKotaCode == "16.71").OrderBy(t => t.Code).Select(t => t.Code).FirstAsync();
            desa = await db.Tps.Where(t => t.Code == tps).Select(t => t.DesaCode).FirstAsync();
        }
        await using var ctx = await f.NewContextAsync(BrowserFixture.Phone);
        var page = await ctx.NewPageAsync();
        await f.SignInAsync(page, Role.KppsOperator, desa);
        await page.GotoAsync($"/kesiapan/tugas/tps-listrik/{tps}");
        var (path, size) = await CameraJpegAsync(page);
        try
        {
            Assert.InRange(size, 3L * 1024 * 1024, 7L * 1024 * 1024); // a camera-sized file, not a toy
            await page.Locator("#Status").SelectOptionAsync("Done");
            await page.Locator("#Note").FillAsync("Genset 5 kVA terpasang, BBM cukup 12 jam");
            await page.Locator("#Photo").SetInputFilesAsync(path);
            var note = page.Locator(".upload-note");
            await Assertions.Expect(note).ToContainTextAsync("Foto diperkecil");
            await BrowserFixture.ShotAsync(page, "task-photo-shrunk-phone");
            await page.GetByRole(AriaRole.Button, new() { Name = "Simpan" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Tersimpan." })).ToBeVisibleAsync();
        }
        finally { File.Delete(path); }
        await using var check = f.App.NewDbContext();
        var stored = await check.Files.Where(x => x.FileName.StartsWith("IMG_20241127_")).OrderByDescending(x => x.UploadedAt).FirstAsync();
        Assert.Equal("image/jpeg", stored.ContentType);
        Assert.InRange(stored.Size, 20_000, 700_000); // a few hundred KB instead of megabytes
        var (w, h) = JpegSize(stored.Content);
        Assert.Equal(1600, Math.Max(w, h));
        Assert.Equal(1200, Math.Min(w, h));
    }

    [Fact]
    public async Task A_citizen_report_sends_the_photo_small_and_the_pdf_untouched()
    {
        SkipWithoutBrowser();
        await using var ctx = await f.NewContextAsync(BrowserFixture.Phone);
        var page = await ctx.NewPageAsync();
        await page.GotoAsync("/lapor");
        var (jpg, _) = await CameraJpegAsync(page);
        var pdfBytes = Pantau.TestKit.RealisticFiles.ScannedPdf(9 * 1024 * 1024, seed: 31);
        var pdf = Path.Combine(Path.GetTempPath(), $"surat-ancaman-{Random.Shared.Next(100000, 999999)}.pdf");
        await File.WriteAllBytesAsync(pdf, pdfBytes);
        try
        {
            await page.Locator("#Category").SelectOptionAsync("Intimidation");
            await page.Locator("#KabKota").SelectOptionAsync("16.71");
            await page.Locator("#Title").FillAsync("Ancaman kepada warga di Ilir Barat");
            await page.Locator("#Description").FillAsync("Orang tak dikenal mengancam warga agar memilih paslon tertentu.");
            await page.Locator("#Files").SetInputFilesAsync([jpg, pdf]);
            await Assertions.Expect(page.Locator(".upload-note")).ToContainTextAsync("Foto diperkecil");
            await page.GetByRole(AriaRole.Button, new() { Name = "Kirim laporan" }).ClickAsync();
            Assert.StartsWith("LP-", (await page.Locator("#tracking-code").InnerTextAsync()).Trim());
        }
        finally { File.Delete(jpg); File.Delete(pdf); }
        await using var db = f.App.NewDbContext();
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(pdfBytes));
        Assert.True(await db.Files.AnyAsync(x => x.Sha256 == sha && x.ContentType == "application/pdf"), "the PDF is stored byte for byte");
        var photo = await db.Files.Where(x => x.FileName.StartsWith("IMG_20241127_")).OrderByDescending(x => x.UploadedAt).FirstAsync();
        Assert.InRange(photo.Size, 20_000, 700_000);
    }
}
