using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Security;
using Pantau.TestKit;
using Pantau.Web.Coordination;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tests;

/// <summary>
/// Every list carries the shared region picker (docs/ui.md), and picking a region filters the list to that region's subtree on the server:
/// incidents (all, hoax, ASN neutrality), the hoax desk, kerawanan, rakor, actions (and the agency queue), agreements, the result queue.
/// </summary>
public class RegionPickerListTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;

    private static Task<PantauApp> Start(DatabaseProvider p) => PantauApp.StartAsync(p, settings: new Dictionary<string, string?>
    {
        ["Pantau:Coordination:SeedAgencies"] = "true", ["Pantau:RunJobs"] = "false",
    });

    /// <summary>The picker partial: its container, the named code input and the enhancing script.</summary>
    private static void AssertPicker(string html, string name, string url)
    {
        Assert.True(html.Contains("class=\"region-picker\"", StringComparison.Ordinal), $"{url}: no region picker");
        Assert.True(Regex.IsMatch(html, $"<input id=\"[^\"]+\" name=\"{Regex.Escape(name)}\"[^>]*class=\"rp-code\""), $"{url}: no picker input named {name}");
        Assert.True(html.Contains("/js/region-picker.js", StringComparison.Ordinal), $"{url}: region-picker.js not loaded");
    }

    [Fact]
    public async Task Every_list_page_has_the_region_picker()
    {
        await using var app = await Start(DatabaseProvider.Sqlite);
        var desk = await app.ClientForAsync(Role.DeskProvinsi, "16");
        var admin = await app.ClientForAsync(Role.Admin, "16");
        var pages = new (HttpClient Client, string Url, string Name)[]
        {
            (desk, "/insiden", "region"), (desk, "/insiden?category=AsnNeutrality", "region"), (desk, "/insiden?category=Hoax", "region"),
            (desk, "/insiden/hoaks", "region"), (app.AnonymousClient(), "/hoaks", "region"), (app.AnonymousClient(), "/kerawanan", "parent"),
            (desk, "/kerawanan/penempatan", "region"),
            (desk, "/koordinasi", "region"), (desk, "/koordinasi/rakor", "region"), (desk, "/koordinasi/tindak-lanjut", "region"),
            (desk, "/koordinasi/tindak-lanjut?mine=true", "region"), (desk, "/koordinasi/kesepakatan", "region"), (desk, "/koordinasi/instansi", "region"),
            (desk, "/koordinasi/laporan", "region"),
            (desk, "/anomali", "region"), (desk, "/hasil/antrean", "region"), (app.AnonymousClient(), "/hasil/PILGUB-16/16", "ke"),
            (desk, "/kesiapan", "code"), (desk, "/kesiapan/logistik/16.71", "code"), (app.AnonymousClient(), "/wilayah", "kode"),
            (admin, "/admin/pengguna", "Scope"),
        };
        foreach (var (client, url, name) in pages)
        {
            var res = await client.GetAsync(url);
            Assert.True(res.StatusCode == HttpStatusCode.OK, $"{url}: {(int)res.StatusCode}");
            AssertPicker(await res.Content.ReadAsStringAsync(), name, url);
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Incident_lists_filter_by_the_picked_region_subtree(DatabaseProvider provider)
    {
        await using var app = await Start(provider);
        var desk = await app.ClientForAsync(Role.DeskProvinsi, "16");
        async Task Report(string region, string category, string title, string? asn = null)
        {
            var r = await desk.PostAsJsonAsync("/api/incidents", new
            {
                category, regionCode = region, title, severity = "Medium", asnAgency = asn,
                description = "Laporan uji penyaring wilayah pada daftar insiden Desk Pilkada.",
            });
            Assert.True(r.StatusCode == HttpStatusCode.Created, await r.Content.ReadAsStringAsync());
        }
        await Report("16.71.01", "SecurityIncident", "Keributan Ilir Barat II");
        await Report("16.71.02.1002", "SecurityIncident", "Keributan Seberang Ulu I");
        await Report("16.04.01", "SecurityIncident", "Keributan Tanjungsakti");
        await Report("16.71.03", "AsnNeutrality", "Camat ikut kampanye Seberang Ulu II", "Pemerintah Kota Palembang");
        await Report("16.04.06", "AsnNeutrality", "Kades ikut kampanye Jarai", "Pemerintah Desa Jarai");
        await Report("16.71.01", "Hoax", "Hoaks TPS dipindah Ilir Barat II");
        await Report("16.04.01", "Hoax", "Hoaks surat suara Tanjungsakti");

        var kab = await desk.GetStringAsync("/insiden?region=16.71");
        Assert.Contains("Keributan Ilir Barat II", kab);
        Assert.Contains("Keributan Seberang Ulu I", kab); // a desa under 16.71
        Assert.DoesNotContain("Tanjungsakti", kab);
        Assert.DoesNotContain("Jarai", kab);
        Assert.Contains("value=\"16.71\" class=\"rp-code\"", kab); // the picker shows the current choice

        var kec = await desk.GetStringAsync("/insiden?region=16.71.01");
        Assert.Contains("Keributan Ilir Barat II", kec);
        Assert.DoesNotContain("Seberang Ulu", kec);

        var asn = await desk.GetStringAsync("/insiden?region=16.71&category=AsnNeutrality");
        Assert.Contains("Camat ikut kampanye Seberang Ulu II", asn);
        Assert.DoesNotContain("Kades ikut kampanye Jarai", asn);
        Assert.DoesNotContain("Keributan", asn);
        // The category tabs keep the picked region.
        Assert.Contains("href=\"/insiden?region=16.71&amp;category=Hoax\"", asn);

        var hoax = await desk.GetStringAsync("/insiden?region=16.04&category=Hoax");
        Assert.Contains("Hoaks surat suara Tanjungsakti", hoax);
        Assert.DoesNotContain("Ilir Barat", hoax);

        // The hoax desk: ungrouped hoax reports and claims of the picked subtree (and claims of a wider region that covers it).
        foreach (var (claim, region) in new[] { ("Klaim Palembang: TPS dipindah", "16.71"), ("Klaim Lahat: surat suara tercoblos", "16.04"), ("Klaim Sumsel: pilkada ditunda", "16") })
            Assert.Equal(HttpStatusCode.Created, (await desk.PostAsJsonAsync("/api/incidents/hoax", new { claim, regionCode = region })).StatusCode);
        var desk71 = await desk.GetStringAsync("/insiden/hoaks?region=16.71");
        Assert.Contains("Klaim Palembang", desk71);
        Assert.Contains("Klaim Sumsel", desk71);
        Assert.DoesNotContain("Klaim Lahat", desk71);
        Assert.Contains("Hoaks TPS dipindah Ilir Barat II", desk71);
        Assert.DoesNotContain("Hoaks surat suara Tanjungsakti", desk71);
        Assert.Contains("Klaim Lahat", await desk.GetStringAsync("/insiden/hoaks"));

        // A region outside the user's scope is refused, not silently widened.
        var palembang = await app.ClientForAsync(Role.DeskKabKota, "16.71");
        var outside = await palembang.GetAsync("/insiden?region=16.04");
        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        Assert.DoesNotContain("Tanjungsakti", await outside.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await palembang.GetAsync("/insiden/hoaks?region=16.04")).StatusCode);

        // Kerawanan: the picked region's children only, optionally one band.
        var rows = Regex.Matches(await desk.GetStringAsync("/kerawanan?parent=16.71"), "<tr data-code=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.True(rows.Count > 10);
        Assert.All(rows, c => Assert.StartsWith("16.71.", c));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Coordination_lists_filter_by_the_picked_region_subtree(DatabaseProvider provider)
    {
        await using var app = await Start(provider);
        var desk = await app.ClientForAsync(Role.DeskProvinsi, "16");
        var agencies = (await desk.GetFromJsonAsync<List<AgencyDto>>("/api/coordination/agencies?region=16", Coordination.CoordinationTests.J))!;
        int Id(string code) => agencies.Single(a => a.Code == code).Id;
        var now = app.Clock.GetUtcNow();
        foreach (var (region, title, owner) in new[] { ("16.71", "Rakor Palembang", "16.71:KPU"), ("16.71.01", "Rakor Ilir Barat II", "16.71.01:CAMAT"), ("16.04", "Rakor Lahat", "16.04:KPU") })
        {
            var r = await desk.PostAsJsonAsync("/api/coordination/meetings", new
            {
                title, regionCode = region, heldAt = now.AddHours(-1),
                decisions = new[] { new { text = "Keputusan", actions = new[] { new { title = "Tugas " + title, ownerAgencyId = Id(owner), dueAt = now.AddDays(1) } } } },
            }, Coordination.CoordinationTests.J);
            Assert.True(r.StatusCode == HttpStatusCode.Created, await r.Content.ReadAsStringAsync());
        }
        foreach (var (region, title, parties) in new[] { ("16.71", "Kesepakatan Palembang", new[] { "16.71:KPU", "16.71:POLRES" }), ("16.04", "Kesepakatan Lahat", new[] { "16.04:KPU", "16.04:POLRES" }) })
            Assert.Equal(HttpStatusCode.Created, (await desk.PostAsJsonAsync("/api/coordination/agreements", new
            {
                title, regionCode = region, signedAt = now.AddDays(-2), scope = "Pengamanan", partyAgencyIds = parties.Select(Id).ToArray(),
            }, Coordination.CoordinationTests.J)).StatusCode);

        var meetings = await desk.GetStringAsync("/koordinasi/rakor?region=16.71");
        Assert.Contains("Rakor Palembang", meetings);
        Assert.Contains("Rakor Ilir Barat II", meetings);
        Assert.DoesNotContain("Rakor Lahat", meetings);
        var kec = await desk.GetStringAsync("/koordinasi/rakor?region=16.71.01");
        Assert.Contains("Rakor Ilir Barat II", kec);
        Assert.DoesNotContain("Rakor Palembang<", kec);

        var actions = await desk.GetStringAsync("/koordinasi/tindak-lanjut?region=16.04");
        Assert.Contains("Tugas Rakor Lahat", actions);
        Assert.DoesNotContain("Tugas Rakor Palembang", actions);

        var agreements = await desk.GetStringAsync("/koordinasi/kesepakatan?region=16.04");
        Assert.Contains("Kesepakatan Lahat", agreements);
        Assert.DoesNotContain("Kesepakatan Palembang", agreements);
        Assert.Contains("Kesepakatan Palembang", await desk.GetStringAsync("/koordinasi/kesepakatan?region=16"));

        var directory = await desk.GetStringAsync("/koordinasi/instansi?region=16.04");
        Assert.Contains("16.04:KPU", directory);
        Assert.DoesNotContain("16.71:KPU", directory);

        // The agency queue: all of the agency's actions, or those in the picked subtree.
        var camat = await app.ClientForAsync(Role.Camat, "16.71.01", "camat-ib2");
        await using (var db = app.NewDbContext())
        {
            var u = await db.Users.SingleAsync(x => x.UserName == "camat-ib2");
            u.Agency = "16.71.01:CAMAT";
            await db.SaveChangesAsync();
        }
        Assert.Contains("Tugas Rakor Ilir Barat II", await camat.GetStringAsync("/koordinasi/tindak-lanjut?mine=true"));
        Assert.Contains("Tugas Rakor Ilir Barat II", await camat.GetStringAsync("/koordinasi/tindak-lanjut?mine=true&region=16.71.01"));
        Assert.DoesNotContain("Tugas Rakor Ilir Barat II", await camat.GetStringAsync("/koordinasi/tindak-lanjut?mine=true&region=16.71.02"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_result_queue_filters_by_the_picked_region(DatabaseProvider provider)
    {
        await using var app = await Start(provider);
        List<(string Code, string Desa)> tps;
        await using (var db = app.NewDbContext())
            tps = (await db.Tps.Where(t => t.DesaCode.StartsWith("16.71.01.")).OrderBy(t => t.Code).Take(1).Select(t => new { t.Code, t.DesaCode }).ToListAsync())
                .Concat(await db.Tps.Where(t => t.DesaCode.StartsWith("16.04.01.")).OrderBy(t => t.Code).Take(1).Select(t => new { t.Code, t.DesaCode }).ToListAsync())
                .Select(t => (t.Code, t.DesaCode)).ToList();
        foreach (var (code, desa) in tps)
        {
            var kpps = await app.ClientForAsync(Role.PpsOperator, desa);
            var res = await kpps.PostAsJsonAsync("/api/tally/sheets", TallySheets.ToJson(TallySheets.Valid("PILGUB-16", code, 120, 80, 40) with { SuaraSah = 241 }));
            Assert.True(res.IsSuccessStatusCode, await res.Content.ReadAsStringAsync());
        }
        var desk = await app.ClientForAsync(Role.DeskProvinsi, "16");
        string Items(string html) => string.Join(",", Regex.Matches(html, "<section class=\"queue-item\" data-tps=\"(\\d+)\"").Select(m => m.Groups[1].Value));
        Assert.Equal($"{tps[1].Code},{tps[0].Code}", Items(await desk.GetStringAsync("/hasil/antrean")));
        Assert.Equal(tps[0].Code, Items(await desk.GetStringAsync("/hasil/antrean?region=16.71")));
        Assert.Equal(tps[1].Code, Items(await desk.GetStringAsync("/hasil/antrean?region=16.04.01")));
        Assert.Equal("", Items(await desk.GetStringAsync("/hasil/antrean?region=16.04&contest=PILBUP-16.04")));
        var palembang = await app.ClientForAsync(Role.DeskKabKota, "16.71");
        var outside = await palembang.GetAsync("/hasil/antrean?region=16.04");
        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        Assert.Equal(tps[0].Code, Items(await outside.Content.ReadAsStringAsync())); // falls back to the user's own scope
    }
}
