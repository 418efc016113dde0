using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Security;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tests.Security;

/// <summary>Region scope of private reads and of links between records, beyond what the endpoint matrix probes.</summary>
public class SecurityScopeTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;

    private const string Gub = "PILGUB-16";

    private static async Task<JsonElement> Json(HttpResponseMessage res, HttpStatusCode expected)
    {
        var body = await res.Content.ReadAsStringAsync();
        Assert.True(res.StatusCode == expected, $"{(int)res.StatusCode} {res.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    private static MultipartFormDataContent Jpeg(string field, byte tag) =>
        new() { { new ByteArrayContent([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, tag, tag, tag]), field, "c-hasil.jpg" } };

    [Theory, MemberData(nameof(Providers))]
    public async Task A_CHasil_photo_is_served_only_within_the_scope_of_the_TPS_that_uses_it(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        string tpsA, desaA, desaB, otherKab;
        await using (var db = app.NewDbContext())
        {
            var a = await db.Tps.Where(t => t.KecamatanCode == "16.71.01").OrderBy(t => t.Code).FirstAsync();
            (tpsA, desaA) = (a.Code, a.DesaCode);
            desaB = await db.Tps.Where(t => t.KecamatanCode == "16.71.01" && t.DesaCode != desaA).OrderBy(t => t.Code).Select(t => t.DesaCode).FirstAsync();
            otherKab = "16.02";
        }
        var uploader = await app.ClientForAsync(Role.KppsOperator, desaA);
        var colleague = await app.ClientForAsync(Role.PpsOperator, desaA);
        var neighbour = await app.ClientForAsync(Role.PpsOperator, desaB);
        var bawaslu = await app.ClientForAsync(Role.Bawaslu, "16.71");
        var desk = await app.ClientForAsync(Role.DeskProvinsi, "16");
        var otherDesk = await app.ClientForAsync(Role.DeskKabKota, otherKab);

        var id = (await Json(await uploader.PostAsync("/api/tally/photos", Jpeg("photo", 1)), HttpStatusCode.Created)).GetProperty("id").GetString();
        var url = $"/api/tally/photos/{id}";
        // Not on a sheet yet: only the uploader gets it back; to everyone else it does not exist.
        Assert.Equal(HttpStatusCode.OK, (await uploader.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await colleague.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bawaslu.GetAsync(url)).StatusCode);

        var sheet = TallySheets.ToJson(TallySheets.Valid(Gub, tpsA, 100, 80, 40));
        sheet["photoId"] = id;
        await Json(await uploader.PostAsJsonAsync("/api/tally/sheets", sheet), HttpStatusCode.Created);

        // On a sheet of a TPS in desa A: every scope that covers desa A, and no other.
        foreach (var c in new[] { uploader, colleague, bawaslu, desk })
        {
            var res = await c.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, res.StatusCode);
            Assert.Equal("attachment", res.Content.Headers.ContentDisposition?.DispositionType);
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await neighbour.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await otherDesk.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await colleague.GetAsync($"/api/tally/photos/{Guid.NewGuid()}")).StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Other_features_files_are_not_reachable_through_the_tally_photo_endpoint(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var police = await app.ClientForAsync(Role.Police, "16.02");
        var report = await Json(await police.PostAsJsonAsync("/api/incidents", new
        {
            category = "SecurityIncident", regionCode = "16.02", title = "Bentrokan di pasar", description = "Dua kelompok bentrok di depan pasar kecamatan.",
        }), HttpStatusCode.Created);
        var evidence = await Json(await police.PostAsync($"/api/incidents/{report.GetProperty("id")}/evidence", Jpeg("file", 2)), HttpStatusCode.Created);
        var fileId = evidence.GetProperty("fileId").GetString();

        var operatorElsewhere = await app.ClientForAsync(Role.KpuOperator, "16.71");
        Assert.Equal(HttpStatusCode.NotFound, (await operatorElsewhere.GetAsync($"/api/tally/photos/{fileId}")).StatusCode);
        // The evidence's own endpoint keeps serving it in scope.
        Assert.Equal(HttpStatusCode.OK, (await police.GetAsync(evidence.GetProperty("url").GetString())).StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_report_can_be_grouped_only_under_a_hoax_claim_the_officer_can_see(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var officer = await app.ClientForAsync(Role.DeskKabKota, "16.71");
        var province = await app.ClientForAsync(Role.DeskProvinsi, "16");
        var elsewhere = await app.ClientForAsync(Role.DeskKabKota, "16.02");
        var report = await Json(await officer.PostAsJsonAsync("/api/incidents", new
        {
            category = "Hoax", regionCode = "16.71", title = "Pesan berantai TPS dipindah", description = "Pesan WhatsApp menyebut TPS dipindah ke balai desa.",
        }), HttpStatusCode.Created);
        async Task<string> ClaimBy(HttpClient c, string region) =>
            (await Json(await c.PostAsJsonAsync("/api/incidents/hoax", new { claim = $"TPS di {region} dipindah ke balai desa", regionCode = region }), HttpStatusCode.Created))
            .GetProperty("id").GetString()!;
        var otherKab = await ClaimBy(elsewhere, "16.02");
        var provinceWide = await ClaimBy(province, "16");
        var url = $"/api/incidents/{report.GetProperty("id")}/claim";

        Assert.Equal(HttpStatusCode.Forbidden, (await officer.PostAsJsonAsync(url, new { claimId = otherKab })).StatusCode);
        var detail = await Json(await officer.GetAsync($"/api/incidents/{report.GetProperty("id")}"), HttpStatusCode.OK);
        Assert.DoesNotContain(detail.GetProperty("history").EnumerateArray(), h => h.GetProperty("action").GetString() == "hoax-claim");
        // A province-wide claim covers Palembang, so its reports may be grouped under it.
        var grouped = await Json(await officer.PostAsJsonAsync(url, new { claimId = provinceWide }), HttpStatusCode.OK);
        Assert.Equal(provinceWide, grouped.GetProperty("summary").GetProperty("hoaxClaimId").GetString());
    }
}
