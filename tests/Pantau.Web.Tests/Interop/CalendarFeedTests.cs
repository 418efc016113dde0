using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Interop;
using Pantau.Core.Security;
using Pantau.TestKit;
using Pantau.Web.Admin;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tests.Interop;

/// <summary>iCalendar feeds (issue 26.3): the public tahapan, and a private feed per user by a secret URL that the user can replace or revoke.</summary>
public class CalendarFeedTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;

    private static readonly Dictionary<string, string?> Settings = new() { ["Pantau:Coordination:SeedAgencies"] = "true", ["Pantau:RunJobs"] = "false" };

    private static List<(string Uid, Dictionary<string, string> Props)> Events(string ics)
    {
        var lines = ICalendar.Unfold(ics);
        var events = new List<(string, Dictionary<string, string>)>();
        Dictionary<string, string>? cur = null;
        foreach (var l in lines)
        {
            if (l == "BEGIN:VEVENT") { cur = []; continue; }
            if (l == "END:VEVENT") { events.Add((cur!["UID"], cur)); cur = null; continue; }
            if (cur is null) continue;
            var colon = l.IndexOf(':');
            var name = l[..colon].Split(';')[0];
            cur[name] = l[(colon + 1)..];
        }
        return events;
    }

    private static async Task<int> AgencyId(HttpClient c, string code)
    {
        var list = JsonDocument.Parse(await c.GetStringAsync($"/api/coordination/agencies?region={code.Split(':')[0]}")).RootElement;
        return list.EnumerateArray().Single(a => a.GetProperty("code").GetString() == code).GetProperty("id").GetInt32();
    }

    private static async Task<int> MeetingAsync(HttpClient desk, string title, string region, DateTimeOffset at, int owner, string actionTitle, DateTimeOffset due)
    {
        var r = await desk.PostAsJsonAsync("/api/coordination/meetings", new
        {
            title, regionCode = region, heldAt = at, location = "Kantor, Lantai 2; Ruang A",
            decisions = new[] { new { text = "Keputusan", actions = new[] { new { title = actionTitle, ownerAgencyId = owner, regionCode = region, dueAt = due } } } },
        });
        Assert.True(r.StatusCode == HttpStatusCode.Created, await r.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt32();
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_public_feed_holds_every_tahapan_stage_as_an_all_day_item(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider, settings: Settings);
        var res = await app.AnonymousClient().GetAsync("/api/calendar/tahapan.ics");
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        Assert.Equal("text/calendar", res.Content.Headers.ContentType!.MediaType);
        var events = Events(await res.Content.ReadAsStringAsync());
        await using var db = app.NewDbContext();
        var stages = await db.TahapanStages.ToListAsync();
        Assert.Equal(stages.Count, events.Count);
        foreach (var s in stages)
        {
            var e = events.Single(x => x.Uid == $"tahapan-{s.Code}@pantau").Props;
            Assert.Equal(ICalendar.Escape(s.NameId), e["SUMMARY"]);
            Assert.Equal(s.Start.ToString("yyyyMMdd"), e["DTSTART"]);
            Assert.Equal(s.End.AddDays(1).ToString("yyyyMMdd"), e["DTEND"]);
        }
        var en = Events(await app.AnonymousClient().GetStringAsync("/api/calendar/tahapan.ics?lang=en"));
        Assert.Equal(ICalendar.Escape(stages.Single(s => s.Code == "kampanye").NameEn), en.Single(x => x.Uid == "tahapan-kampanye@pantau").Props["SUMMARY"]);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_private_feed_shows_the_rakor_and_deadlines_of_the_users_region_only_and_stops_when_replaced_revoked_or_disabled(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider, settings: Settings);
        var province = await app.ClientForAsync(Role.DeskProvinsi, "16");
        var now = app.Clock.GetUtcNow();
        var palembangMeeting = await MeetingAsync(province, "Rakor distribusi logistik Palembang", "16.71", now.AddDays(1), await AgencyId(province, "16.71:POLRES"), "Kawal logistik, PPK", now.AddDays(3));
        var lahatMeeting = await MeetingAsync(province, "Rakor Lahat", "16.04", now.AddDays(2), await AgencyId(province, "16.04:POLRES"), "Aksi Lahat", now.AddDays(4));

        var (user, _) = await app.CreateUserAsync(Role.DeskKabKota, "16.71", "desk-palembang-cal");
        var desk = await app.CookieClientAsync(user.UserName!, PantauApp.TestPassword);
        var status = await desk.GetFromJsonAsync<JsonElement>("/api/calendar/feed");
        Assert.False(status.GetProperty("active").GetBoolean());

        // Creating needs the antiforgery header like every cookie write: use a token client for the API, the page for the cookie user.
        var api = await app.ClientForAsync(Role.DeskKabKota, "16.71", "desk-palembang-api");
        var created = await api.PostAsync("/api/calendar/feed", null);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var url = new Uri(JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("url").GetString()!);
        Assert.StartsWith("/api/calendar/feed/pc_", url.AbsolutePath);

        var anon = app.AnonymousClient();
        var feed = await anon.GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        var events = Events(await feed.Content.ReadAsStringAsync());
        Assert.Contains(events, e => e.Uid == $"rakor-{palembangMeeting}@pantau" && e.Props["SUMMARY"] == "Rakor: Rakor distribusi logistik Palembang"
                                     && e.Props["LOCATION"] == @"Kantor\, Lantai 2\; Ruang A");
        Assert.Contains(events, e => e.Uid.StartsWith("tindak-lanjut-") && e.Props["SUMMARY"] == @"Tenggat: Kawal logistik\, PPK");
        Assert.DoesNotContain(events, e => e.Uid == $"rakor-{lahatMeeting}@pantau");
        Assert.DoesNotContain(events, e => e.Props["SUMMARY"].Contains("Lahat"));
        Assert.Contains(events, e => e.Uid == "tahapan-pemungutan-suara@pantau");

        // Narrowed to a kecamatan inside the scope; a region outside it is refused, an unknown one is a 400.
        Assert.Equal(HttpStatusCode.OK, (await anon.GetAsync(url.PathAndQuery + "?region=16.71.01")).StatusCode);
        var outside = await anon.GetAsync(url.PathAndQuery + "?region=16.04");
        Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);
        Assert.Equal("application/problem+json", outside.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, (await anon.GetAsync(url.PathAndQuery + "?region=99.99")).StatusCode);

        // A new link ends the old one at once; revoking ends the new one.
        var second = new Uri(JsonDocument.Parse(await (await api.PostAsync("/api/calendar/feed", null)).Content.ReadAsStringAsync()).RootElement.GetProperty("url").GetString()!);
        Assert.Equal(HttpStatusCode.NotFound, (await anon.GetAsync(url.PathAndQuery)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anon.GetAsync(second.PathAndQuery)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync("/api/calendar/feed")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anon.GetAsync(second.PathAndQuery)).StatusCode);

        // A disabled account's feed stops too.
        var third = new Uri(JsonDocument.Parse(await (await api.PostAsync("/api/calendar/feed", null)).Content.ReadAsStringAsync()).RootElement.GetProperty("url").GetString()!);
        await using (var db = app.NewDbContext())
        {
            var u = await db.Users.SingleAsync(x => x.UserName == "desk-palembang-api");
            u.LockoutEnd = AccountService.DisabledUntil;
            await db.SaveChangesAsync();
            // Only the secret's hash is kept, and the audit trail masks it.
            var hashes = await db.CalendarFeeds.Select(f => f.SecretHash).ToListAsync();
            Assert.DoesNotContain(third.AbsolutePath.Split('/')[^1].Replace(".ics", ""), hashes);
            var audits = await db.AuditEntries.Where(a => a.EntityType == "CalendarFeed").ToListAsync();
            Assert.True(audits.Count >= 3);
            Assert.All(audits, a => Assert.DoesNotContain(hashes[0], (a.Before ?? "") + (a.After ?? "")));
        }
        Assert.Equal(HttpStatusCode.NotFound, (await anon.GetAsync(third.PathAndQuery)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anon.GetAsync("/api/calendar/feed/pc_" + new string('0', 48) + ".ics")).StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_calendar_page_creates_shows_once_and_revokes_the_private_link(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider, settings: Settings);
        var (user, _) = await app.CreateUserAsync(Role.Camat, "16.71.01", "camat-cal");
        var c = await app.CookieClientAsync(user.UserName!, PantauApp.TestPassword);
        var page = await c.GetStringAsync("/akun/kalender");
        Assert.Contains("/api/calendar/tahapan.ics", page);
        Assert.Contains("Belum ada tautan aktif", page);
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(token);
        var created = await c.PostAsync("/akun/kalender?handler=create", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        var html = await created.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var url = System.Text.RegularExpressions.Regex.Match(html, "(http[^\"]+/api/calendar/feed/pc_[0-9a-f]+\\.ics)").Groups[1].Value;
        Assert.NotEmpty(url);
        Assert.Equal(HttpStatusCode.OK, (await app.AnonymousClient().GetAsync(new Uri(url).PathAndQuery)).StatusCode);
        // Shown once: the page read again does not contain it.
        Assert.DoesNotContain(url, await c.GetStringAsync("/akun/kalender"));
        var revoked = await c.PostAsync("/akun/kalender?handler=revoke", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Contains("dicabut", await revoked.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await app.AnonymousClient().GetAsync(new Uri(url).PathAndQuery)).StatusCode);
        // English when chosen, and nothing Indonesian-only on that screen's headings.
        var en = await c.GetStringAsync("/akun/kalender?lang=en");
        Assert.Contains("Calendar subscription", en);
        Assert.DoesNotContain("Langganan kalender", en);
    }
}
