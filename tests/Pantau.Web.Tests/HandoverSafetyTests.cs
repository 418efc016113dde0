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
/// Issue 24.7, the berita acara serah terima: a PPK or PPS cannot hand over stock it never received, a double submit or a resend records
/// one berita acara, and a wrong record can be voided with a reason (it stays in the history and no longer counts).
/// </summary>
public partial class HandoverSafetyTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;

    private static DateTimeOffset Wib(int month, int day, int hour = 9) => new DateTimeOffset(2024, month, day, hour, 0, 0, TimeSpan.FromHours(7)).ToUniversalTime();

    private sealed record Place(string Kab, string Kec, string Desa, string Gub);

    private static async Task<Place> PlaceAsync(PantauApp app)
    {
        await using var db = app.NewDbContext();
        var desa = await db.Tps.Where(t => t.KabKotaCode == "16.71").Select(t => t.DesaCode).OrderBy(k => k).FirstAsync();
        var gub = await db.Contests.Where(c => c.RegionCode == "16").Select(c => c.Code).FirstAsync();
        return new Place("16.71", desa[..8], desa, "surat-suara:" + gub);
    }

    private static object Body(string from, string to, string item, long sent, long received, string at = "2024-11-21T08:00:00+07:00") => new
    {
        from, to, handedOverAt = at, handedOverBy = "Pengirim (Andi)", receivedBy = "Penerima (Budi)",
        lines = new[] { new { item, sent, received, damaged = 0L } },
    };

    private static async Task<JsonElement> Json(HttpResponseMessage r, HttpStatusCode expected)
    {
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == expected, $"expected {expected}, got {(int)r.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    private const string Api = "/api/readiness/logistics/handovers";

    [Theory, MemberData(nameof(Providers))]
    public async Task A_PPK_cannot_hand_over_what_it_never_received(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider, now: Wib(11, 22, 10));
        var p = await PlaceAsync(app);
        var ppk = await app.ClientForAsync(Role.PpkOperator, p.Kec);
        var kpu = await app.ClientForAsync(Role.KpuOperator, p.Kab);

        // Nothing received yet: refused, with the line and what the PPK holds.
        var none = await Json(await ppk.PostAsJsonAsync(Api, Body(p.Kec, p.Desa, p.Gub, 300, 300)), (HttpStatusCode)422);
        Assert.Equal("application/problem+json", (await ppk.PostAsJsonAsync(Api, Body(p.Kec, p.Desa, p.Gub, 300, 300))).Content.Headers.ContentType?.MediaType);
        var message = none.GetProperty("errors").GetProperty("lines[0].sent")[0].GetString()!;
        Assert.Contains($"PPK {p.Kec} hanya memegang 0", message);
        Assert.Contains("tidak bisa menyerahkan 300", message);

        // The warehouse is the chain's source: not checked. It sends 1,000; the PPK receives 990.
        await Json(await kpu.PostAsJsonAsync(Api, Body(p.Kab, p.Kec, p.Gub, 1000, 990, "2024-11-19T10:00:00+07:00")), HttpStatusCode.Created);
        await Json(await ppk.PostAsJsonAsync(Api, Body(p.Kec, p.Desa, p.Gub, 300, 300)), HttpStatusCode.Created);
        // 690 left: 691 is one too many, and an item never received at all is refused too.
        var over = await Json(await ppk.PostAsJsonAsync(Api, Body(p.Kec, p.Desa, p.Gub, 691, 691)), (HttpStatusCode)422);
        Assert.Contains("690", over.GetProperty("errors").GetProperty("lines[0].sent")[0].GetString());
        await Json(await ppk.PostAsJsonAsync(Api, Body(p.Kec, p.Desa, "tinta", 2, 2)), (HttpStatusCode)422);
        await Json(await ppk.PostAsJsonAsync(Api, Body(p.Kec, p.Desa, p.Gub, 690, 690)), HttpStatusCode.Created);
        await Json(await ppk.PostAsJsonAsync(Api, Body(p.Kec, p.Desa, p.Gub, 1, 1)), (HttpStatusCode)422);

        await using var db = app.NewDbContext();
        Assert.Equal(3, await db.LogisticsHandovers.CountAsync()); // the refused ones wrote nothing
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_same_submission_twice_records_one_berita_acara(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider, now: Wib(11, 22, 10));
        var p = await PlaceAsync(app);
        var kpu = await app.ClientForAsync(Role.KpuOperator, p.Kab);
        var key = Guid.NewGuid().ToString("N");
        HttpRequestMessage Post(HttpClient _, string k) => new(HttpMethod.Post, Api)
        { Content = JsonContent.Create(Body(p.Kab, p.Kec, p.Gub, 1000, 1000, "2024-11-19T10:00:00+07:00")), Headers = { { "Idempotency-Key", k } } };

        var first = await Json(await kpu.SendAsync(Post(kpu, key)), HttpStatusCode.Created);
        var again = await Json(await kpu.SendAsync(Post(kpu, key)), HttpStatusCode.OK);
        Assert.Equal(first.GetProperty("id").GetInt64(), again.GetProperty("id").GetInt64());

        // A double tap on a slow network: eight copies at once record one.
        var burstKey = Guid.NewGuid().ToString("N");
        var burst = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => kpu.SendAsync(Post(kpu, burstKey))));
        Assert.All(burst, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, r.StatusCode.ToString()));
        Assert.Single(burst, r => r.StatusCode == HttpStatusCode.Created);
        var ids = await Task.WhenAll(burst.Select(async r => JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64()));
        Assert.Single(ids.Distinct());

        // Another account cannot take over a key; a malformed key is a 400 naming the field.
        var other = await app.ClientForAsync(Role.KpuOperator, p.Kab);
        Assert.Equal(HttpStatusCode.Conflict, (await other.SendAsync(Post(other, key))).StatusCode);
        var bad = await Json(await kpu.SendAsync(Post(kpu, "bad key with spaces")), HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("submissionKey", out _));

        await using var db = app.NewDbContext();
        Assert.Equal(2, await db.LogisticsHandovers.CountAsync());
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("name=\"SubmissionKey\" value=\"([0-9a-f]{32})\"")]
    private static partial Regex SubmissionKey();

    [Fact]
    public async Task The_handover_form_sent_twice_records_once_and_a_wrong_record_is_voided_with_a_reason()
    {
        await using var app = await PantauApp.StartAsync(now: Wib(11, 22, 10));
        var p = await PlaceAsync(app);
        var (user, password) = await app.CreateUserAsync(Role.KpuOperator, p.Kab);
        var kpu = await app.CookieClientAsync(user.UserName!, password);
        var page = $"/kesiapan/logistik/{p.Kab}";
        var html = await kpu.GetStringAsync(page);
        var key = SubmissionKey().Match(html).Groups[1].Value;
        Assert.NotEmpty(key);
        Dictionary<string, string> Form() => new()
        {
            ["__RequestVerificationToken"] = Token().Match(html).Groups[1].Value, ["SubmissionKey"] = key, ["From"] = p.Kab, ["To"] = p.Kec,
            ["At"] = "2024-11-19T10:00", ["HandedOverBy"] = "Gudang KPU (Andi)", ["ReceivedBy"] = "Ketua PPK (Budi)",
            ["Lines[0].Item"] = p.Gub, ["Lines[0].Sent"] = "1000", ["Lines[0].Received"] = "1000", ["Lines[0].Damaged"] = "0",
        };
        var first = await kpu.PostAsync(page, new FormUrlEncodedContent(Form()));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var saved = await first.Content.ReadAsStringAsync();
        Assert.Contains("Berita acara tersimpan.", saved);
        Assert.NotEqual(key, SubmissionKey().Match(saved).Groups[1].Value); // the next form is a new submission
        var second = await (await kpu.PostAsync(page, new FormUrlEncodedContent(Form()))).Content.ReadAsStringAsync();
        Assert.Contains("sudah tersimpan sebelumnya dan tidak dicatat dua kali", second);
        await using (var db = app.NewDbContext()) Assert.Equal(1, await db.LogisticsHandovers.CountAsync());
        long id;
        await using (var db = app.NewDbContext()) id = await db.LogisticsHandovers.Select(h => h.Id).SingleAsync();
        Assert.Contains($"name=\"VoidId\" value=\"{id}\"", second);

        // Voiding needs a reason; with one, the record stays listed, marked void with the reason, and its shortfall no longer counts.
        var voidForm = new Dictionary<string, string> { ["__RequestVerificationToken"] = Token().Match(second).Groups[1].Value, ["VoidId"] = id.ToString(), ["VoidReason"] = " " };
        var noReason = await kpu.PostAsync(page + "?handler=Void", new FormUrlEncodedContent(voidForm));
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("Alasan pembatalan wajib diisi", await noReason.Content.ReadAsStringAsync());
        voidForm["VoidReason"] = "Salah kecamatan tujuan";
        var voided = await kpu.PostAsync(page + "?handler=Void", new FormUrlEncodedContent(voidForm));
        Assert.Equal(HttpStatusCode.OK, voided.StatusCode);
        var after = await voided.Content.ReadAsStringAsync();
        Assert.Contains($"Berita acara dibatalkan: #{id}", after);
        Assert.Matches($"<tr id=\"ba-{id}\" class=\"void\">", after);
        Assert.Contains("Salah kecamatan tujuan", after);
        Assert.DoesNotContain("handover record", after, StringComparison.OrdinalIgnoreCase); // one language on the page

        var api = await app.ClientForAsync(Role.KpuOperator, p.Kab);
        var list = await Json(await api.GetAsync($"{Api}?region={p.Kab}"), HttpStatusCode.OK);
        var row = Assert.Single(list.EnumerateArray());
        Assert.Equal("Salah kecamatan tujuan", row.GetProperty("voidReason").GetString());
        Assert.Equal(user.UserName, row.GetProperty("voidedBy").GetString());
        // Voiding twice is a conflict; the audit trail has the change.
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsJsonAsync($"{Api}/{id}/void", new { reason = "lagi" })).StatusCode);
        await using (var db = app.NewDbContext())
            Assert.True(await db.AuditEntries.AnyAsync(a => a.EntityType == "LogisticsHandover" && a.EntityKey == id.ToString() && a.After!.Contains("Salah kecamatan tujuan")));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_receipt_already_handed_on_is_voided_only_after_the_onward_record(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider, now: Wib(11, 22, 10));
        var p = await PlaceAsync(app);
        var kpu = await app.ClientForAsync(Role.KpuOperator, p.Kab);
        var ppk = await app.ClientForAsync(Role.PpkOperator, p.Kec);
        var receipt = (await Json(await kpu.PostAsJsonAsync(Api, Body(p.Kab, p.Kec, p.Gub, 1000, 1000, "2024-11-19T10:00:00+07:00")), HttpStatusCode.Created)).GetProperty("id").GetInt64();
        var onward = (await Json(await ppk.PostAsJsonAsync(Api, Body(p.Kec, p.Desa, p.Gub, 400, 400)), HttpStatusCode.Created)).GetProperty("id").GetInt64();

        var blocked = await Json(await kpu.PostAsJsonAsync($"{Api}/{receipt}/void", new { reason = "jumlah salah" }), HttpStatusCode.Conflict);
        Assert.Contains("batalkan dulu berita acara lanjutannya", blocked.GetProperty("detail").GetString());
        // The PPK voids its own onward record first; then the receipt can be voided.
        await Json(await ppk.PostAsJsonAsync($"{Api}/{onward}/void", new { reason = "desa tujuan salah" }), HttpStatusCode.OK);
        await Json(await kpu.PostAsJsonAsync($"{Api}/{receipt}/void", new { reason = "jumlah salah" }), HttpStatusCode.OK);
        // With both void the PPK holds nothing again, and the void records leave no discrepancy behind.
        await Json(await ppk.PostAsJsonAsync(Api, Body(p.Kec, p.Desa, p.Gub, 1, 1)), (HttpStatusCode)422);
        var disc = await Json(await kpu.GetAsync($"/api/readiness/logistics/discrepancies?region={p.Kec}"), HttpStatusCode.OK);
        Assert.DoesNotContain(disc.EnumerateArray(), d => d.GetProperty("kind").GetString() == "ShortOfRequirement" && d.GetProperty("regionCode").GetString() == p.Desa);
        Assert.Contains(disc.EnumerateArray(), d => d.GetProperty("kind").GetString() == "NotAtPpkByTarget" && d.GetProperty("regionCode").GetString() == p.Kec);
    }
}
