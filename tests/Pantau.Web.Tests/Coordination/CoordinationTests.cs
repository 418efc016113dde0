using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using Pantau.Core.Coordination;
using Pantau.Core.Security;
using Pantau.TestKit;
using Pantau.Web.Coordination;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tests.Coordination;

public class CoordinationTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;

    internal static readonly JsonSerializerOptions J = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Pantau:Coordination:SeedAgencies"] = "true",
        ["Pantau:RunJobs"] = "false", // jobs run only when the test says so
    };

    private static Task<PantauApp> Start(DatabaseProvider p, IDictionary<string, string?>? extra = null)
    {
        var s = new Dictionary<string, string?>(Settings);
        if (extra is not null) foreach (var (k, v) in extra) s[k] = v;
        return PantauApp.StartAsync(p, settings: s);
    }

    private static async Task<T> Read<T>(HttpResponseMessage r, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == expected, $"expected {expected}, got {(int)r.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, J)!;
    }

    private static async Task<int> AgencyId(HttpClient c, string code)
    {
        var region = code.Split(':')[0];
        var list = await Read<List<AgencyDto>>(await c.GetAsync($"/api/coordination/agencies?region={region}"));
        return list.Single(a => a.Code == code).Id;
    }

    /// <summary>A client for a user working for <paramref name="agencyCode"/> (the user's Agency field).</summary>
    private static async Task<HttpClient> AgencyClient(PantauApp app, Role role, string scope, string agencyCode)
    {
        var name = $"{role}-{Guid.NewGuid():N}"[..20].ToLowerInvariant();
        var c = await app.ClientForAsync(role, scope, name);
        await using var db = app.NewDbContext();
        var u = await db.Users.SingleAsync(x => x.UserName == name);
        u.Agency = agencyCode;
        await db.SaveChangesAsync();
        return c;
    }

    private static object Action(string title, int owner, string? region = null, DateTimeOffset? due = null, string? tahapan = null, int? offset = null) =>
        new { title, ownerAgencyId = owner, regionCode = region, dueAt = due, tahapanCode = tahapan, tahapanOffsetDays = offset };

    [Theory, MemberData(nameof(Providers))]
    public async Task Agency_directory_is_seeded_from_the_region_tree_and_editable_by_the_desk(DatabaseProvider provider)
    {
        await using var app = await Start(provider);
        var desk = await app.ClientForAsync(Role.DeskKabKota, "16.71");
        var list = await Read<List<AgencyDto>>(await desk.GetAsync("/api/coordination/agencies?region=16.71"));
        await using (var db = app.NewDbContext())
        {
            var kecamatan = await db.Regions.CountAsync(r => r.ParentCode == "16.71");
            Assert.True(kecamatan > 10);
            Assert.Equal(kecamatan, list.Count(a => a.Kind == AgencyKind.Camat));
            Assert.Equal(kecamatan, list.Count(a => a.Kind == AgencyKind.Police && a.RegionCode.Length == 8));
            Assert.Equal(17 * 9 + 11, await db.Agencies.CountAsync(a => a.RegionCode.Length <= 5));
        }
        Assert.All(list, a => Assert.True(a.IsGenerated));
        var polres = list.Single(a => a.Code == "16.71:POLRES");
        Assert.Equal("Polrestabes Palembang", polres.Name);

        var edited = await Read<AgencyDto>(await desk.PutAsJsonAsync($"/api/coordination/agencies/{polres.Id}", new { name = "Polrestabes Palembang", contact = "0711-123456", version = polres.Version }, J));
        Assert.Equal("0711-123456", edited.Contact);
        Assert.False(edited.IsGenerated);
        // stale version → 409; another kab/kota → 403
        Assert.Equal(HttpStatusCode.Conflict, (await desk.PutAsJsonAsync($"/api/coordination/agencies/{polres.Id}", new { contact = "x", version = polres.Version }, J)).StatusCode);
        var lahat = await AgencyId(desk, "16.04:POLRES");
        Assert.Equal(HttpStatusCode.Forbidden, (await desk.PutAsJsonAsync($"/api/coordination/agencies/{lahat}", new { contact = "x" }, J)).StatusCode);
        var created = await Read<AgencyDto>(await desk.PostAsJsonAsync("/api/coordination/agencies", new { name = "PLN UP3 Palembang", kind = "Other", regionCode = "16.71" }, J), HttpStatusCode.Created);
        Assert.False(created.IsGenerated);
        // seeding again adds nothing and keeps the edit
        var again = await desk.PostAsync("/api/coordination/agencies/generate?region=16.71", null);
        Assert.Contains("\"generated\":0", await again.Content.ReadAsStringAsync());
        await using (var db = app.NewDbContext())
            Assert.Equal("0711-123456", (await db.Agencies.SingleAsync(a => a.Code == "16.71:POLRES")).Contact);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_rakor_is_recorded_and_its_actions_are_tracked_to_closure(DatabaseProvider provider)
    {
        await using var app = await Start(provider);
        var desk = await app.ClientForAsync(Role.DeskProvinsi, "16");
        var polres = await AgencyId(desk, "16.71:POLRES");
        var kpu = await AgencyId(desk, "16.71:KPU");
        var camat = await AgencyId(desk, "16.71.01:CAMAT");
        var now = app.Clock.GetUtcNow();

        var meeting = await Read<MeetingDto>(await desk.PostAsJsonAsync("/api/coordination/meetings", new
        {
            title = "Rakor pengamanan distribusi logistik",
            regionCode = "16.71",
            heldAt = now.AddHours(-2),
            location = "Kantor Walikota Palembang",
            minutes = "Distribusi logistik ke PPK dimulai H-5.",
            agenda = new[] { new { title = "Distribusi logistik" }, new { title = "Pengamanan TPS rawan" } },
            participants = new[] { new { agencyId = polres, attended = true, representative = (string?)"Wakapolrestabes" }, new { agencyId = kpu, attended = true, representative = (string?)null }, new { agencyId = camat, attended = false, representative = (string?)null } },
            decisions = new[]
            {
                new { text = "Pengawalan logistik oleh Polrestabes", actions = new[] { Action("Kawal distribusi logistik ke PPK", polres, due: now.AddDays(2)) } },
                new { text = "KPU menyiapkan jadwal distribusi", actions = new[] { Action("Jadwal distribusi logistik", kpu, "16.71.01", tahapan: "masa-tenang", offset: -1) } },
            },
        }, J), HttpStatusCode.Created);
        Assert.Equal(2, meeting.Agenda.Count);
        Assert.Equal(3, meeting.Participants.Count);
        Assert.Equal(2, meeting.Participants.Count(p => p.Attended));
        var escort = meeting.Decisions[0].Actions.Single();
        var schedule = meeting.Decisions[1].Actions.Single();
        Assert.Equal(meeting.Id, escort.MeetingId);
        Assert.Equal($"/koordinasi/rakor/{meeting.Id}", escort.SourceHref);
        Assert.Equal(new DateTimeOffset(2024, 11, 23, 16, 59, 59, TimeSpan.Zero), schedule.DueAt); // end of 23 Nov WIB (masa tenang − 1)
        Assert.Equal("16.71.01", schedule.RegionCode);

        // The owner agency sees its queue and works the action to closure; it cannot touch another agency's action.
        var police = await AgencyClient(app, Role.Police, "16.71", "16.71:POLRES");
        var queue = await Read<List<ActionDto>>(await police.GetAsync("/api/coordination/actions/mine"));
        Assert.Equal([escort.Id], queue.Select(a => a.Id));
        var started = await Read<ActionDto>(await police.PostAsJsonAsync($"/api/coordination/actions/{escort.Id}/status", new { status = "InProgress", note = "Personel disiapkan", version = escort.Version }, J));
        Assert.Equal(ActionStatus.InProgress, started.Status);
        Assert.Equal(HttpStatusCode.Conflict, (await police.PostAsJsonAsync($"/api/coordination/actions/{escort.Id}/status", new { status = "Done", version = escort.Version }, J)).StatusCode);
        var done = await Read<ActionDto>(await police.PostAsJsonAsync($"/api/coordination/actions/{escort.Id}/status", new { status = "Done", note = "Selesai dikawal", version = started.Version }, J));
        Assert.Equal(ActionStatus.Done, done.Status);
        Assert.NotNull(done.ClosedAt);
        Assert.Equal(HttpStatusCode.Forbidden, (await police.PostAsJsonAsync($"/api/coordination/actions/{schedule.Id}/status", new { status = "Done" }, J)).StatusCode);

        // The Desk closes the other one; the meeting shows no open action left.
        await Read<ActionDto>(await desk.PostAsJsonAsync($"/api/coordination/actions/{schedule.Id}/status", new { status = "Done" }, J));
        var summary = (await Read<List<MeetingSummaryDto>>(await desk.GetAsync("/api/coordination/meetings?region=16.71"))).Single(m => m.Id == meeting.Id);
        Assert.Equal((2, 0), (summary.Actions, summary.OpenActions));

        // Decisions and actions can be added later; everything is audited with the actor.
        var later = await Read<MeetingDto>(await desk.PostAsJsonAsync($"/api/coordination/meetings/{meeting.Id}/decisions",
            new { text = "Camat memantau kesiapan TPS", actions = new[] { Action("Laporan kesiapan TPS", camat, "16.71.01", now.AddDays(1)) } }, J), HttpStatusCode.Created);
        Assert.Equal(3, later.Decisions.Count);
        await using var db = app.NewDbContext();
        var audit = await db.AuditEntries.Where(a => a.EntityType == "FollowUpAction" && a.EntityKey == escort.Id.ToString()).ToListAsync();
        // (Added rows are keyed by EF's temporary key, so find the insert by its content.)
        Assert.Contains(await db.AuditEntries.Where(a => a.EntityType == "FollowUpAction" && a.Action == "Added").ToListAsync(), a => a.After!.Contains("Kawal distribusi logistik ke PPK"));
        Assert.Equal(2, audit.Count(a => a.Action == "Modified" && a.UserName.StartsWith("police-", StringComparison.Ordinal) && a.After!.Contains("Status")));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Overdue_actions_escalate_to_the_desk_without_anyone_acting(DatabaseProvider provider)
    {
        await using var app = await Start(provider);
        var desk = await app.ClientForAsync(Role.DeskKabKota, "16.04");
        var polres = await AgencyId(desk, "16.04:POLRES");
        var now = app.Clock.GetUtcNow();
        var m = await Read<MeetingDto>(await desk.PostAsJsonAsync("/api/coordination/meetings", new
        {
            title = "Rakor Forkopimda Lahat", regionCode = "16.04", heldAt = now,
            decisions = new[] { new { text = "Patroli TPS rawan", actions = new[] { Action("Patroli TPS rawan", polres, due: now.AddHours(20)), Action("Pemetaan TPS rawan", polres, due: now.AddDays(5)) } } },
        }, J), HttpStatusCode.Created);
        var runner = app.Services.GetRequiredService<JobRunner>();
        await runner.RunDueAsync();
        var first = m.Decisions[0].Actions[0];
        Assert.Null((await Read<ActionDto>(await desk.GetAsync($"/api/coordination/actions/{first.Id}"))).EscalatedAt);

        var live = app.Services.GetRequiredService<ILiveUpdates>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        // The first MoveNextAsync registers the subscription before it returns (no sleep-and-hope before the job publishes).
        await using var events = live.SubscribeAsync(["desk:16.04"], cts.Token).GetAsyncEnumerator(cts.Token);
        var next = events.MoveNextAsync();

        app.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Contains("coordination-overdue-actions", await runner.RunDueAsync());
        var escalated = await Read<ActionDto>(await desk.GetAsync($"/api/coordination/actions/{first.Id}"));
        Assert.True(escalated.Overdue);
        Assert.Equal(app.Clock.GetUtcNow(), escalated.EscalatedAt);
        Assert.Null((await Read<ActionDto>(await desk.GetAsync($"/api/coordination/actions/{m.Decisions[0].Actions[1].Id}"))).EscalatedAt);
        Assert.True(await next);
        Assert.Equal("actions-overdue", events.Current.Type);

        var dash = await Read<DashboardDto>(await desk.GetAsync("/api/coordination/dashboard?region=16.04"));
        Assert.Equal(1, dash.Coordination.OverdueActions);
        Assert.Equal(1, dash.Coordination.EscalatedActions);
        // A second pass does not escalate again.
        app.Clock.Advance(TimeSpan.FromHours(1));
        await runner.RunDueAsync();
        Assert.Equal(escalated.EscalatedAt, (await Read<ActionDto>(await desk.GetAsync($"/api/coordination/actions/{first.Id}"))).EscalatedAt);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Scope_is_enforced(DatabaseProvider provider)
    {
        await using var app = await Start(provider);
        var palembang = await app.ClientForAsync(Role.DeskKabKota, "16.71");
        var lahat = await app.ClientForAsync(Role.DeskKabKota, "16.04");
        var polres = await AgencyId(palembang, "16.71:POLRES");
        var now = app.Clock.GetUtcNow();
        var body = new { title = "Rakor", regionCode = "16.04", heldAt = now };
        Assert.Equal(HttpStatusCode.Forbidden, (await palembang.PostAsJsonAsync("/api/coordination/meetings", body, J)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await palembang.GetAsync("/api/coordination/actions?region=16")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await palembang.GetAsync("/api/coordination/dashboard?region=16.04")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.AnonymousClient().GetAsync("/api/coordination/actions?region=16.71")).StatusCode);

        var m = await Read<MeetingDto>(await palembang.PostAsJsonAsync("/api/coordination/meetings", new
        {
            title = "Rakor Palembang", regionCode = "16.71", heldAt = now,
            decisions = new[] { new { text = "x", actions = new[] { Action("Tugas", polres, due: now.AddDays(1)) } } },
        }, J), HttpStatusCode.Created);
        var action = m.Decisions[0].Actions[0];
        Assert.Equal(HttpStatusCode.Forbidden, (await lahat.PostAsJsonAsync($"/api/coordination/actions/{action.Id}/status", new { status = "Done" }, J)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await lahat.GetAsync($"/api/coordination/meetings/{m.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await lahat.PostAsJsonAsync($"/api/coordination/meetings/{m.Id}/decisions", new { text = "y" }, J)).StatusCode);
        // A non-Desk officer without the owner agency may not change the status, nor create meetings.
        var kpuOfficer = await AgencyClient(app, Role.KpuOperator, "16.71", "16.71:KPU");
        Assert.Equal(HttpStatusCode.Forbidden, (await kpuOfficer.PostAsJsonAsync($"/api/coordination/actions/{action.Id}/status", new { status = "Done" }, J)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await kpuOfficer.PostAsJsonAsync("/api/coordination/meetings", new { title = "x", regionCode = "16.71", heldAt = now }, J)).StatusCode);
        // Unchanged.
        Assert.Equal(ActionStatus.Open, (await Read<ActionDto>(await palembang.GetAsync($"/api/coordination/actions/{action.Id}"))).Status);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Bad_input_is_a_400_problem_with_the_fields_named(DatabaseProvider provider)
    {
        await using var app = await Start(provider);
        var desk = await app.ClientForAsync(Role.DeskProvinsi, "16");
        var polres = await AgencyId(desk, "16.71:POLRES");
        var now = app.Clock.GetUtcNow();

        async Task<JsonElement> Problem(HttpResponseMessage r)
        {
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
            return JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;
        }

        var p1 = await Problem(await desk.PostAsJsonAsync("/api/coordination/meetings", new { title = "", regionCode = "16.71", heldAt = (DateTimeOffset?)null }, J));
        Assert.True(p1.GetProperty("errors").TryGetProperty("title", out _));
        Assert.True(p1.GetProperty("errors").TryGetProperty("heldAt", out _));
        var p2 = await Problem(await desk.PostAsJsonAsync("/api/coordination/meetings", new { title = "x", regionCode = "16.71.01.1001", heldAt = now }, J));
        Assert.True(p2.GetProperty("errors").TryGetProperty("regionCode", out _));
        var p3 = await Problem(await desk.PostAsJsonAsync("/api/coordination/meetings", new
        {
            title = "x", regionCode = "16.71", heldAt = now,
            decisions = new[] { new { text = "d", actions = new object[] { Action("a", polres), Action("b", 999999, due: now), Action("c", polres, tahapan: "tidak-ada"), Action("d", polres, "16.04", now) } } },
        }, J));
        var errors = p3.GetProperty("errors");
        Assert.True(errors.TryGetProperty("decisions[0].actions[0].dueAt", out _));
        Assert.True(errors.TryGetProperty("decisions[0].actions[1].ownerAgencyId", out _));
        Assert.True(errors.TryGetProperty("decisions[0].actions[2].tahapanCode", out _));
        Assert.True(errors.TryGetProperty("decisions[0].actions[3].regionCode", out _));
        await Problem(await desk.GetAsync("/api/coordination/actions?region=16.7x"));
        await Problem(await desk.GetAsync("/api/coordination/actions?region=16&status=Whatever"));
        // Nothing was written by the rejected requests.
        await using (var db = app.NewDbContext()) Assert.Equal(0, await db.Meetings.CountAsync());

        var m = await Read<MeetingDto>(await desk.PostAsJsonAsync("/api/coordination/meetings", new
        {
            title = "Rakor", regionCode = "16.71", heldAt = now,
            decisions = new[] { new { text = "d", actions = new[] { Action("a", polres, due: now.AddDays(1)) } } },
        }, J), HttpStatusCode.Created);
        var id = m.Decisions[0].Actions[0].Id;
        Assert.True((await Problem(await desk.PostAsJsonAsync($"/api/coordination/actions/{id}/status", new { status = "Cancelled" }, J))).GetProperty("errors").TryGetProperty("note", out _));
        Assert.True((await Problem(await desk.PostAsJsonAsync($"/api/coordination/actions/{id}/status", new { status = "Open" }, J))).GetProperty("errors").TryGetProperty("status", out _));
        Assert.True((await Problem(await desk.PostAsJsonAsync("/api/coordination/agreements", new { title = "K", regionCode = "16.71", signedAt = now, scope = "s", partyAgencyIds = new[] { polres } }, J)))
            .GetProperty("errors").TryGetProperty("partyAgencyIds", out _));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Dashboard_numbers_equal_the_lists(DatabaseProvider provider)
    {
        await using var app = await Start(provider);
        var desk = await app.ClientForAsync(Role.DeskProvinsi, "16");
        var now = app.Clock.GetUtcNow();
        var regions = new[] { "16.71", "16.04", "16.04", "16.10", "16.71", "16.71" };
        var ids = new List<int>();
        for (var i = 0; i < regions.Length; i++)
        {
            var owner = await AgencyId(desk, regions[i] + ":KPU");
            var m = await Read<MeetingDto>(await desk.PostAsJsonAsync("/api/coordination/meetings", new
            {
                title = $"Rakor {i}", regionCode = regions[i], heldAt = now.AddDays(-i),
                decisions = new[] { new { text = "d", actions = new[] { Action($"Tugas {i}", owner, due: now.AddHours(i % 2 == 0 ? 6 : 72)) } } },
            }, J), HttpStatusCode.Created);
            ids.Add(m.Decisions[0].Actions[0].Id);
        }
        await desk.PostAsJsonAsync($"/api/coordination/actions/{ids[0]}/status", new { status = "Done" }, J);
        await desk.PostAsJsonAsync($"/api/coordination/actions/{ids[1]}/status", new { status = "InProgress" }, J);
        await desk.PostAsJsonAsync($"/api/coordination/actions/{ids[2]}/status", new { status = "Cancelled", note = "tidak relevan" }, J);
        app.Clock.Advance(TimeSpan.FromHours(12)); // actions 4 (16.71) is now overdue; 0 done and 2 cancelled are not

        foreach (var region in new[] { "16", "16.71", "16.04" })
        {
            var d = await Read<DashboardDto>(await desk.GetAsync($"/api/coordination/dashboard?region={region}"));
            async Task<int> Count(string href) => (await Read<List<ActionDto>>(await desk.GetAsync("/api/coordination/actions" + href[href.IndexOf('?')..]))).Count;
            Assert.Equal(d.Coordination.OverdueActions, await Count(d.Coordination.OverdueHref));
            Assert.Equal(d.Coordination.OpenActions + d.Coordination.InProgressActions, await Count(d.Coordination.OpenHref));
            Assert.Equal(d.Coordination.DoneActions, await Count(d.Coordination.DoneHref));
            var atThisLevel = (await Read<List<ActionDto>>(await desk.GetAsync($"/api/coordination/actions?region={region}&overdue=true"))).Count(a => a.RegionCode == region);
            Assert.Equal(d.Coordination.OverdueActions, d.Children.Sum(c => c.OverdueActions) + atThisLevel);
            foreach (var c in d.Children.Where(c => c.OverdueActions > 0))
                Assert.Equal(c.OverdueActions, await Count(c.OverdueHref));
            Assert.Equal(PilkadaSchedule.DaysToVoting(app.Clock.GetUtcNow()), d.DaysToVoting);
        }
        var prov = await Read<DashboardDto>(await desk.GetAsync("/api/coordination/dashboard?region=16"));
        Assert.Equal((1, 1, 1, 3), (prov.Coordination.OverdueActions, prov.Coordination.DoneActions, prov.Coordination.InProgressActions, prov.Coordination.OpenActions));
        Assert.Equal(1, prov.Children.Single(c => c.Code == "16.71").OverdueActions);
        Assert.Equal(7, prov.DaysToVoting);
        Assert.Equal(6, prov.Coordination.MeetingsLast7Days);
        // The landed modules feed the dashboard too (a failing source would show as null).
        Assert.NotNull(prov.Readiness);
        Assert.NotNull(prov.Incidents);
        Assert.Equal(0, prov.Incidents!.OpenTotal);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Agreements_keep_their_signed_document_and_follow_ups(DatabaseProvider provider)
    {
        await using var app = await Start(provider);
        var desk = await app.ClientForAsync(Role.DeskProvinsi, "16");
        var polda = await AgencyId(desk, "16:POLDA");
        var kpu = await AgencyId(desk, "16:KPU");
        var bawaslu = await AgencyId(desk, "16:BAWASLU");
        var now = app.Clock.GetUtcNow();
        var g = await Read<AgreementDto>(await desk.PostAsJsonAsync("/api/coordination/agreements", new
        {
            title = "Kesepakatan bersama netralitas dan keamanan", regionCode = "16", signedAt = now.AddDays(-10), scope = "Pengamanan kampanye dan masa tenang",
            partyAgencyIds = new[] { polda, kpu, bawaslu },
            actions = new[] { Action("Patroli siber hoaks", polda, due: now.AddDays(3)) },
        }, J), HttpStatusCode.Created);
        Assert.Equal(3, g.Parties.Count);
        var follow = Assert.Single(g.Actions);
        Assert.Equal($"/koordinasi/kesepakatan/{g.Id}", follow.SourceHref);

        using var bad = new MultipartFormDataContent { { new ByteArrayContent("<html>not a pdf</html>"u8.ToArray()), "file", "ttd.pdf" } };
        Assert.Equal(HttpStatusCode.BadRequest, (await desk.PostAsync($"/api/coordination/agreements/{g.Id}/document", bad)).StatusCode);
        var pdf = "%PDF-1.4\n% kesepakatan\n"u8.ToArray();
        using var ok = new MultipartFormDataContent { { new ByteArrayContent(pdf), "file", "kesepakatan ttd.pdf" } };
        var withDoc = await Read<AgreementDto>(await desk.PostAsync($"/api/coordination/agreements/{g.Id}/document", ok));
        Assert.NotNull(withDoc.DocumentFileId);
        var download = await desk.GetAsync($"/api/coordination/agreements/{g.Id}/document");
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync());

        var poldaUser = await AgencyClient(app, Role.Police, "16", "Polda Sumatera Selatan"); // linked by name works too
        var closed = await Read<ActionDto>(await poldaUser.PostAsJsonAsync($"/api/coordination/actions/{follow.Id}/status", new { status = "Done", note = "Patroli berjalan" }, J));
        Assert.Equal(ActionStatus.Done, closed.Status);
        var listed = await Read<List<ActionDto>>(await desk.GetAsync($"/api/coordination/actions?region=16&agreementId={g.Id}"));
        Assert.Equal(ActionStatus.Done, Assert.Single(listed).Status);
    }

    private static async Task<(PantauApp App, HttpClient Desk, string Title)> ReportFixture(DatabaseProvider provider, IDictionary<string, string?>? extra = null)
    {
        var app = await Start(provider, extra);
        var desk = await app.ClientForAsync(Role.DeskProvinsi, "16");
        var kpu = await AgencyId(desk, "16.04:KPU");
        var now = app.Clock.GetUtcNow();
        const string title = "Distribusi surat suara ke PPK Lahat";
        await Read<MeetingDto>(await desk.PostAsJsonAsync("/api/coordination/meetings", new
        {
            title = "Rakor kesiapan logistik Lahat", regionCode = "16.04", heldAt = now.AddHours(-3),
            decisions = new[] { new { text = "Distribusi", actions = new[] { Action(title, kpu, due: now.AddHours(-1)), Action("Cek gudang", kpu, due: now.AddDays(2)) } } },
        }, J), HttpStatusCode.Created);
        return (app, desk, title);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_situation_report_workbook_holds_the_dashboard_numbers(DatabaseProvider provider)
    {
        var (app, desk, title) = await ReportFixture(provider, new Dictionary<string, string?> { ["Pantau:Chromium"] = "/nonexistent/chromium" });
        await using var _ = app;
        var report = await Read<ReportDto>(await desk.PostAsync("/api/coordination/reports?region=16", null), HttpStatusCode.Created);
        Assert.Null(report.PdfHref); // no Chromium: Excel only, and the reason is recorded
        Assert.Contains("Chromium", report.Error);
        var xlsx = await desk.GetAsync(report.XlsxHref);
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        using var ms = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync());
        Assert.Contains("Ringkasan", MiniExcel.GetSheetNames(ms));
        var summary = MiniExcel.Query(ms, useHeaderRow: true, sheetName: "Ringkasan").Cast<IDictionary<string, object>>().ToDictionary(r => (string)r["Indikator"], r => r["Nilai"]);
        Assert.Equal(1d, Convert.ToDouble(summary["Tindak lanjut terlambat"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(7d, Convert.ToDouble(summary["Hari menuju pemungutan suara (27 Nov 2024)"], System.Globalization.CultureInfo.InvariantCulture));
        var overdue = MiniExcel.Query(ms, useHeaderRow: true, sheetName: "Terlambat").Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(title, Assert.Single(overdue)["Tindak lanjut"]);
        var perRegion = MiniExcel.Query(ms, useHeaderRow: true, sheetName: "Per wilayah").Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(17, perRegion.Count);
        Assert.Equal(1d, Convert.ToDouble(perRegion.Single(r => (string)r["Kode"] == "16.04")["Terlambat"], System.Globalization.CultureInfo.InvariantCulture));

        var settings = app.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>();
        Assert.Null(settings["Pantau:Coordination:ReportRegions"]); // Testing environment: none by default
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_daily_job_stores_one_scheduled_report_per_day(DatabaseProvider provider)
    {
        await using var app = await Start(provider, new Dictionary<string, string?> { ["Pantau:Chromium"] = "/nonexistent/chromium", ["Pantau:Coordination:ReportRegions"] = "16.71" });
        var desk = await app.ClientForAsync(Role.DeskKabKota, "16.71");
        var runner = app.Services.GetRequiredService<JobRunner>();
        await runner.RunDueAsync();
        app.Clock.Advance(TimeSpan.FromHours(1));
        await runner.RunDueAsync();
        var list = await Read<List<ReportDto>>(await desk.GetAsync("/api/coordination/reports?region=16.71"));
        var r = Assert.Single(list);
        Assert.True(r.Scheduled);
        Assert.Equal("2024-11-20", r.ReportDate);
        app.Clock.Advance(TimeSpan.FromDays(1));
        await runner.RunDueAsync();
        Assert.Equal(["2024-11-21", "2024-11-20"], (await Read<List<ReportDto>>(await desk.GetAsync("/api/coordination/reports?region=16.71"))).Select(x => x.ReportDate));
        Assert.Equal(HttpStatusCode.OK, (await desk.GetAsync(r.XlsxHref)).StatusCode);
        var other = await app.ClientForAsync(Role.DeskKabKota, "16.04");
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync(r.XlsxHref)).StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_situation_report_PDF_is_printed_by_chromium_from_real_data(DatabaseProvider provider)
    {
        if (BrowserKit.ChromiumPath is null)
        {
            if (BrowserKit.Required) throw new InvalidOperationException("PANTAU_REQUIRE_BROWSER=1 but Chromium is missing.");
            Assert.Skip("Chromium not installed");
        }
        var (app, desk, title) = await ReportFixture(provider, new Dictionary<string, string?> { ["Pantau:Chromium"] = BrowserKit.ChromiumPath });
        await using var _ = app;
        var report = await Read<ReportDto>(await desk.PostAsync("/api/coordination/reports?region=16", null), HttpStatusCode.Created);
        Assert.Null(report.Error);
        var pdf = await desk.GetAsync(report.PdfHref!);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        var bytes = await pdf.Content.ReadAsByteArrayAsync();
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(bytes, 0, 5));
        var file = Path.Combine(BrowserKit.ArtifactsDir, $"laporan-situasi-16-{provider}.pdf");
        await File.WriteAllBytesAsync(file, bytes);
        var text = PdfText(file);
        Assert.Contains("Laporan Situasi Pilkada Serentak 2024 Sumatera Selatan", text);
        Assert.Contains("Sumatera Selatan", text);
        Assert.Contains(title, text);
        Assert.Contains("Rakor kesiapan logistik Lahat", text);
        Assert.Contains("hari menuju pemungutan suara", text);
        Assert.Contains("Tindak lanjut terlambat (1)", text);
        Assert.Contains("Jatuh tempo dalam 3 hari (1)", text);
        Assert.Contains("Lahat", text);

        // The same Chromium drew the map as a PNG for the workbook's Grafik sheet.
        using var xlsx = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(new MemoryStream(await desk.GetByteArrayAsync(report.XlsxHref)), false);
        var grafik = xlsx.WorkbookPart!.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>().Single(x => x.Name == "Grafik");
        var drawing = ((DocumentFormat.OpenXml.Packaging.WorksheetPart)xlsx.WorkbookPart.GetPartById(grafik.Id!)).DrawingsPart!;
        var image = Assert.Single(drawing.ImageParts);
        Assert.Equal("image/png", image.ContentType);
        using var png = new MemoryStream();
        using (var st = image.GetStream()) st.CopyTo(png);
        var (w, h) = XlsxBook.PngSize(png.ToArray());
        Assert.True(w > 200 && h > 200, $"map image {w}x{h}");
        Assert.Contains(drawing.WorksheetDrawing.Descendants<DocumentFormat.OpenXml.Drawing.Spreadsheet.NonVisualDrawingProperties>(), p => p.Name == "Peta");
        await File.WriteAllBytesAsync(Path.Combine(BrowserKit.ArtifactsDir, $"laporan-situasi-16-peta-{provider}.png"), png.ToArray());
    }

    /// <summary>
    /// Severe and other incidents of Sumatera Selatan, each with the reporter's name and contact: 12 High/Critical in the last 7 days (two of
    /// them in Palembang), one Critical from 10 days ago, one Critical rejected, and Medium/Low ones. Returns the severe ones of the period.
    /// </summary>
    private static async Task<List<(string Code, Pantau.Core.Incidents.Severity Severity, DateTimeOffset At, string Region)>> SeedIncidents(PantauApp app)
    {
        var now = app.Clock.GetUtcNow();
        var severe = new List<(string, Pantau.Core.Incidents.Severity, DateTimeOffset, string)>();
        await using var db = app.NewDbContext();
        var n = 0;
        Pantau.Data.Incidents.Incident Make(Pantau.Core.Incidents.Severity s, TimeSpan ago, string region, Pantau.Core.Incidents.IncidentStatus status = Pantau.Core.Incidents.IncidentStatus.Verified)
        {
            n++;
            return new Pantau.Data.Incidents.Incident
            {
                Id = Guid.NewGuid(), TrackingCode = $"LP-T{n:000}", Category = Pantau.Core.Incidents.IncidentCategory.SecurityIncident, Status = status, Severity = s,
                Urgency = Pantau.Core.Incidents.Urgency.Normal, RegionCode = region, KabKotaCode = region[..5], KecamatanCode = region.Length >= 8 ? region[..8] : null,
                OccurredAt = now - ago, ReportedAt = now - ago, UpdatedAt = now - ago, Title = $"Kericuhan uji {n}", Description = "Massa berkumpul di depan kantor PPK.",
                ReporterName = "Rina Pelapor", ReporterContact = "0857-9999-0000", Latitude = -2.9912, Longitude = 104.7381,
            };
        }
        var regions = new[] { "16.04.01", "16.71.01", "16.02", "16.71", "16.10.03", "16.01" };
        for (var i = 0; i < 12; i++)
        {
            var s = i % 3 == 0 ? Pantau.Core.Incidents.Severity.Critical : Pantau.Core.Incidents.Severity.High;
            var inc = Make(s, TimeSpan.FromHours(5 + i * 11), regions[i % regions.Length]);
            db.Incidents.Add(inc);
            severe.Add((inc.TrackingCode, s, inc.ReportedAt, inc.RegionCode));
        }
        db.Incidents.Add(Make(Pantau.Core.Incidents.Severity.Critical, TimeSpan.FromDays(10), "16.04.01")); // before the period
        db.Incidents.Add(Make(Pantau.Core.Incidents.Severity.Critical, TimeSpan.FromHours(2), "16.71.01", Pantau.Core.Incidents.IncidentStatus.Rejected));
        db.Incidents.Add(Make(Pantau.Core.Incidents.Severity.Medium, TimeSpan.FromHours(1), "16.71.01"));
        db.Incidents.Add(Make(Pantau.Core.Incidents.Severity.Low, TimeSpan.FromHours(1), "16.04"));
        await db.SaveChangesAsync();
        return severe;
    }

    /// <summary>Three valid sheets of the governor race and two of the Palembang mayor race, from TPS of kecamatan 16.71.01.</summary>
    private static async Task SeedSheets(PantauApp app)
    {
        List<(string Code, string Desa)> tps;
        Dictionary<int, long> mayor;
        await using (var db = app.NewDbContext())
        {
            tps = (await db.Tps.Where(t => t.DesaCode.StartsWith("16.71.01")).OrderBy(t => t.Code).Take(3).Select(t => new { t.Code, t.DesaCode }).ToListAsync())
                .Select(t => (t.Code, t.DesaCode)).ToList();
            mayor = (await db.Contests.Where(c => c.Code == "PILWALKOT-16.71").SelectMany(c => c.Paslon).Select(p => p.Number).ToListAsync()).ToDictionary(x => x, _ => 40L);
        }
        foreach (var (i, (code, desa)) in tps.Index())
        {
            var kpps = await app.ClientForAsync(Role.PpsOperator, desa);
            var sheets = new List<Pantau.Core.Tally.CHasilSheet> { TallySheets.Valid("PILGUB-16", code, 120, 80, 40) };
            if (i < 2) sheets.Add(TallySheets.Valid("PILWALKOT-16.71", code, mayor));
            foreach (var sheet in sheets)
            {
                var res = await kpps.PostAsync("/api/tally/sheets", JsonContent.Create(TallySheets.ToJson(sheet)));
                Assert.True(res.IsSuccessStatusCode, await res.Content.ReadAsStringAsync());
            }
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_situation_report_maps_the_child_regions_and_lists_severe_incidents_and_vote_progress(DatabaseProvider provider)
    {
        await using var app = await Start(provider, new Dictionary<string, string?> { ["Pantau:Chromium"] = "/nonexistent/chromium" });
        var severe = await SeedIncidents(app);
        await SeedSheets(app);
        var desk = await app.ClientForAsync(Role.DeskProvinsi, "16");

        foreach (var (region, level) in new[] { ("16", "kab/kota"), ("16.71", "kecamatan") })
        {
            using var scope = app.Services.CreateScope();
            var data = await scope.ServiceProvider.GetRequiredService<SituationReportService>().CollectAsync(region, CancellationToken.None);
            Assert.NotNull(data);
            var html = System.Net.WebUtility.HtmlDecode(ReportHtml.Render(data));
            List<string> children;
            await using (var db = app.NewDbContext())
                children = await db.Regions.Where(r => r.ParentCode == region).OrderBy(r => r.Code).Select(r => r.Code).ToListAsync();

            // The maps: the child level, every child drawn once, legend counts add up to the children, captions name the level.
            Assert.Contains($"<h2>Peta per {level}</h2>", html);
            var peta = System.Text.RegularExpressions.Regex.Match(html, "<section id=\"peta\">(.*?)</section>", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value;
            var figures = System.Text.RegularExpressions.Regex.Matches(peta, "<figure class=\"map\" id=\"([a-z-]+)\">(.*?)</figure>", System.Text.RegularExpressions.RegexOptions.Singleline);
            Assert.Equal(["peta-kerawanan", "peta-suara", "peta-tindak-lanjut"], figures.Select(f => f.Groups[1].Value));
            foreach (System.Text.RegularExpressions.Match f in figures)
            {
                var drawn = System.Text.RegularExpressions.Regex.Matches(f.Groups[2].Value, "<path data-code=\"([0-9.]+)\"").Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal).ToList();
                Assert.Equal(children, drawn);
                var counts = System.Text.RegularExpressions.Regex.Matches(f.Groups[2].Value, "</svg>[^<(]+\\((\\d+)\\)</li>").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
                Assert.True(counts.Count >= 3, f.Groups[2].Value[..200]);
                Assert.Equal(children.Count, counts.Sum());
                Assert.Contains($"<figcaption>Peta per {level}, ", f.Groups[2].Value);
            }
            // The vote-count map is shaded by the figures: only the region with sheets has TPS in (for the province: Palembang; for Palembang: 16.71.01).
            var withSheets = region == "16" ? "16.71" : "16.71.01";
            var suara = data.Maps.Single(m => m.Id == "peta-suara");
            Assert.Equal(children.Count - 1, suara.Legend[0].Count); // "belum ada TPS masuk"
            Assert.Equal(1, suara.Legend[1].Count);                  // under 50%
            Assert.Contains($"<path data-code=\"{withSheets}\" d=\"", figures[1].Groups[2].Value);
            Assert.Matches($"<path data-code=\"{System.Text.RegularExpressions.Regex.Escape(withSheets)}\" d=\"[^\"]+\" fill=\"{SituationReportService.ProgressColors[1]}\"", figures[1].Groups[2].Value);
            var kerawanan = data.Maps.Single(m => m.Id == "peta-kerawanan");
            Assert.Equal((data.Dashboard.Kerawanan!.HighCount, data.Dashboard.Kerawanan.MediumCount, data.Dashboard.Kerawanan.LowCount),
                (kerawanan.Legend[0].Count, kerawanan.Legend[1].Count, kerawanan.Legend[2].Count));

            // Notable incidents: the severe ones of the period in the region, most severe then newest, at most 10; no reporter details.
            var expected = severe.Where(s => s.Region == region || s.Region.StartsWith(region + ".", StringComparison.Ordinal))
                .OrderByDescending(s => s.Severity).ThenByDescending(s => s.At).Select(s => s.Code).ToList();
            Assert.True(region != "16" || expected.Count == 12);
            var listed = System.Text.RegularExpressions.Regex.Matches(html, "<tr data-incident=\"([A-Z0-9-]+)\">").Select(m => m.Groups[1].Value).ToList();
            Assert.Equal(expected.Take(SituationReportService.NotableLimit), listed);
            Assert.Equal(expected.Count, data.Notable!.Total);
            if (expected.Count > SituationReportService.NotableLimit) Assert.Contains($"10 dari {expected.Count} ditampilkan", html);
            foreach (var personal in new[] { "Rina Pelapor", "0857-", "9999-0000", "085799990000", "2.9912", "104.7381", "-2,9912" })
                Assert.DoesNotContain(personal, html);
            using (var ms = new MemoryStream(SituationReportService.ToXlsx(data)))
            {
                var rows = MiniExcel.Query(ms, useHeaderRow: true, sheetName: SituationReportService.Xlsx.Notable).Cast<IDictionary<string, object>>().Select(r => (string)r["Kode"]).ToList();
                Assert.Equal(listed, rows);
            }

            // Vote-count progress per contest: each row equals the contest's recap over the region, and the sheets stored are counted.
            var progress = System.Text.RegularExpressions.Regex.Matches(html,
                "<tr data-contest=\"([A-Z0-9.-]+)\"><td>[^<]*</td><td>[^<]*</td><td class=\"num\">([0-9.]+)</td><td class=\"num\">([0-9.]+)</td><td class=\"num\">([0-9,]+)%</td></tr>")
                .ToDictionary(m => m.Groups[1].Value, m => (In: long.Parse(m.Groups[2].Value.Replace(".", ""), System.Globalization.CultureInfo.InvariantCulture),
                    All: long.Parse(m.Groups[3].Value.Replace(".", ""), System.Globalization.CultureInfo.InvariantCulture), Pct: m.Groups[4].Value));
            List<(string Code, string Region)> contests;
            await using (var db = app.NewDbContext())
                contests = (await db.Contests.Select(c => new { c.Code, c.RegionCode }).ToListAsync())
                    .Where(c => Pantau.Core.Regions.RegionCode.IsWithin(region, c.RegionCode) || Pantau.Core.Regions.RegionCode.IsWithin(c.RegionCode, region))
                    .Select(c => (c.Code, Pantau.Core.Regions.RegionCode.IsWithin(region, c.RegionCode) ? region : c.RegionCode)).ToList();
            Assert.Equal(contests.Select(c => c.Code).Order(StringComparer.Ordinal), progress.Keys.Order(StringComparer.Ordinal));
            Assert.Equal(region == "16" ? 18 : 2, progress.Count);
            foreach (var (code, over) in contests)
            {
                var recap = (await desk.GetFromJsonAsync<JsonElement>($"/api/tally/recap/{code}/{over}")).GetProperty("region");
                Assert.Equal((recap.GetProperty("tpsIn").GetInt64(), recap.GetProperty("tpsExpected").GetInt64()), (progress[code].In, progress[code].All));
                Assert.Equal(((double)progress[code].In / progress[code].All * 100).ToString("N2", System.Globalization.CultureInfo.GetCultureInfo("id-ID")), progress[code].Pct);
            }
            Assert.Equal(3, progress["PILGUB-16"].In);
            Assert.Equal(2, progress["PILWALKOT-16.71"].In);
            await using (var db = app.NewDbContext())
            {
                Assert.Equal(await db.Tps.CountAsync(t => t.DesaCode.StartsWith(region + ".")), progress["PILGUB-16"].All);
                Assert.Equal(await db.Tps.CountAsync(t => t.DesaCode.StartsWith("16.71.")), progress["PILWALKOT-16.71"].All);
            }
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_situation_report_PDF_has_no_empty_page(DatabaseProvider provider)
    {
        if (BrowserKit.ChromiumPath is null)
        {
            if (BrowserKit.Required) throw new InvalidOperationException("PANTAU_REQUIRE_BROWSER=1 but Chromium is missing.");
            Assert.Skip("Chromium not installed");
        }
        var (app, desk, _) = await ReportFixture(provider, new Dictionary<string, string?> { ["Pantau:Chromium"] = BrowserKit.ChromiumPath });
        await using var _app = app;
        await SeedIncidents(app);
        await SeedSheets(app);
        // A province (kab/kota children), a kab/kota (kecamatan) and a kecamatan (desa: the longest charts and tables).
        foreach (var region in new[] { "16", "16.71", "16.71.01" })
        {
            var report = await Read<ReportDto>(await desk.PostAsync($"/api/coordination/reports?region={region}", null), HttpStatusCode.Created);
            Assert.Null(report.Error);
            var file = Path.Combine(BrowserKit.ArtifactsDir, $"laporan-situasi-{region.Replace('.', '-')}-halaman-{provider}.pdf");
            await File.WriteAllBytesAsync(file, await desk.GetByteArrayAsync(report.PdfHref!));
            var pages = PdfPages(file);
            Assert.True(pages.Count >= 2, $"{region}: {pages.Count} page(s)");
            for (var i = 0; i < pages.Count; i++)
            {
                // Every page carries the footer "Pantau · n/N"; a page with nothing else is empty.
                var body = System.Text.RegularExpressions.Regex.Replace(pages[i], $"Pantau\\s*·\\s*{i + 1}\\s*/\\s*{pages.Count}", "");
                Assert.True(body.Trim().Length > 0, $"{region}: page {i + 1} of {pages.Count} is empty ({file})");
                Assert.Contains($"{i + 1}/{pages.Count}", pages[i]);
            }
            var all = string.Join(' ', pages);
            Assert.Contains("Insiden menonjol", all);
            Assert.Contains("Progres penghitungan suara", all);
            Assert.Contains("Peta per " + (region == "16" ? "kab/kota" : region == "16.71" ? "kecamatan" : "desa/kelurahan"), all);
            Assert.DoesNotContain("0857-", all);
        }
    }

    /// <summary>The text of each page of a PDF (pdfinfo for the count, pdftotext per page).</summary>
    private static List<string> PdfPages(string file)
    {
        static string Run(string exe, params string[] args)
        {
            var psi = new ProcessStartInfo(exe, args) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi) ?? throw new InvalidOperationException($"{exe} (poppler-utils) is required");
            var text = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            Assert.Equal(0, p.ExitCode);
            return text;
        }
        var count = int.Parse(System.Text.RegularExpressions.Regex.Match(Run("pdfinfo", file), @"^Pages:\s+(\d+)", System.Text.RegularExpressions.RegexOptions.Multiline).Groups[1].Value,
            System.Globalization.CultureInfo.InvariantCulture);
        return Enumerable.Range(1, count).Select(i => Run("pdftotext", "-f", $"{i}", "-l", $"{i}", file, "-")).ToList();
    }

    private static string PdfText(string file)
    {
        var psi = new ProcessStartInfo("pdftotext", [file, "-"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("pdftotext (poppler-utils) is required");
        var text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        return string.Join(' ', text.Split((char[])[' ', '\n', '\r', '\f'], StringSplitOptions.RemoveEmptyEntries));
    }
}

public class CoordinationPageTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;

    [Theory, MemberData(nameof(Providers))]
    public async Task Pages_render_and_the_dashboard_numbers_link_to_their_lists(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider, settings: new Dictionary<string, string?> { ["Pantau:Coordination:SeedAgencies"] = "true", ["Pantau:RunJobs"] = "false" });
        var desk = await app.ClientForAsync(Role.DeskKabKota, "16.71");
        var agencies = await desk.GetFromJsonAsync<List<AgencyDto>>("/api/coordination/agencies?region=16.71", CoordinationTests.J);
        var kpu = agencies!.Single(a => a.Code == "16.71:KPU").Id;
        var now = app.Clock.GetUtcNow();
        var created = await desk.PostAsJsonAsync("/api/coordination/meetings", new
        {
            title = "Rakor <b>logistik</b>", regionCode = "16.71", heldAt = now,
            decisions = new[] { new { text = "d", actions = new[] { new { title = "Cek gudang KPU", ownerAgencyId = kpu, dueAt = now.AddHours(-1) } } } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var html = await desk.GetStringAsync("/koordinasi");
        Assert.Contains("Kota Palembang", html);
        Assert.Matches("href=\"/koordinasi/tindak-lanjut\\?region=16.71&amp;overdue=true\" data-kpi=\"overdue\"><b>1</b>", html);
        Assert.Contains("hari menuju pemungutan suara", html);
        Assert.DoesNotContain("<b>logistik</b>", await desk.GetStringAsync("/koordinasi/rakor")); // user text is encoded
        Assert.Contains("Cek gudang KPU", await desk.GetStringAsync("/koordinasi/tindak-lanjut?region=16.71&overdue=true"));
        Assert.Contains("Kodim Kota Palembang", await desk.GetStringAsync("/koordinasi/instansi?region=16.71"));
        Assert.Equal(HttpStatusCode.OK, (await desk.GetAsync("/koordinasi/laporan")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await desk.GetAsync("/koordinasi/kesepakatan")).StatusCode);
        var anon = await app.AnonymousClient().GetAsync("/koordinasi");
        Assert.Equal(HttpStatusCode.Redirect, anon.StatusCode);
    }
}

public class CoordinationTallySourceTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;

    [Theory, MemberData(nameof(Providers))]
    public async Task Dashboard_vote_count_numbers_equal_the_tally_recap_and_queue(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider, settings: new Dictionary<string, string?> { ["Pantau:RunJobs"] = "false" });
        List<(string Code, string Desa)> tps;
        await using (var db = app.NewDbContext())
            tps = (await db.Tps.Where(t => t.DesaCode.StartsWith("16.71.01")).OrderBy(t => t.Code).Take(3).Select(t => new { t.Code, t.DesaCode }).ToListAsync())
                .Select(t => (t.Code, t.DesaCode)).ToList();
        foreach (var (i, (code, desa)) in tps.Index())
        {
            var kpps = await app.ClientForAsync(Role.PpsOperator, desa);
            var sheet = TallySheets.Valid("PILGUB-16", code, 120, 80, 40);
            if (i == 2) sheet = sheet with { SuaraSah = 241 }; // flagged: an anomaly for the queue
            var res = await kpps.PostAsync("/api/tally/sheets", JsonContent.Create(TallySheets.ToJson(sheet)));
            Assert.True(res.IsSuccessStatusCode, await res.Content.ReadAsStringAsync());
        }
        var desk = await app.ClientForAsync(Role.DeskProvinsi, "16");
        foreach (var region in new[] { "16", "16.71" })
        {
            var d = await desk.GetFromJsonAsync<DashboardDto>($"/api/coordination/dashboard?region={region}", CoordinationTests.J);
            var t = d!.Tally!;
            Assert.Equal(region == "16" ? "PILGUB-16" : t.ContestCode, t.ContestCode);
            var recap = await desk.GetFromJsonAsync<JsonElement>($"/api/tally/recap/{t.ContestCode}/{region}");
            Assert.Equal(recap.GetProperty("region").GetProperty("tpsIn").GetInt64(), t.TpsReported);
            Assert.Equal(recap.GetProperty("region").GetProperty("tpsExpected").GetInt64(), t.TpsExpected);
            var queue = await desk.GetFromJsonAsync<JsonElement>("/api/tally/queue"); // all contests: a kab/kota also holds the governor race
            Assert.Equal(queue.EnumerateArray().Count(q => q.GetProperty("tps").GetString()!.StartsWith(region.Replace(".", ""), StringComparison.Ordinal)), t.NeedsReview);
            // Per child: the recap's children.
            foreach (var child in recap.GetProperty("children").EnumerateArray())
            {
                var row = d.Children.Single(c => c.Code == child.GetProperty("code").GetString());
                Assert.Equal((child.GetProperty("tpsIn").GetInt64(), child.GetProperty("tpsExpected").GetInt64()), (row.TpsReported!.Value, row.TpsExpected!.Value));
            }
        }
        var prov = (await desk.GetFromJsonAsync<DashboardDto>("/api/coordination/dashboard?region=16", CoordinationTests.J))!.Tally!;
        Assert.Equal((2, 13206, 1), (prov.TpsReported, prov.TpsExpected, prov.NeedsReview));
        var anomalies = await desk.GetFromJsonAsync<JsonElement>("/api/tally/anomalies?region=16&status=active");
        Assert.Equal(anomalies.GetProperty("total").GetInt32(), prov.Anomalies); // the Anomaly module's list, not the queue
    }
}
