using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pantau.Core.Incidents;
using Pantau.Core.Readiness;
using Pantau.Core.Security;
using Pantau.Data;
using Pantau.Data.Readiness;
using Pantau.Data.Tally.Anomalies;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;
using Coord = Pantau.Data.Coordination;
using Inc = Pantau.Data.Incidents;

namespace Pantau.Web.Tests.Security;

/// <summary>
/// Test-side scope probes of the feature endpoints (coordination, incidents, kerawanan, readiness, anomalies, tally photos), keyed
/// "METHOD pattern". Each probe builds the same request twice from fixtures of two regions, so the only difference between the in-scope
/// and the out-of-scope request is the region: Palembang (16.71, the actor's scope) and Ogan Komering Ilir (16.02).
/// The in-scope requests are valid (they succeed), so a 403 for the other one can only come from the scope check.
/// </summary>
public static class FeatureScopeProbes
{
    private const string In = "16.71", Out = "16.02", Gub = "PILGUB-16";

    /// <summary>A PPS operator's desa (the first desa of Ilir Barat II, Palembang) for the photo probe.</summary>
    public const string ProbeDesa = "16.71.01.1001";

    private static readonly DateTimeOffset Due = new(2024, 11, 25, 2, 0, 0, TimeSpan.Zero);

    /// <summary>A probe whose two requests come from one factory applied to the in-scope and the out-of-scope region.</summary>
    private static ScopeProbe P(Role role, string actorScope, Func<IServiceProvider, string, Task<ProbeRequest>> make, string inside = In, string outside = Out) =>
        new(role, actorScope, sp => make(sp, inside), sp => make(sp, outside));

    private static PantauDbContext Db(IServiceProvider sp) => sp.GetRequiredService<PantauDbContext>();
    private static DateTimeOffset Now(IServiceProvider sp) => sp.GetRequiredService<TimeProvider>().GetUtcNow();
    private static string Unique() => Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    private static Task<string> Kec(IServiceProvider sp, string kab) =>
        Db(sp).Regions.Where(r => r.Level == Core.Regions.RegionLevel.Kecamatan && r.Code.StartsWith(kab + ".")).OrderBy(r => r.Code).Select(r => r.Code).FirstAsync();

    private static Task<Pantau.Data.Regions.Tps> Tps(IServiceProvider sp, string prefix, bool last = false)
    {
        var q = Db(sp).Tps.AsNoTracking().Where(t => t.DesaCode.StartsWith(prefix));
        return (last ? q.OrderByDescending(t => t.Code) : q.OrderBy(t => t.Code)).FirstAsync();
    }

    // ---------- coordination fixtures ----------

    private static async Task<Coord.Agency> Agency(IServiceProvider sp, string region)
    {
        var db = Db(sp);
        var a = new Coord.Agency { Code = $"{region}:PROBE-{Unique()}", Name = "Instansi uji " + region, Kind = Core.Coordination.AgencyKind.Other, RegionCode = region, Version = 1 };
        db.Agencies.Add(a);
        await db.SaveChangesAsync();
        return a;
    }

    private static async Task<Coord.Meeting> Meeting(IServiceProvider sp, string region)
    {
        var db = Db(sp);
        var m = new Coord.Meeting
        {
            Title = "Rakor uji", RegionCode = region, HeldAt = Now(sp), CreatedAt = Now(sp), CreatedBy = "probe", Version = 1,
            Decisions = [new Coord.Decision { Text = "Keputusan uji", Order = 1 }],
        };
        db.Meetings.Add(m);
        await db.SaveChangesAsync();
        return m;
    }

    private static async Task<Coord.Agreement> Agreement(IServiceProvider sp, string region)
    {
        var (a, b) = (await Agency(sp, region), await Agency(sp, region));
        var db = Db(sp);
        var g = new Coord.Agreement
        {
            Title = "Kesepakatan uji", RegionCode = region, SignedAt = Now(sp), Scope = "Pengamanan", CreatedAt = Now(sp), Version = 1,
            Parties = [new Coord.AgreementParty { AgencyId = a.Id }, new Coord.AgreementParty { AgencyId = b.Id }],
        };
        db.Agreements.Add(g);
        await db.SaveChangesAsync();
        return g;
    }

    private static async Task<Coord.FollowUpAction> FollowUp(IServiceProvider sp, string region)
    {
        var owner = await Agency(sp, region);
        var db = Db(sp);
        var a = new Coord.FollowUpAction
        {
            Title = "Tindak lanjut uji", OwnerAgencyId = owner.Id, RegionCode = region, DueAt = Due, Status = Core.Coordination.ActionStatus.Open,
            CreatedAt = Now(sp), UpdatedAt = Now(sp), Version = 1,
        };
        db.FollowUpActions.Add(a);
        await db.SaveChangesAsync();
        return a;
    }

    private static async Task<object> ActionBody(IServiceProvider sp, string region) =>
        new { title = "Tindak lanjut uji", ownerAgencyId = (await Agency(sp, region)).Id, dueAt = Due };

    // ---------- incident fixtures ----------

    private static async Task<Inc.Incident> Incident(IServiceProvider sp, string kab, IncidentCategory category = IncidentCategory.SecurityIncident)
    {
        var tps = await Tps(sp, kab + ".");
        var db = Db(sp);
        var now = Now(sp);
        var i = new Inc.Incident
        {
            Id = Guid.NewGuid(), TrackingCode = "LP-" + Unique(), Source = ReportSource.Officer, Category = category, Status = IncidentStatus.New,
            Severity = Severity.Medium, Urgency = Urgency.Normal, RegionCode = tps.DesaCode, KabKotaCode = tps.KabKotaCode, KecamatanCode = tps.KecamatanCode,
            OccurredAt = now, ReportedAt = now, Title = "Laporan uji", Description = "Laporan untuk uji cakupan wilayah", UpdatedAt = now, Version = 1,
        };
        db.Incidents.Add(i);
        await db.SaveChangesAsync();
        return i;
    }

    private static async Task<Inc.HoaxClaim> Claim(IServiceProvider sp, string region)
    {
        var db = Db(sp);
        var c = new Inc.HoaxClaim { Id = Guid.NewGuid(), Claim = "Klaim uji " + region, RegionCode = region, CreatedAt = Now(sp), Version = 1 };
        db.HoaxClaims.Add(c);
        await db.SaveChangesAsync();
        return c;
    }

    // ---------- readiness fixtures ----------

    private static async Task<LogisticsShipment> Shipment(IServiceProvider sp, string kab)
    {
        var kec = await Kec(sp, kab);
        var db = Db(sp);
        var s = new LogisticsShipment
        {
            Code = "S-" + kec + "-" + Unique(), FromLevel = CustodyLevel.Warehouse, FromCode = kab, ToLevel = CustodyLevel.Ppk, ToCode = kec, ToRegionCode = kec,
            KabKotaCode = kab, CreatedAt = Now(sp), CreatedBy = "probe",
        };
        db.LogisticsShipments.Add(s);
        await db.SaveChangesAsync();
        return s;
    }

    private static async Task<LogisticsHandover> Handover(IServiceProvider sp, string kab, long damaged = 0)
    {
        var kec = await Kec(sp, kab);
        var db = Db(sp);
        var h = new LogisticsHandover
        {
            FromLevel = CustodyLevel.Warehouse, FromCode = kab, ToLevel = CustodyLevel.Ppk, ToCode = kec, ToRegionCode = kec, KabKotaCode = kab,
            HandedOverAt = new DateTimeOffset(2024, 11, 19, 3, 0, 0, TimeSpan.Zero), HandedOverBy = "Gudang KPU", ReceivedBy = "Ketua PPK",
            RecordedAt = Now(sp), RecordedBy = "probe",
            Lines = [new LogisticsHandoverLine { ItemKey = $"{LogisticsRules.Ballot}:{Gub}", Sent = 1000, Received = 1000, Damaged = damaged }],
        };
        db.LogisticsHandovers.Add(h);
        await db.SaveChangesAsync();
        return h;
    }

    private static async Task<BallotReplacementRequest> Replacement(IServiceProvider sp, string kab)
    {
        var kec = await Kec(sp, kab);
        var db = Db(sp);
        var r = new BallotReplacementRequest
        {
            HolderCode = kec, RegionCode = kec, KabKotaCode = kab, ContestCode = Gub, Quantity = 5, Reason = "robek", Status = ReplacementStatus.Requested,
            RequestedAt = Now(sp), RequestedBy = "probe",
        };
        db.BallotReplacementRequests.Add(r);
        await db.SaveChangesAsync();
        return r;
    }

    // ---------- tally fixtures ----------

    private static async Task<TallyAnomaly> Anomaly(IServiceProvider sp, string kab)
    {
        var tps = await Tps(sp, kab + ".");
        var db = Db(sp);
        var now = Now(sp);
        var a = new TallyAnomaly
        {
            ContestCode = Gub, SubjectCode = tps.Code, Code = "PROBE-" + Unique(), RegionCode = tps.DesaCode, KabKotaCode = tps.KabKotaCode,
            KecamatanCode = tps.KecamatanCode, Severity = 2, Status = AnomalyStatus.Open, ReasonId = "uji", ReasonEn = "probe", VersionNo = 1,
            FirstDetectedAt = now, LastDetectedAt = now, UpdatedAt = now, Version = 1,
        };
        db.TallyAnomalies.Add(a);
        await db.SaveChangesAsync();
        return a;
    }

    /// <summary>A C.Hasil photo referenced by an accepted sheet of the last TPS of a desa (a TPS no other probe submits to).</summary>
    private static async Task<Guid> SheetPhoto(IServiceProvider sp, string desaPrefix)
    {
        var tps = await Tps(sp, desaPrefix, last: true);
        var saved = await sp.GetRequiredService<IFileStore>().SaveAsync(new MemoryStream(ProbeUpload.Jpeg("photo").Content.Concat(Guid.NewGuid().ToByteArray()).ToArray()),
            "c-hasil.jpg", FileKinds.Image);
        var input = new Tally.SheetInput(TallySheets.Valid(Gub, tps.Code, 7, 5, 3), PhotoId: saved.File!.Id);
        var outcome = (await sp.GetRequiredService<Tally.TallyService>().SubmitAsync(Actor.System, "api", [input]))[0];
        if (!outcome.Stored) throw new InvalidOperationException($"photo fixture for {tps.Code}: {outcome.Outcome} {outcome.Error}");
        return saved.File.Id;
    }

    /// <summary>Another desa of the probe desa's kecamatan.</summary>
    private static Task<string> NeighbourDesa(IServiceProvider sp)
    {
        var kec = ProbeDesa[..ProbeDesa.LastIndexOf('.')];
        return Db(sp).Tps.Where(t => t.KecamatanCode == kec && t.DesaCode != ProbeDesa).OrderBy(t => t.DesaCode).Select(t => t.DesaCode).FirstAsync();
    }

    public static readonly Dictionary<string, ScopeProbe> All = new()
    {
        // ---- coordination: the Desk of Palembang ----
        ["POST /api/coordination/agencies"] = P(Role.DeskKabKota, In, (_, r) =>
            Task.FromResult(new ProbeRequest("POST", "/api/coordination/agencies", new { name = "PLN uji", kind = "Other", regionCode = r }))),
        ["PUT /api/coordination/agencies/{id:int}"] = P(Role.DeskKabKota, In, async (sp, r) =>
            new ProbeRequest("PUT", $"/api/coordination/agencies/{(await Agency(sp, r)).Id}", new { contact = "0711-000000" })),
        ["POST /api/coordination/agencies/generate"] = P(Role.DeskKabKota, In, async (sp, r) =>
            new ProbeRequest("POST", $"/api/coordination/agencies/generate?region={await Kec(sp, r)}")),
        ["POST /api/coordination/meetings"] = P(Role.DeskKabKota, In, (sp, r) =>
            Task.FromResult(new ProbeRequest("POST", "/api/coordination/meetings", new { title = "Rakor uji", regionCode = r, heldAt = Now(sp) }))),
        ["PUT /api/coordination/meetings/{id:int}/minutes"] = P(Role.DeskKabKota, In, async (sp, r) =>
            new ProbeRequest("PUT", $"/api/coordination/meetings/{(await Meeting(sp, r)).Id}/minutes", new { minutes = "Notulen uji" })),
        ["POST /api/coordination/meetings/{id:int}/decisions"] = P(Role.DeskKabKota, In, async (sp, r) =>
            new ProbeRequest("POST", $"/api/coordination/meetings/{(await Meeting(sp, r)).Id}/decisions", new { text = "Keputusan uji" })),
        ["POST /api/coordination/decisions/{id:int}/actions"] = P(Role.DeskKabKota, In, async (sp, r) =>
            new ProbeRequest("POST", $"/api/coordination/decisions/{(await Meeting(sp, r)).Decisions[0].Id}/actions", await ActionBody(sp, r))),
        ["POST /api/coordination/actions/{id:int}/status"] = P(Role.DeskKabKota, In, async (sp, r) =>
            new ProbeRequest("POST", $"/api/coordination/actions/{(await FollowUp(sp, r)).Id}/status", new { status = "InProgress" })),
        ["POST /api/coordination/agreements"] = P(Role.DeskKabKota, In, async (sp, r) =>
            new ProbeRequest("POST", "/api/coordination/agreements", new
            {
                title = "Kesepakatan uji", regionCode = r, signedAt = Now(sp), scope = "Pengamanan",
                partyAgencyIds = new[] { (await Agency(sp, r)).Id, (await Agency(sp, r)).Id },
            })),
        ["POST /api/coordination/agreements/{id:int}/actions"] = P(Role.DeskKabKota, In, async (sp, r) =>
            new ProbeRequest("POST", $"/api/coordination/agreements/{(await Agreement(sp, r)).Id}/actions", await ActionBody(sp, r))),
        ["POST /api/coordination/agreements/{id:int}/document"] = P(Role.DeskKabKota, In, async (sp, r) =>
            new ProbeRequest("POST", $"/api/coordination/agreements/{(await Agreement(sp, r)).Id}/document") { Upload = ProbeUpload.Pdf("file") }),
        ["POST /api/coordination/reports"] = P(Role.DeskKabKota, In, (_, r) =>
            Task.FromResult(new ProbeRequest("POST", $"/api/coordination/reports?region={r}"))),

        // ---- incidents: a police officer of Palembang ----
        ["POST /api/incidents/"] = P(Role.Police, In, async (sp, r) =>
            new ProbeRequest("POST", "/api/incidents/", new { category = "SecurityIncident", regionCode = await Kec(sp, r), title = "Laporan uji", description = "Laporan untuk uji cakupan wilayah" })),
        ["POST /api/incidents/hoax"] = P(Role.Police, In, (_, r) =>
            Task.FromResult(new ProbeRequest("POST", "/api/incidents/hoax", new { claim = "Klaim uji cakupan", regionCode = r }))),
        ["POST /api/incidents/hoax/{id:guid}/verdict"] = P(Role.Police, In, async (sp, r) =>
            new ProbeRequest("POST", $"/api/incidents/hoax/{(await Claim(sp, r)).Id}/verdict", new { verdict = "Hoaks", publish = false })),
        ["POST /api/incidents/{id:guid}/claim"] = P(Role.Police, In, async (sp, r) =>
            new ProbeRequest("POST", $"/api/incidents/{(await Incident(sp, r, IncidentCategory.Hoax)).Id}/claim", new { claimId = (await Claim(sp, r)).Id })),
        ["POST /api/incidents/{id:guid}/evidence"] = P(Role.Police, In, async (sp, r) =>
            new ProbeRequest("POST", $"/api/incidents/{(await Incident(sp, r)).Id}/evidence") { Upload = ProbeUpload.Jpeg("file") }),
        ["POST /api/incidents/{id:guid}/transition"] = P(Role.Police, In, async (sp, r) =>
            new ProbeRequest("POST", $"/api/incidents/{(await Incident(sp, r)).Id}/transition", new { action = "Verify" })),
        ["POST /api/incidents/{id:guid}/triage"] = P(Role.Police, In, async (sp, r) =>
            new ProbeRequest("POST", $"/api/incidents/{(await Incident(sp, r)).Id}/triage", new { severity = "High" })),
        ["PUT /api/kerawanan/tps/{code}"] = P(Role.Panwascam, In, async (sp, r) =>
            new ProbeRequest("PUT", $"/api/kerawanan/tps/{(await Tps(sp, r + ".")).Code}", new { variables = new[] { "Security" }, note = "uji" })),

        // ---- readiness ----
        ["PUT /api/readiness/tahapan/{code}"] = new(Role.DeskProvinsi, "16",
            _ => Task.FromResult(new ProbeRequest("PUT", "/api/readiness/tahapan/masa-tenang", new { start = "2024-11-24", end = "2024-11-26" })),
            _ => Task.FromResult(new ProbeRequest("PUT", "/api/readiness/tahapan/masa-tenang", new { start = "2024-11-24", end = "2024-11-26" })))
            { OutOfScopeActorScope = In }, // the schedule is province-wide: a kab/kota scope is too narrow
        ["PUT /api/readiness/tasks/{template}/{subject}"] = P(Role.Camat, In, async (sp, r) =>
            new ProbeRequest("PUT", $"/api/readiness/tasks/kec-gudang-ppk/{await Kec(sp, r)}", new { status = "Done" })),
        ["POST /api/readiness/tasks/{template}/{subject}/photo"] = P(Role.Camat, In, async (sp, r) =>
            new ProbeRequest("POST", $"/api/readiness/tasks/kec-gudang-ppk/{await Kec(sp, r)}/photo") { Upload = ProbeUpload.Jpeg("photo") }),
        ["POST /api/readiness/logistics/handovers"] = P(Role.KpuOperator, In, async (sp, r) =>
            new ProbeRequest("POST", "/api/readiness/logistics/handovers", new
            {
                from = r, to = await Kec(sp, r), handedOverAt = "2024-11-19T10:00:00+07:00", handedOverBy = "Gudang KPU", receivedBy = "Ketua PPK",
                lines = new[] { new { item = $"{LogisticsRules.Ballot}:{Gub}", sent = 100, received = 100, damaged = 0 } },
            })),
        ["POST /api/readiness/logistics/handovers/{id:long}/void"] = P(Role.KpuOperator, In, async (sp, r) =>
            new ProbeRequest("POST", $"/api/readiness/logistics/handovers/{(await Handover(sp, r)).Id}/void", new { reason = "salah tulis jumlah" })),
        ["POST /api/readiness/logistics/handovers/{id:long}/photo"] = P(Role.KpuOperator, In, async (sp, r) =>
            new ProbeRequest("POST", $"/api/readiness/logistics/handovers/{(await Handover(sp, r)).Id}/photo") { Upload = ProbeUpload.Jpeg("photo") }),
        ["POST /api/readiness/logistics/shipments"] = P(Role.KpuOperator, In, async (sp, r) =>
            new ProbeRequest("POST", "/api/readiness/logistics/shipments", new { from = r, to = await Kec(sp, r) })),
        ["POST /api/readiness/logistics/shipments/{code}/scan"] = P(Role.KpuOperator, In, async (sp, r) =>
            new ProbeRequest("POST", $"/api/readiness/logistics/shipments/{(await Shipment(sp, r)).Code}/scan", new { label = "1671011001001-PILGUB-16" })),
        ["POST /api/readiness/logistics/replacements"] = P(Role.KpuOperator, In, async (sp, r) =>
            new ProbeRequest("POST", "/api/readiness/logistics/replacements", new { holder = (await Handover(sp, r, damaged: 10)).ToCode, contest = Gub, quantity = 1, reason = "robek" })),
        ["PUT /api/readiness/logistics/replacements/{id:long}"] = P(Role.KpuOperator, In, async (sp, r) =>
            new ProbeRequest("PUT", $"/api/readiness/logistics/replacements/{(await Replacement(sp, r)).Id}", new { status = "Approved" })),
        ["PUT /api/readiness/logistics/stock/{kabKota}"] = P(Role.KpuOperator, In, (_, r) =>
            Task.FromResult(new ProbeRequest("PUT", $"/api/readiness/logistics/stock/{r}", new { items = new Dictionary<string, long> { [$"{LogisticsRules.Ballot}:{Gub}"] = 1000 } }))),

        // ---- tally: anomaly queue, scan, photos ----
        ["POST /api/tally/anomalies/{id:long}/{action}"] = P(Role.Bawaslu, In, async (sp, r) =>
            new ProbeRequest("POST", $"/api/tally/anomalies/{(await Anomaly(sp, r)).Id}/acknowledge", new { note = "dicek" })),
        ["POST /api/tally/anomalies/scan"] = new(Role.Admin, "",
            _ => Task.FromResult(new ProbeRequest("POST", "/api/tally/anomalies/scan")),
            _ => Task.FromResult(new ProbeRequest("POST", "/api/tally/anomalies/scan")))
            { OutOfScopeActorScope = In }, // the scan acts on every region: only a national admin may run it
        // A private read: a PPS operator sees the C.Hasil photos of its own desa only (not of the next desa in the same kecamatan).
        ["GET /api/tally/photos/{id:guid}"] = new(Role.PpsOperator, ProbeDesa,
            async sp => new ProbeRequest("GET", $"/api/tally/photos/{await SheetPhoto(sp, ProbeDesa)}"),
            async sp => new ProbeRequest("GET", $"/api/tally/photos/{await SheetPhoto(sp, await NeighbourDesa(sp))}")),
    };
}
