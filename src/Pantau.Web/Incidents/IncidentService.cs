using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Incidents;
using Pantau.Core.Regions;
using Pantau.Core.Security;
using Pantau.Data;
using Pantau.Data.Incidents;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Incidents;

public sealed record CreateIncidentRequest(
    IncidentCategory? Category, string? RegionCode, string? TpsCode, double? Latitude, double? Longitude, DateTimeOffset? OccurredAt,
    string? Title, string? Description, Severity? Severity = null, Urgency? Urgency = null,
    string? ReporterName = null, string? ReporterContact = null, string? AsnAgency = null, string? AsnPosition = null, string? AsnName = null);

public sealed record TransitionRequest(IncidentAction? Action, string? Note, Agency? Agency = null, RejectReason? RejectReason = null, string? MergeInto = null, long? Version = null);
public sealed record TriageRequest(Severity? Severity, Urgency? Urgency);
public sealed record CreatedReport(Guid Id, string TrackingCode, string? Secret, IncidentStatus Status);

/// <summary>What a citizen sees of their own report: nothing but its progress.</summary>
public sealed record PublicStatus(string TrackingCode, IncidentCategory Category, IncidentStatus Status, string StatusId, string StatusEn, DateTimeOffset ReportedAt, DateTimeOffset UpdatedAt, Agency? ReferredTo);

public sealed record IncidentListItem(Guid Id, string TrackingCode, ReportSource Source, IncidentCategory Category, IncidentStatus Status, Severity Severity, Urgency Urgency,
    string RegionCode, string KabKotaCode, DateTimeOffset OccurredAt, DateTimeOffset ReportedAt, string Title, Agency? ReferredTo, string? AsnAgency, string? AsnPosition,
    DateTimeOffset? DueAt, bool Overdue, int EscalatedStage, Guid? HoaxClaimId, Guid? MergedIntoId, double? Latitude, double? Longitude);

public sealed record EventDto(DateTimeOffset At, string Actor, string ActorRole, string Action, IncidentStatus? FromStatus, IncidentStatus? ToStatus, string? Note);
public sealed record EvidenceDto(long Id, Guid FileId, string FileName, string ContentType, long Size, string Sha256, string Url);

/// <summary>Full view for officers whose scope covers the report (includes the private reporter contact and ASN name).</summary>
public sealed record IncidentDetail(IncidentListItem Summary, string Description, string? TpsCode, string? ReporterName, string? ReporterContact, string? ReporterUserName,
    string? AsnName, RejectReason? RejectReason, DateTimeOffset? VerifiedAt, DateTimeOffset? ReferredAt, DateTimeOffset? ActionTakenAt, DateTimeOffset? ClosedAt,
    long Version, IReadOnlyList<EvidenceDto> Evidence, IReadOnlyList<EventDto> History, IReadOnlyList<IncidentAction> AllowedActions, IReadOnlyList<Guid> MergedReports);

public sealed class ServiceResult<T>
{
    public T? Value { get; init; }
    public int Status { get; init; } = 200;
    public string? Error { get; init; }
    public Dictionary<string, string[]>? Errors { get; init; }
    public bool Ok => Error is null && Errors is null;
    public static ServiceResult<T> Success(T v) => new() { Value = v };
    public static ServiceResult<T> Fail(int status, string error) => new() { Status = status, Error = error };
    public static ServiceResult<T> Invalid(Dictionary<string, string[]> errors) => new() { Status = 400, Errors = errors };
}

/// <summary>Reports, workflow, hoax desk and ASN statistics. Authorization by role happens on the endpoints; region scope here.</summary>
public sealed class IncidentService(PantauDbContext db, TimeProvider time, ILiveUpdates live)
{
    public const string Topic = "incidents";

    /// <summary>The live topic that carries the incidents of <paramref name="region"/> (events name the kab/kota; see <see cref="LiveHub.KabKotaTopic"/>).</summary>
    public static string TopicFor(string region) => LiveHub.KabKotaTopic(Topic, region);
    private const string TrackingAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public static string HashSecret(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret.Trim().ToUpperInvariant())));

    private static string RandomCode(int n) => string.Create(n, 0, (span, _) =>
    {
        for (var i = 0; i < span.Length; i++) span[i] = TrackingAlphabet[RandomNumberGenerator.GetInt32(TrackingAlphabet.Length)];
    });

    public static IQueryable<Incident> InScope(IQueryable<Incident> q, string scope) =>
        scope.Length == 0 ? q : q.Where(i => i.RegionCode == scope || i.RegionCode.StartsWith(scope + "."));

    public async Task<ServiceResult<CreatedReport>> CreateAsync(CreateIncidentRequest r, Actor actor, bool citizen, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        void Err(string k, string m) => errors[k] = [m];
        var now = time.GetUtcNow();
        if (r.Category is null || !Enum.IsDefined(r.Category.Value)) Err("category", "Pilih kategori / choose a category.");
        var title = r.Title?.Trim() ?? "";
        var description = r.Description?.Trim() ?? "";
        // Scope first (issue 20): the place the request names (its TPS, else its region) is checked before any validation, so an
        // outsider learns nothing from the validation messages. A map point is checked once it is resolved, below.
        if (!citizen)
        {
            var named = !string.IsNullOrWhiteSpace(r.TpsCode)
                ? await db.Tps.AsNoTracking().Where(t => t.Code == r.TpsCode.Trim()).Select(t => t.DesaCode).FirstOrDefaultAsync(ct)
                : r.RegionCode?.Trim();
            if (RegionCode.IsValid(named) && !actor.Covers(named!))
                return ServiceResult<CreatedReport>.Fail(403, "Wilayah di luar cakupan Anda / region outside your scope.");
        }
        if (title.Length is < 5 or > 200) Err("title", "Judul 5–200 karakter / title must be 5–200 characters.");
        if (description.Length is < 10 or > Pantau.Core.Text.TextRules.Details) Err("description", "Uraian 10–4000 karakter / description must be 10–4000 characters.");
        if (r.OccurredAt is { } at && (at > now.AddMinutes(10) || at < now.AddDays(-365)))
            Err("occurredAt", "Waktu kejadian tidak boleh di masa depan atau lebih dari setahun lalu / the time cannot be in the future or over a year ago.");
        if (r.Latitude.HasValue != r.Longitude.HasValue) Err("latitude", "Isi lintang dan bujur bersama / give both latitude and longitude.");
        else if (r.Latitude is { } lat && r.Longitude is { } lng && !IndonesiaBounds.Contains(lat, lng))
            Err("latitude", "Titik peta di luar wilayah Indonesia / the map point lies outside Indonesia.");
        if (r.Severity is { } sev && !Enum.IsDefined(sev)) Err("severity", "Tingkat keparahan tidak dikenal / unknown severity.");
        if (r.Urgency is { } urg && !Enum.IsDefined(urg)) Err("urgency", "Urgensi tidak dikenal / unknown urgency.");
        if ((r.ReporterContact?.Length ?? 0) > 120) Err("reporterContact", "Kontak terlalu panjang / contact too long.");
        if ((r.ReporterName?.Length ?? 0) > 120) Err("reporterName", "Nama terlalu panjang / name too long.");
        if ((r.AsnAgency?.Length ?? 0) > 200 || (r.AsnPosition?.Length ?? 0) > 200 || (r.AsnName?.Length ?? 0) > 120) Err("asnAgency", "Data ASN terlalu panjang / civil-servant details too long.");
        if (r.Category == IncidentCategory.AsnNeutrality && string.IsNullOrWhiteSpace(r.AsnAgency))
            Err("asnAgency", "Sebutkan instansi ASN yang dilaporkan / name the civil servant's agency.");

        // Location: TPS, region code, or a map point (resolved to the nearest kecamatan).
        string? region = null, tpsCode = null;
        if (!string.IsNullOrWhiteSpace(r.TpsCode))
        {
            var tps = await db.Tps.AsNoTracking().FirstOrDefaultAsync(t => t.Code == r.TpsCode.Trim(), ct);
            if (tps is null) Err("tpsCode", "TPS tidak ditemukan / TPS not found.");
            else { tpsCode = tps.Code; region = tps.DesaCode; }
        }
        if (region is null && !string.IsNullOrWhiteSpace(r.RegionCode))
        {
            var code = r.RegionCode.Trim();
            if (!RegionCode.TryGetLevel(code, out var level) || level < RegionLevel.KabKota) Err("regionCode", "Kode wilayah harus kab/kota, kecamatan atau desa (mis. 16.71.01) / region code must be a kab/kota, kecamatan or desa (e.g. 16.71.01).");
            else if (!await db.Regions.AnyAsync(x => x.Code == code, ct)) Err("regionCode", $"Wilayah {code} tidak ditemukan / region not found.");
            else region = code;
        }
        if (region is null && !errors.ContainsKey("regionCode") && !errors.ContainsKey("tpsCode"))
        {
            if (r.Latitude is { } la && r.Longitude is { } lo && IndonesiaBounds.Contains(la, lo))
            {
                region = await NearestKecamatanAsync(la, lo, ct);
                if (region is null) Err("regionCode", "Titik peta tidak berada di wilayah yang dilayani / the map point is not in a served region.");
            }
            else if (!errors.ContainsKey("latitude")) Err("regionCode", "Sebutkan wilayah atau titik peta / give a region or a map point.");
        }
        if (errors.Count > 0) return ServiceResult<CreatedReport>.Invalid(errors);
        if (!citizen && !actor.Covers(region!))
            return ServiceResult<CreatedReport>.Fail(403, "Wilayah di luar cakupan Anda / region outside your scope.");

        var secret = citizen ? RandomCode(10) : null;
        var incident = new Incident
        {
            Id = Guid.NewGuid(),
            TrackingCode = "LP-" + RandomCode(8),
            SecretHash = secret is null ? null : HashSecret(secret),
            Source = citizen ? ReportSource.Citizen : ReportSource.Officer,
            Category = r.Category!.Value,
            Status = IncidentStatus.New,
            Severity = r.Severity ?? Severity.Medium,
            Urgency = r.Urgency ?? Urgency.Normal,
            RegionCode = region!,
            KabKotaCode = RegionCode.AncestorAt(region!, RegionLevel.KabKota),
            KecamatanCode = RegionCode.LevelOf(region!) >= RegionLevel.Kecamatan ? RegionCode.AncestorAt(region!, RegionLevel.Kecamatan) : null,
            TpsCode = tpsCode,
            Latitude = r.Latitude,
            Longitude = r.Longitude,
            OccurredAt = (r.OccurredAt ?? now).ToUniversalTime(),
            ReportedAt = now,
            Title = title,
            Description = description,
            ReporterName = Clean(r.ReporterName),
            ReporterContact = Clean(r.ReporterContact),
            ReporterUserId = citizen ? null : actor.UserId,
            ReporterUserName = citizen ? null : actor.UserName,
            AsnAgency = Clean(r.AsnAgency),
            AsnPosition = Clean(r.AsnPosition),
            AsnName = Clean(r.AsnName),
            UpdatedAt = now,
            Version = 1,
        };
        db.Incidents.Add(incident);
        AddEvent(incident, citizen ? "warga / citizen" : actor.UserName, citizen ? "Public" : actor.Role.ToString(), "reported", null, IncidentStatus.New, null);
        await db.SaveChangesAsync(ct);
        await Publish(incident, "reported", ct);
        return ServiceResult<CreatedReport>.Success(new CreatedReport(incident.Id, incident.TrackingCode, secret, incident.Status));
    }

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private async Task<string?> NearestKecamatanAsync(double lat, double lng, CancellationToken ct)
    {
        var kec = await db.Regions.AsNoTracking().Where(x => x.Level == RegionLevel.Kecamatan && x.Latitude != null && x.Longitude != null)
            .Select(x => new { x.Code, x.Latitude, x.Longitude }).ToListAsync(ct);
        var best = kec.Select(k => (k.Code, D: Math.Pow(k.Latitude!.Value - lat, 2) + Math.Pow(k.Longitude!.Value - lng, 2))).OrderBy(x => x.D).FirstOrDefault();
        // Farther than ~0.5° (≈ 55 km) from every known kecamatan: not a region we serve.
        return best.Code is null || best.D > 0.25 ? null : best.Code;
    }

    private void AddEvent(Incident i, string actor, string role, string action, IncidentStatus? from, IncidentStatus? to, string? note) =>
        db.IncidentEvents.Add(new IncidentEvent { IncidentId = i.Id, At = time.GetUtcNow(), Actor = actor, ActorRole = role, Action = action, FromStatus = from, ToStatus = to, Note = note });

    private async Task Publish(Incident i, string type, CancellationToken ct) =>
        await live.PublishAsync(Topic + ":" + i.KabKotaCode, type, new { id = i.Id, region = i.KabKotaCode, status = i.Status.ToString() }, ct);

    /// <summary>A citizen's view of their own report, given its code and secret. Any mismatch looks the same as an unknown code.</summary>
    public async Task<PublicStatus?> TrackAsync(string? code, string? secret, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(code) || string.IsNullOrWhiteSpace(secret) || code.Length > 16 || secret.Length > 32
            || Pantau.Core.Text.TextRules.HasInvalidChar(code) || Pantau.Core.Text.TextRules.HasInvalidChar(secret)) return null; // PostgreSQL refuses U+0000 even in a query
        var c = code.Trim().ToUpperInvariant();
        var i = await db.Incidents.AsNoTracking().FirstOrDefaultAsync(x => x.TrackingCode == c, ct);
        if (i?.SecretHash is null) return null;
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(i.SecretHash), Encoding.ASCII.GetBytes(HashSecret(secret)))) return null;
        var shown = i.Status;
        var (id, en) = IncidentLabels.Of(shown);
        return new PublicStatus(i.TrackingCode, i.Category, shown, id, en, i.ReportedAt, i.UpdatedAt, i.ReferredTo);
    }

    public IQueryable<Incident> Query(Actor actor, string? region, IncidentStatus? status, IncidentCategory? category, bool openOnly, Severity? severity = null)
    {
        var q = InScope(db.Incidents.AsNoTracking(), actor.ScopeCode);
        if (!string.IsNullOrEmpty(region)) q = q.Where(i => i.RegionCode == region || i.RegionCode.StartsWith(region + "."));
        if (status is { } s) q = q.Where(i => i.Status == s);
        if (category is { } c) q = q.Where(i => i.Category == c);
        if (severity is { } sv) q = q.Where(i => i.Severity == sv);
        if (openOnly) q = q.Where(i => i.Status == IncidentStatus.New || i.Status == IncidentStatus.Verified || i.Status == IncidentStatus.Referred || i.Status == IncidentStatus.ActionTaken);
        return q;
    }

    public async Task<List<IncidentListItem>> ListAsync(Actor actor, string? region, IncidentStatus? status, IncidentCategory? category, bool openOnly, int take, CancellationToken ct,
        Severity? severity = null)
    {
        var rows = await Query(actor, region, status, category, openOnly, severity).OrderByDescending(i => i.ReportedAt).Take(Math.Clamp(take, 1, 5000)).ToListAsync(ct);
        var now = time.GetUtcNow();
        return rows.Select(i => ToItem(i, now)).OrderByDescending(i => i.Overdue).ThenByDescending(i => i.Severity).ThenByDescending(i => i.ReportedAt).ToList();
    }

    public static IncidentListItem ToItem(Incident i, DateTimeOffset now)
    {
        var sla = Sla.Evaluate(i.Status, i.Severity, i.ReportedAt, i.VerifiedAt, now);
        return new IncidentListItem(i.Id, i.TrackingCode, i.Source, i.Category, i.Status, i.Severity, i.Urgency, i.RegionCode, i.KabKotaCode, i.OccurredAt, i.ReportedAt,
            i.Title, i.ReferredTo, i.AsnAgency, i.AsnPosition, sla.DueAt, sla.IsOverdue, i.EscalatedStage, i.HoaxClaimId, i.MergedIntoId, i.Latitude, i.Longitude);
    }

    public async Task<ServiceResult<IncidentDetail>> DetailAsync(Guid id, Actor actor, CancellationToken ct)
    {
        var i = await db.Incidents.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (i is null) return ServiceResult<IncidentDetail>.Fail(404, "Laporan tidak ditemukan / report not found.");
        if (!actor.Covers(i.RegionCode)) return ServiceResult<IncidentDetail>.Fail(403, "Laporan di luar cakupan wilayah Anda / report outside your scope.");
        var evidence = await db.IncidentEvidence.AsNoTracking().Where(e => e.IncidentId == id).OrderBy(e => e.Id)
            .Select(e => new EvidenceDto(e.Id, e.FileId, e.FileName, e.ContentType, e.Size, e.Sha256, "/api/incidents/" + id + "/evidence/" + e.FileId)).ToListAsync(ct);
        var history = await db.IncidentEvents.AsNoTracking().Where(e => e.IncidentId == id).OrderBy(e => e.Id)
            .Select(e => new EventDto(e.At, e.Actor, e.ActorRole, e.Action, e.FromStatus, e.ToStatus, e.Note)).ToListAsync(ct);
        var merged = await db.Incidents.AsNoTracking().Where(x => x.MergedIntoId == id).Select(x => x.Id).ToListAsync(ct);
        return ServiceResult<IncidentDetail>.Success(new IncidentDetail(ToItem(i, time.GetUtcNow()), i.Description, i.TpsCode, i.ReporterName, i.ReporterContact, i.ReporterUserName,
            i.AsnName, i.RejectReason, i.VerifiedAt, i.ReferredAt, i.ActionTakenAt, i.ClosedAt, i.Version, evidence, history,
            IncidentWorkflow.AllowedActions(i.Status, actor.Role).ToList(), merged));
    }

    public async Task<ServiceResult<IncidentDetail>> TransitionAsync(Guid id, TransitionRequest r, Actor actor, CancellationToken ct)
    {
        if (r.Action is null || !Enum.IsDefined(r.Action.Value))
            return ServiceResult<IncidentDetail>.Invalid(new() { ["action"] = ["Tindakan tidak dikenal / unknown action (Verify, Reject, MergeInto, Refer, RecordAction, Close, Reopen)."] });
        if ((r.Note?.Length ?? 0) > 2000) return ServiceResult<IncidentDetail>.Invalid(new() { ["note"] = ["Catatan maksimal 2000 karakter / note at most 2000 characters."] });
        var i = await db.Incidents.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (i is null) return ServiceResult<IncidentDetail>.Fail(404, "Laporan tidak ditemukan / report not found.");
        if (!actor.Covers(i.RegionCode)) return ServiceResult<IncidentDetail>.Fail(403, "Laporan di luar cakupan wilayah Anda / report outside your scope.");
        if (r.Version is { } v && v != i.Version) return ServiceResult<IncidentDetail>.Fail(409, "Laporan telah diubah orang lain; muat ulang / the report was changed by someone else; reload.");
        var action = r.Action.Value;
        var decision = IncidentWorkflow.Decide(i.Status, action, actor.Role);
        if (!decision.Allowed) return ServiceResult<IncidentDetail>.Fail(IncidentWorkflow.RolesFor(action).Contains(actor.Role) ? 409 : 403, decision.Error!);
        var now = time.GetUtcNow();
        var note = Clean(r.Note);
        switch (action)
        {
            case IncidentAction.Verify:
                i.VerifiedAt = now;
                break;
            case IncidentAction.Reject:
                if (r.RejectReason is null || !Enum.IsDefined(r.RejectReason.Value))
                    return ServiceResult<IncidentDetail>.Invalid(new() { ["rejectReason"] = ["Sebutkan alasan penolakan (Noise, Duplicate, OutOfScope) / give a reason."] });
                i.RejectReason = r.RejectReason;
                break;
            case IncidentAction.MergeInto:
                var target = await FindAsync(r.MergeInto, ct);
                if (target is null || target.Id == i.Id)
                    return ServiceResult<IncidentDetail>.Invalid(new() { ["mergeInto"] = ["Laporan tujuan penggabungan tidak ditemukan / the report to merge into was not found."] });
                if (!actor.Covers(target.RegionCode)) return ServiceResult<IncidentDetail>.Fail(403, "Laporan tujuan di luar cakupan Anda / target report outside your scope.");
                if (target.Status is IncidentStatus.Merged or IncidentStatus.Rejected)
                    return ServiceResult<IncidentDetail>.Invalid(new() { ["mergeInto"] = ["Laporan tujuan sudah digabung atau ditolak / the target is merged or rejected."] });
                i.MergedIntoId = target.Id;
                i.RejectReason = RejectReason.Duplicate;
                target.HoaxClaimId ??= i.HoaxClaimId;
                target.UpdatedAt = now; target.Version++;
                AddEvent(target, actor.UserName, actor.Role.ToString(), "merged-in", target.Status, target.Status, $"{i.TrackingCode} digabung ke laporan ini / merged into this report");
                note = $"→ {target.TrackingCode}" + (note is null ? "" : ": " + note);
                break;
            case IncidentAction.Refer:
                if (r.Agency is null || !Enum.IsDefined(r.Agency.Value))
                    return ServiceResult<IncidentDetail>.Invalid(new() { ["agency"] = ["Pilih instansi tujuan / choose the agency to refer to."] });
                if (i.Category == IncidentCategory.AsnNeutrality && !IncidentWorkflow.IsValidAsnReferral(i.ReferredTo, r.Agency.Value))
                    return ServiceResult<IncidentDetail>.Invalid(new() { ["agency"] = ["Laporan netralitas ASN diteruskan ke Bawaslu dahulu, lalu ke BKN, KASN atau PPK instansi / ASN reports go to Bawaslu first, then BKN, KASN or the agency's PPK."] });
                i.ReferredTo = r.Agency;
                i.ReferredAt = now;
                note = IncidentLabels.Of(r.Agency.Value).Id + (note is null ? "" : ": " + note);
                break;
            case IncidentAction.RecordAction:
                if (note is null) return ServiceResult<IncidentDetail>.Invalid(new() { ["note"] = ["Uraikan tindakan yang diambil / describe the action taken."] });
                i.ActionTakenAt ??= now;
                break;
            case IncidentAction.Close:
                i.ClosedAt = now;
                break;
            case IncidentAction.Reopen:
                i.ClosedAt = null;
                i.RejectReason = null;
                i.EscalatedStage = 0;
                break;
        }
        var from = i.Status;
        i.Status = decision.To;
        i.UpdatedAt = now;
        i.Version++;
        AddEvent(i, actor.UserName, actor.Role.ToString(), action.ToString(), from, i.Status, note);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException) { return ServiceResult<IncidentDetail>.Fail(409, "Laporan telah diubah orang lain; muat ulang / the report was changed by someone else; reload."); }
        await Publish(i, action.ToString(), ct);
        return await DetailAsync(id, actor, ct);
    }

    public async Task<Incident?> FindAsync(string? idOrCode, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(idOrCode)) return null;
        if (Guid.TryParse(idOrCode, out var g)) return await db.Incidents.FirstOrDefaultAsync(x => x.Id == g, ct);
        var code = idOrCode.Trim().ToUpperInvariant();
        return await db.Incidents.FirstOrDefaultAsync(x => x.TrackingCode == code, ct);
    }

    public async Task<ServiceResult<IncidentDetail>> TriageAsync(Guid id, TriageRequest r, Actor actor, CancellationToken ct)
    {
        if (r.Severity is { } s && !Enum.IsDefined(s) || r.Urgency is { } u && !Enum.IsDefined(u) || r.Severity is null && r.Urgency is null)
            return ServiceResult<IncidentDetail>.Invalid(new() { ["severity"] = ["Isi tingkat keparahan dan/atau urgensi yang sah / give a valid severity and/or urgency."] });
        var i = await db.Incidents.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (i is null) return ServiceResult<IncidentDetail>.Fail(404, "Laporan tidak ditemukan / report not found.");
        if (!actor.Covers(i.RegionCode)) return ServiceResult<IncidentDetail>.Fail(403, "Laporan di luar cakupan wilayah Anda / report outside your scope.");
        if (!IncidentWorkflow.IsOpen(i.Status)) return ServiceResult<IncidentDetail>.Fail(409, "Laporan sudah tidak aktif / the report is no longer open.");
        var note = $"{i.Severity}/{i.Urgency} → {r.Severity ?? i.Severity}/{r.Urgency ?? i.Urgency}";
        i.Severity = r.Severity ?? i.Severity;
        i.Urgency = r.Urgency ?? i.Urgency;
        i.UpdatedAt = time.GetUtcNow(); i.Version++;
        AddEvent(i, actor.UserName, actor.Role.ToString(), "triage", i.Status, i.Status, note);
        await db.SaveChangesAsync(ct);
        return await DetailAsync(id, actor, ct);
    }

    public async Task<ServiceResult<EvidenceDto>> AddEvidenceAsync(Guid id, IFormFile file, IFileStore store, Actor? actor, CancellationToken ct)
    {
        var i = await db.Incidents.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (i is null) return ServiceResult<EvidenceDto>.Fail(404, "Laporan tidak ditemukan / report not found.");
        if (actor is not null && !actor.Covers(i.RegionCode)) return ServiceResult<EvidenceDto>.Fail(403, "Laporan di luar cakupan wilayah Anda / report outside your scope.");
        if (await db.IncidentEvidence.CountAsync(e => e.IncidentId == id, ct) >= 10)
            return ServiceResult<EvidenceDto>.Invalid(new() { ["file"] = ["Maksimal 10 berkas bukti / at most 10 evidence files."] });
        var saved = await store.SaveAsync(file, FileKinds.Image | FileKinds.Pdf, ct);
        if (!saved.Ok) return ServiceResult<EvidenceDto>.Invalid(new() { ["file"] = [saved.Error!] });
        var f = saved.File!;
        var e = new IncidentEvidence { IncidentId = id, FileId = f.Id, Sha256 = f.Sha256, FileName = f.FileName, ContentType = f.ContentType, Size = f.Size, AddedAt = time.GetUtcNow() };
        db.IncidentEvidence.Add(e);
        AddEvent(i, actor?.UserName ?? "warga / citizen", actor?.Role.ToString() ?? "Public", "evidence", i.Status, i.Status, $"{f.FileName} sha256:{f.Sha256}");
        await db.SaveChangesAsync(ct);
        return ServiceResult<EvidenceDto>.Success(new EvidenceDto(e.Id, f.Id, f.FileName, f.ContentType, f.Size, f.Sha256, "/api/incidents/" + id + "/evidence/" + f.Id));
    }

    // ---- Hoax desk ----

    public sealed record HoaxClaimDto(Guid Id, string Claim, HoaxVerdict Verdict, string VerdictId, string VerdictEn, string? Clarification, string RegionCode,
        DateTimeOffset CreatedAt, DateTimeOffset? PublishedAt, int Reports, long Version);
    public sealed record CreateClaimRequest(string? Claim, string? RegionCode);
    public sealed record VerdictRequest(HoaxVerdict? Verdict, string? Clarification, bool Publish);
    public sealed record AttachClaimRequest(Guid? ClaimId);

    public async Task<ServiceResult<HoaxClaimDto>> CreateClaimAsync(CreateClaimRequest r, Actor actor, CancellationToken ct)
    {
        var claim = r.Claim?.Trim() ?? "";
        var region = r.RegionCode?.Trim() ?? "16";
        var errors = new Dictionary<string, string[]>();
        if (RegionCode.IsValid(region) && !actor.Covers(region)) return ServiceResult<HoaxClaimDto>.Fail(403, "Wilayah di luar cakupan Anda / region outside your scope."); // scope first
        if (claim.Length is < 5 or > 500) errors["claim"] = ["Klaim 5–500 karakter / the claim must be 5–500 characters."];
        if (!RegionCode.IsValid(region)) errors["regionCode"] = ["Kode wilayah tidak sah / invalid region code."];
        if (errors.Count > 0) return ServiceResult<HoaxClaimDto>.Invalid(errors);
        if (!actor.Covers(region)) return ServiceResult<HoaxClaimDto>.Fail(403, "Wilayah di luar cakupan Anda / region outside your scope.");
        var c = new HoaxClaim { Id = Guid.NewGuid(), Claim = claim, RegionCode = region, CreatedAt = time.GetUtcNow(), Verdict = HoaxVerdict.Unverified, Version = 1 };
        db.HoaxClaims.Add(c);
        await db.SaveChangesAsync(ct);
        return ServiceResult<HoaxClaimDto>.Success(ToDto(c, 0));
    }

    private static HoaxClaimDto ToDto(HoaxClaim c, int reports)
    {
        var (id, en) = IncidentLabels.Of(c.Verdict);
        return new HoaxClaimDto(c.Id, c.Claim, c.Verdict, id, en, c.Clarification, c.RegionCode, c.CreatedAt, c.PublishedAt, reports, c.Version);
    }

    public async Task<ServiceResult<IncidentDetail>> AttachClaimAsync(Guid incidentId, AttachClaimRequest r, Actor actor, CancellationToken ct)
    {
        var i = await db.Incidents.FirstOrDefaultAsync(x => x.Id == incidentId, ct);
        if (i is null) return ServiceResult<IncidentDetail>.Fail(404, "Laporan tidak ditemukan / report not found.");
        if (!actor.Covers(i.RegionCode)) return ServiceResult<IncidentDetail>.Fail(403, "Laporan di luar cakupan wilayah Anda / report outside your scope.");
        if (i.Category != IncidentCategory.Hoax) return ServiceResult<IncidentDetail>.Invalid(new() { ["claimId"] = ["Hanya laporan hoaks yang dapat dikelompokkan ke klaim / only hoax reports can be grouped under a claim."] });
        var c = r.ClaimId is { } cid ? await db.HoaxClaims.FirstOrDefaultAsync(x => x.Id == cid, ct) : null;
        if (c is null) return ServiceResult<IncidentDetail>.Invalid(new() { ["claimId"] = ["Klaim tidak ditemukan / claim not found."] });
        if (!SeesClaim(actor, c)) return ServiceResult<IncidentDetail>.Fail(403, "Klaim di luar cakupan Anda / claim outside your scope.");
        i.HoaxClaimId = c.Id; i.UpdatedAt = time.GetUtcNow(); i.Version++;
        AddEvent(i, actor.UserName, actor.Role.ToString(), "hoax-claim", i.Status, i.Status, c.Claim);
        await db.SaveChangesAsync(ct);
        return await DetailAsync(incidentId, actor, ct);
    }

    /// <summary>Claims inside the actor's scope, and wider ones (e.g. province-wide) that cover it.</summary>
    private static bool SeesClaim(Actor actor, HoaxClaim c) =>
        actor.Covers(c.RegionCode) || c.RegionCode.Length < actor.ScopeCode.Length && RegionCode.IsWithin(actor.ScopeCode, c.RegionCode);

    public async Task<ServiceResult<HoaxClaimDto>> SetVerdictAsync(Guid claimId, VerdictRequest r, Actor actor, CancellationToken ct)
    {
        var c = await db.HoaxClaims.FirstOrDefaultAsync(x => x.Id == claimId, ct);
        if (c is null) return ServiceResult<HoaxClaimDto>.Fail(404, "Klaim tidak ditemukan / claim not found.");
        if (!actor.Covers(c.RegionCode)) return ServiceResult<HoaxClaimDto>.Fail(403, "Klaim di luar cakupan Anda / claim outside your scope.");
        var errors = new Dictionary<string, string[]>();
        if (r.Verdict is null || !Enum.IsDefined(r.Verdict.Value)) errors["verdict"] = ["Pilih putusan: Hoaks, Disinformasi, Misinformasi, Benar, Unverified / choose a verdict."];
        var text = r.Clarification?.Trim();
        if ((text?.Length ?? 0) > Pantau.Core.Text.TextRules.Details) errors["clarification"] = ["Klarifikasi maksimal 4000 karakter / at most 4000 characters."];
        if (r.Publish && (string.IsNullOrEmpty(text) || text.Length < 20)) errors["clarification"] = ["Tulis klarifikasi (minimal 20 karakter) sebelum diterbitkan / write a clarification (20+ characters) before publishing."];
        if (r.Publish && r.Verdict == HoaxVerdict.Unverified) errors["verdict"] = ["Klaim yang belum terverifikasi tidak dapat diterbitkan / an unverified claim cannot be published."];
        if (errors.Count > 0) return ServiceResult<HoaxClaimDto>.Invalid(errors);
        c.Verdict = r.Verdict!.Value;
        c.Clarification = text;
        c.DecidedBy = actor.UserName;
        c.PublishedAt = r.Publish ? c.PublishedAt ?? time.GetUtcNow() : null;
        c.Version++;
        await db.SaveChangesAsync(ct);
        var n = await db.Incidents.CountAsync(i => i.HoaxClaimId == c.Id, ct);
        return ServiceResult<HoaxClaimDto>.Success(ToDto(c, n));
    }

    public async Task<List<HoaxClaimDto>> ClaimsAsync(Actor? actor, bool publishedOnly, CancellationToken ct)
    {
        var q = db.HoaxClaims.AsNoTracking();
        if (publishedOnly) q = q.Where(c => c.PublishedAt != null);
        var claims = await q.ToListAsync(ct);
        if (actor is not null) claims = claims.Where(c => SeesClaim(actor, c)).ToList();
        var ids = claims.Select(c => c.Id).ToList();
        var counts = await db.Incidents.AsNoTracking().Where(i => i.HoaxClaimId != null && ids.Contains(i.HoaxClaimId.Value))
            .GroupBy(i => i.HoaxClaimId!.Value).Select(g => new { g.Key, N = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.N, ct);
        return claims.Select(c => ToDto(c, counts.GetValueOrDefault(c.Id)))
            .OrderByDescending(c => c.PublishedAt ?? c.CreatedAt).ToList();
    }

    // ---- ASN neutrality ----

    public sealed record AsnAgencyStats(string Agency, int Reports, int Open, int Verified, int ReferredToBawaslu, int ReferredToBknKasnPpk, int Closed, int Rejected,
        IReadOnlyDictionary<string, int> Positions);

    /// <summary>Per-agency statistics of ASN-neutrality reports (agency and position only; names never leave the record).</summary>
    public async Task<List<AsnAgencyStats>> AsnStatsAsync(string scope, string? region, CancellationToken ct)
    {
        var q = InScope(db.Incidents.AsNoTracking(), scope).Where(i => i.Category == IncidentCategory.AsnNeutrality && i.Status != IncidentStatus.Merged);
        if (!string.IsNullOrEmpty(region)) q = q.Where(i => i.RegionCode == region || i.RegionCode.StartsWith(region + "."));
        var rows = await q.Select(i => new { i.AsnAgency, i.AsnPosition, i.Status, i.ReferredTo, i.VerifiedAt }).ToListAsync(ct);
        return rows.GroupBy(r => NormalizeAgency(r.AsnAgency)).Select(g => new AsnAgencyStats(g.Key, g.Count(),
                g.Count(r => IncidentWorkflow.IsOpen(r.Status)), g.Count(r => r.VerifiedAt != null),
                g.Count(r => r.ReferredTo == Agency.Bawaslu), g.Count(r => r.ReferredTo is Agency.Bkn or Agency.Kasn or Agency.PpkInstansi),
                g.Count(r => r.Status == IncidentStatus.Closed), g.Count(r => r.Status == IncidentStatus.Rejected),
                g.GroupBy(r => r.AsnPosition?.Trim() ?? "-").OrderBy(p => p.Key).ToDictionary(p => p.Key, p => p.Count())))
            .OrderByDescending(s => s.Reports).ThenBy(s => s.Agency).ToList();
    }

    private static string NormalizeAgency(string? a) => string.IsNullOrWhiteSpace(a) ? "(tidak disebut)" : string.Join(' ', a.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();
}
