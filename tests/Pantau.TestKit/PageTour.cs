using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pantau.Core.Security;

namespace Pantau.TestKit;

/// <summary>
/// Every Razor page of the app with real route values, on a database with some activity of each kind (counted, conflicting and
/// flagged sheets, an incident with a history, a logistics handover with discrepancies, a rakor with an action, an agreement,
/// readiness updates), and for each page the roles that may open it. Used by the tests that walk every page (language, width).
/// A page whose route has a parameter this tour does not know fails the tour: a new page must be added here.
/// </summary>
public sealed class PageTour
{
    public sealed record Stop(string Path, Role Role, string Scope);

    public IReadOnlyList<Stop> Stops { get; }
    private PageTour(IReadOnlyList<Stop> stops) => Stops = stops;

    private static readonly JsonSerializerOptions J = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>Seeds the activity and lists the pages. <paramref name="app"/> should run with agency seeding on
    /// (<see cref="Settings"/>).</summary>
    /// <param name="baseUrl">The server's address when the app listens on a port (<see cref="LiveServer"/>).</param>
    public static async Task<PageTour> PrepareAsync(PantauApp app, string? baseUrl = null)
    {
        async Task<HttpClient> Client(Role role, string scope)
        {
            var c = role == Role.Public ? app.AnonymousClient() : await app.ClientForAsync(role, scope);
            if (baseUrl is not null) c.BaseAddress = new Uri(baseUrl);
            return c;
        }
        string tps, tps2, desa;
        await using (var db = app.NewDbContext())
        {
            desa = await db.Tps.Where(t => t.KabKotaCode == "16.71").GroupBy(t => t.DesaCode).Where(g => g.Count() >= 3).Select(g => g.Key).OrderBy(k => k).FirstAsync();
            var codes = await db.Tps.Where(t => t.DesaCode == desa).OrderBy(t => t.Number).Select(t => t.Code).Take(2).ToListAsync();
            (tps, tps2) = (codes[0], codes[1]);
        }
        var kec = desa[..8];
        const string gub = "PILGUB-16";

        // Results: one TPS counted then contested (a conflict), another flagged by a rule.
        var kpps = await Client(Role.KppsOperator, desa);
        var pps = await Client(Role.PpsOperator, desa);
        await Expect(kpps.PostAsJsonAsync("/api/tally/sheets", TallySheets.ToJson(TallySheets.Valid(gub, tps, 120, 80, 40))), HttpStatusCode.Created);
        await Expect(pps.PostAsJsonAsync("/api/tally/sheets", TallySheets.ToJson(TallySheets.Valid(gub, tps, 150, 50, 40))), HttpStatusCode.Accepted);
        var flagged = TallySheets.Valid(gub, tps2, 100, 60, 20) with { BallotsDamaged = 7 };
        await kpps.PostAsJsonAsync("/api/tally/sheets", TallySheets.ToJson(flagged));

        // An incident reported, verified and referred (its history has actions).
        var desk = await Client(Role.DeskProvinsi, "16");
        var kabDesk = await Client(Role.DeskKabKota, "16.71");
        var incident = await Read(await kabDesk.PostAsJsonAsync("/api/incidents", new
        {
            category = "SecurityIncident", regionCode = kec, title = "Bentrokan pendukung di pasar",
            description = "Dua kelompok pendukung paslon bentrok di depan pasar kecamatan, dua orang luka.", severity = "High",
            reporterName = "Budi Saksi", reporterContact = "0812-1111-2222",
        }), HttpStatusCode.Created);
        var incidentId = incident.GetProperty("id").GetString()!;
        await Expect(kabDesk.PostAsJsonAsync($"/api/incidents/{incidentId}/transition", new { action = "Verify" }), HttpStatusCode.OK);

        // A handover KPU kab/kota → PPK with fewer received than sent and damaged items.
        var kpu = await Client(Role.KpuOperator, "16.71");
        await Expect(kpu.PostAsJsonAsync("/api/readiness/logistics/handovers", new
        {
            from = "16.71", to = kec, handedOverAt = app.Clock.GetUtcNow().AddHours(-3), handedOverBy = "Gudang KPU (Andi)", receivedBy = "Ketua PPK (Budi)", escortedBy = "Polsek",
            lines = new[] { new { item = $"surat-suara:{gub}", sent = 1000L, received = 990L, damaged = 20L } },
        }), HttpStatusCode.Created);
        // A readiness task updated.
        await Expect(pps.PutAsJsonAsync($"/api/readiness/tasks/tps-listrik/{tps}", new { status = "InProgress", note = "PLN sambung besok" }), HttpStatusCode.OK);

        // A rakor with a decision and an action, and an agreement.
        var agencies = await Read(await desk.GetAsync("/api/coordination/agencies?region=16.71"), HttpStatusCode.OK);
        int Agency(string code) => agencies.EnumerateArray().Single(a => a.GetProperty("code").GetString() == code).GetProperty("id").GetInt32();
        var polres = Agency("16.71:POLRES");
        var kpuAgency = Agency("16.71:KPU");
        var now = app.Clock.GetUtcNow();
        var meeting = await Read(await desk.PostAsJsonAsync("/api/coordination/meetings", new
        {
            title = "Rakor pengamanan distribusi logistik", regionCode = "16.71", heldAt = now.AddHours(-2), location = "Kantor Walikota Palembang",
            minutes = "Distribusi logistik ke PPK dimulai H-5.", agenda = new[] { new { title = "Distribusi logistik" } },
            participants = new[] { new { agencyId = polres, attended = true, representative = (string?)"Wakapolrestabes" }, new { agencyId = kpuAgency, attended = true, representative = (string?)null } },
            decisions = new[] { new { text = "Pengawalan logistik oleh Polrestabes", actions = new[] { new { title = "Kawal distribusi logistik ke PPK", ownerAgencyId = polres, regionCode = (string?)null, dueAt = (DateTimeOffset?)now.AddDays(2) } } } },
        }, J), HttpStatusCode.Created);
        var agreement = await Read(await desk.PostAsJsonAsync("/api/coordination/agreements", new
        {
            title = "Kesepakatan bersama pengamanan", regionCode = "16.71", signedAt = now.AddDays(-10), scope = "Pengamanan kampanye, masa tenang",
            partyAgencyIds = new[] { polres, kpuAgency },
        }, J), HttpStatusCode.Created);

        var values = new Dictionary<string, string>
        {
            ["contest"] = gub, ["region"] = "16.71", ["tps"] = tps, ["id:guid"] = incidentId,
            ["template"] = "tps-listrik", ["subject"] = tps, ["code"] = kec, ["code?"] = "16.71", ["code:int?"] = "404",
        };
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.RazorPages.CompiledPageActionDescriptor>() is not null
                     || e.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.RazorPages.PageActionDescriptor>() is not null)
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/')).Distinct().Order().ToList();
        var stops = new List<Stop>();
        foreach (var pattern in endpoints)
        {
            var path = System.Text.RegularExpressions.Regex.Replace(pattern, "\\{([^}]+)\\}", m =>
            {
                var key = m.Groups[1].Value;
                if (key == "id:int") return pattern.Contains("rakor") ? meeting.GetProperty("id").GetInt32().ToString() : agreement.GetProperty("id").GetInt32().ToString();
                if (pattern.StartsWith("/kerawanan/tps/") && key == "code") return tps;
                return values.TryGetValue(key, out var v) ? v : throw new InvalidOperationException($"PageTour does not know the route value {{{key}}} of {pattern}: add it.");
            });
            if (path.Length > 1) path = path.TrimEnd('/');
            if (pattern == "/kesiapan/logistik/{code?}") path = "/kesiapan/logistik/16.71";
            stops.Add(await StopFor(Client, path));
        }
        return new PageTour(stops);
    }

    /// <summary>The app settings a tour needs (agencies seeded from the region tree).</summary>
    public static readonly Dictionary<string, string?> Settings = new() { ["Pantau:Coordination:SeedAgencies"] = "true" };

    // The roles tried in order: the first one the page answers 200 for is the one the tour visits it with.
    private static readonly (Role Role, string Scope)[] Candidates =
    [
        (Role.Public, "-"), (Role.DeskProvinsi, "16"), (Role.Admin, "16"), (Role.KpuOperator, "16.71"), (Role.Bawaslu, "16"),
        (Role.KppsOperator, "16.71"), (Role.Police, "16"),
    ];

    private static async Task<Stop> StopFor(Func<Role, string, Task<HttpClient>> clientFor, string path)
    {
        foreach (var (role, scope) in Candidates)
        {
            var client = await clientFor(role, scope);
            var res = await client.GetAsync(path);
            if (res.StatusCode == HttpStatusCode.OK || (path.StartsWith("/galat") && role == Role.Public)) return new Stop(path, role, scope);
        }
        throw new InvalidOperationException($"No role of the tour opens {path}.");
    }

    private static async Task Expect(Task<HttpResponseMessage> call, HttpStatusCode expected)
    {
        var res = await call;
        if (res.StatusCode != expected) throw new InvalidOperationException($"{res.RequestMessage?.RequestUri}: {(int)res.StatusCode} {await res.Content.ReadAsStringAsync()}");
    }

    private static async Task<JsonElement> Read(HttpResponseMessage res, HttpStatusCode expected)
    {
        var body = await res.Content.ReadAsStringAsync();
        if (res.StatusCode != expected) throw new InvalidOperationException($"{res.RequestMessage?.RequestUri}: {(int)res.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
