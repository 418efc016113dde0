using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Security;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tests;

/// <summary>
/// Every upload path with what people really send: a 4 MB phone JPEG and a PDF of exactly the 10 MB cap (the form reader spools
/// anything above ~64 KB, which is where the disposed-stream bug answered 500), one byte over the cap refused with a 4xx, and the
/// stored bytes equal to what was sent.
/// </summary>
public class RealUploadTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;
    private const int Cap = 10 * 1024 * 1024;

    private static readonly Dictionary<string, string?> Settings = new() { ["Pantau:Coordination:SeedAgencies"] = "true" };

    private static DateTimeOffset Wib(int month, int day, int hour = 9) => new DateTimeOffset(2024, month, day, hour, 0, 0, TimeSpan.FromHours(7)).ToUniversalTime();

    private static MultipartFormDataContent Form(byte[] bytes, string field, string name, Dictionary<string, string>? fields = null, (string, string)[]? more = null)
    {
        var f = new MultipartFormDataContent();
        foreach (var (k, v) in fields ?? []) f.Add(new StringContent(v), k);
        foreach (var (k, v) in more ?? []) f.Add(new StringContent(v), k);
        var c = new ByteArrayContent(bytes);
        c.Headers.ContentType = new(name.EndsWith(".pdf", StringComparison.Ordinal) ? "application/pdf" : "image/jpeg");
        f.Add(c, field, name);
        return f;
    }

    private static async Task<JsonElement> Json(HttpResponseMessage r, HttpStatusCode expected)
    {
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == expected, $"expected {(int)expected}, got {(int)r.StatusCode}: {body[..Math.Min(body.Length, 600)]}");
        return JsonDocument.Parse(body).RootElement;
    }

    private static async Task<string> Sha(PantauApp app, Guid id)
    {
        await using var db = app.NewDbContext();
        return await db.Files.Where(f => f.Id == id).Select(f => f.Sha256).SingleAsync();
    }

    private static string Hash(byte[] b) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(b));

    private static async Task TooLarge(HttpResponseMessage r)
    {
        var status = (int)r.StatusCode;
        Assert.True(status is 400 or 413, $"a file over the cap answers 400/413, got {status}");
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Every_api_upload_takes_a_phone_photo_and_a_ten_megabyte_pdf(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider, now: Wib(11, 21, 10), settings: Settings);
        var jpeg = RealisticFiles.PhoneJpeg(4 * 1024 * 1024, seed: 11);
        var pdf = RealisticFiles.ScannedPdf(Cap, seed: 12);
        var over = RealisticFiles.ScannedPdf(Cap + 1, seed: 13);
        string kab = "16.71", desa, tps, kec;
        await using (var db = app.NewDbContext())
        {
            tps = await db.Tps.Where(t => t.KabKotaCode == kab).OrderBy(t => t.Code).Select(t => t.Code).FirstAsync();
            desa = await db.Tps.Where(t => t.Code == tps).Select(t => t.DesaCode).FirstAsync();
            kec = desa[..8];
        }

        // Readiness task photo (KPPS at their desa).
        var kpps = await app.ClientForAsync(Role.KppsOperator, desa);
        var task = await Json(await kpps.PostAsync($"/api/readiness/tasks/tps-listrik/{tps}/photo", Form(jpeg, "photo", "IMG_20241121_101500.jpg")), HttpStatusCode.OK);
        var taskPhoto = Guid.Parse(task.GetProperty("photoFileId").GetString()!);
        Assert.Equal(Hash(jpeg), await Sha(app, taskPhoto));
        Assert.Equal(jpeg, await (await kpps.GetAsync($"/api/readiness/files/{taskPhoto}")).Content.ReadAsByteArrayAsync());
        await TooLarge(await kpps.PostAsync($"/api/readiness/tasks/tps-listrik/{tps}/photo", Form(RealisticFiles.PhoneJpeg(Cap + 1, seed: 14), "photo", "big.jpg")));

        // Handover photo and handover PDF (KPU kab/kota to PPK).
        var kpu = await app.ClientForAsync(Role.KpuOperator, kab);
        string gub;
        await using (var db = app.NewDbContext()) gub = "surat-suara:" + await db.Contests.Where(c => c.RegionCode == "16").Select(c => c.Code).FirstAsync();
        var handover = await Json(await kpu.PostAsJsonAsync("/api/readiness/logistics/handovers", new
        {
            from = kab, to = kec, handedOverAt = "2024-11-19T10:00:00+07:00", handedOverBy = "Gudang KPU (Andi)", receivedBy = "Ketua PPK (Budi)",
            escortedBy = "Polsek", lines = new[] { new { item = gub, sent = 1000L, received = 1000L, damaged = 0L } },
        }), HttpStatusCode.Created);
        var hid = handover.GetProperty("id").GetInt64();
        var withPhoto = await Json(await kpu.PostAsync($"/api/readiness/logistics/handovers/{hid}/photo", Form(jpeg, "photo", "berita-acara.jpg")), HttpStatusCode.OK);
        Assert.Equal(Hash(jpeg), await Sha(app, Guid.Parse(withPhoto.GetProperty("photoFileId").GetString()!)));
        var withPdf = await Json(await kpu.PostAsync($"/api/readiness/logistics/handovers/{hid}/photo", Form(pdf, "photo", "berita-acara.pdf")), HttpStatusCode.OK);
        Assert.Equal(Hash(pdf), await Sha(app, Guid.Parse(withPdf.GetProperty("photoFileId").GetString()!)));
        await TooLarge(await kpu.PostAsync($"/api/readiness/logistics/handovers/{hid}/photo", Form(over, "photo", "big.pdf")));

        // C.Hasil photo API.
        var admin = await app.ClientForAsync(Role.Admin, "");
        var photo = await Json(await admin.PostAsync("/api/tally/photos", Form(jpeg, "photo", "c-hasil.jpg")), HttpStatusCode.Created);
        Assert.Equal(Hash(jpeg), photo.GetProperty("sha256").GetString());
        Assert.Equal(jpeg, await (await admin.GetAsync($"/api/tally/photos/{photo.GetProperty("id").GetString()}")).Content.ReadAsByteArrayAsync());
        var scan = await Json(await admin.PostAsync("/api/tally/photos", Form(pdf, "photo", "c-hasil.pdf")), HttpStatusCode.Created);
        Assert.Equal(Hash(pdf), scan.GetProperty("sha256").GetString());
        await TooLarge(await admin.PostAsync("/api/tally/photos", Form(over, "photo", "big.pdf")));

        // Incident evidence.
        var camat = await app.ClientForAsync(Role.Camat, kec);
        var incident = await Json(await camat.PostAsJsonAsync("/api/incidents", new
        {
            category = "SecurityIncident", regionCode = kec, title = "Bentrokan pendukung di pasar",
            description = "Dua kelompok pendukung paslon bentrok di depan pasar kecamatan, dua orang luka.", severity = "High",
            reporterName = "Budi Saksi", reporterContact = "0812-1111-2222",
        }), HttpStatusCode.Created);
        var iid = incident.GetProperty("id").GetString();
        var ev = await Json(await camat.PostAsync($"/api/incidents/{iid}/evidence", Form(jpeg, "file", "bukti.jpg")), HttpStatusCode.Created);
        Assert.Equal(Hash(jpeg), ev.GetProperty("sha256").GetString());
        var evPdf = await Json(await camat.PostAsync($"/api/incidents/{iid}/evidence", Form(pdf, "file", "visum.pdf")), HttpStatusCode.Created);
        Assert.Equal(Hash(pdf), evPdf.GetProperty("sha256").GetString());
        Assert.Equal(pdf, await (await camat.GetAsync(evPdf.GetProperty("url").GetString())).Content.ReadAsByteArrayAsync());
        await TooLarge(await camat.PostAsync($"/api/incidents/{iid}/evidence", Form(over, "file", "big.pdf")));

        // Agreement PDF.
        var desk = await app.ClientForAsync(Role.DeskProvinsi, "16");
        var agencies = await Json(await desk.GetAsync("/api/coordination/agencies?region=16"), HttpStatusCode.OK);
        var ids = agencies.EnumerateArray().Where(a => a.GetProperty("code").GetString() is "16:POLDA" or "16:KPU").Select(a => a.GetProperty("id").GetInt32()).ToArray();
        var agreement = await Json(await desk.PostAsJsonAsync("/api/coordination/agreements", new
        {
            title = "Kesepakatan bersama netralitas dan keamanan", regionCode = "16", signedAt = app.Clock.GetUtcNow().AddDays(-3),
            scope = "Pengamanan kampanye dan masa tenang", partyAgencyIds = ids,
        }), HttpStatusCode.Created);
        var aid = agreement.GetProperty("id").GetInt32();
        await Json(await desk.PostAsync($"/api/coordination/agreements/{aid}/document", Form(pdf, "file", "kesepakatan ttd.pdf")), HttpStatusCode.OK);
        Assert.Equal(pdf, await (await desk.GetAsync($"/api/coordination/agreements/{aid}/document")).Content.ReadAsByteArrayAsync());
        await TooLarge(await desk.PostAsync($"/api/coordination/agreements/{aid}/document", Form(over, "file", "big.pdf")));
    }

    [Fact]
    public async Task A_body_over_the_multipart_limit_is_a_4xx_not_a_500()
    {
        await using var app = await PantauApp.StartAsync();
        var admin = await app.ClientForAsync(Role.Admin, "");
        var r = await admin.PostAsync("/api/tally/photos", Form(RealisticFiles.PhoneJpeg(13 * 1024 * 1024), "photo", "huge.jpg"));
        Assert.InRange((int)r.StatusCode, 400, 499);
        Assert.Equal(0, await app.NewDbContext().Files.CountAsync());
    }

    private static string Token(string html) => Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;

    [Theory, MemberData(nameof(Providers))]
    public async Task The_upload_forms_take_a_phone_photo_and_a_ten_megabyte_pdf(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider, now: Wib(11, 21, 10), settings: Settings);
        var jpeg = RealisticFiles.PhoneJpeg(3 * 1024 * 1024 + 123_457, seed: 21);
        var pdf = RealisticFiles.ScannedPdf(Cap, seed: 22);
        string tps, desa;
        await using (var db = app.NewDbContext())
        {
            tps = await db.Tps.Where(t => t.KabKotaCode == "16.71").OrderBy(t => t.Code).Select(t => t.Code).FirstAsync();
            desa = await db.Tps.Where(t => t.Code == tps).Select(t => t.DesaCode).FirstAsync();
        }

        // The readiness task page (photo of the genset).
        var (pps, pw) = await app.CreateUserAsync(Role.PpsOperator, desa);
        var web = await app.CookieClientAsync(pps.UserName!, pw);
        var url = $"/kesiapan/tugas/tps-listrik/{tps}";
        var page = await web.GetStringAsync(url);
        var saved = await web.PostAsync(url, Form(jpeg, "Photo", "IMG_4031.jpg", new() { ["Status"] = "Done", ["Note"] = "Genset 5 kVA siap", ["__RequestVerificationToken"] = Token(page) }));
        var html = await saved.Content.ReadAsStringAsync();
        Assert.True(saved.StatusCode == HttpStatusCode.OK, $"{(int)saved.StatusCode}: {html[..Math.Min(html.Length, 400)]}");
        Assert.Contains("Tersimpan.", html);
        await using (var db = app.NewDbContext())
            Assert.True(await db.Files.AnyAsync(f => f.Sha256 == Hash(jpeg) && f.Size == jpeg.Length), "the task photo is stored whole");

        // The public report form with a photo and a PDF.
        var citizen = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        var form = await citizen.GetStringAsync("/lapor");
        var lapor = Form(jpeg, "Files", "bukti.jpg", new()
        {
            ["Category"] = "Intimidation", ["KabKota"] = "16.71", ["Kecamatan"] = desa[..8], ["Title"] = "Ancaman kepada warga",
            ["Description"] = "Orang tak dikenal mengancam warga agar memilih paslon tertentu.", ["ReporterName"] = "Rahmat Warga",
            ["ReporterContact"] = "0812-3456-7890", ["__RequestVerificationToken"] = Token(form),
        });
        var pdfPart = new ByteArrayContent(pdf); pdfPart.Headers.ContentType = new("application/pdf");
        lapor.Add(pdfPart, "Files", "surat-ancaman.pdf");
        var reported = await citizen.PostAsync("/lapor", lapor);
        var reportedHtml = await reported.Content.ReadAsStringAsync();
        Assert.True(reported.StatusCode == HttpStatusCode.OK, $"{(int)reported.StatusCode}: {reportedHtml[..Math.Min(reportedHtml.Length, 400)]}");
        Assert.Contains("id=\"tracking-code\"", reportedHtml);
        await using (var db = app.NewDbContext())
        {
            Assert.True(await db.Files.AnyAsync(f => f.Sha256 == Hash(pdf) && f.Size == Cap), "the 10 MB PDF is stored whole");
            Assert.Equal(2, await db.Files.CountAsync(f => f.Sha256 == Hash(jpeg)));
        }

        // The agreements page with the signed PDF.
        var (deskUser, dpw) = await app.CreateUserAsync(Role.DeskProvinsi, "16");
        var desk = await app.CookieClientAsync(deskUser.UserName!, dpw);
        var agreements = await desk.GetStringAsync("/koordinasi/kesepakatan?region=16");
        var parties = Regex.Matches(agreements, "name=\"parties\" value=\"(\\d+)\"").Select(m => m.Groups[1].Value).Take(2).ToList();
        var created = await desk.PostAsync("/koordinasi/kesepakatan?region=16", Form(pdf, "Document", "kesepakatan.pdf", new()
        {
            ["Title"] = "Kesepakatan pengamanan masa tenang", ["SignedAt"] = "2024-11-18", ["Scope"] = "Patroli bersama", ["Parties"] = parties[0],
            ["Region"] = "16", ["__RequestVerificationToken"] = Token(agreements),
        }, [("Parties", parties[1])]));
        var createdHtml = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Redirect, $"{(int)created.StatusCode}: {string.Join(" | ", Regex.Matches(createdHtml, "field-error\">([^<]+)<").Select(m => m.Groups[1].Value))}");
        await using (var db = app.NewDbContext())
            Assert.Equal(2, await db.Files.CountAsync(f => f.Sha256 == Hash(pdf)));
    }
}
