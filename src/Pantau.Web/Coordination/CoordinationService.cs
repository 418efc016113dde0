using Pantau.Core.Text;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Coordination;
using Pantau.Core.Regions;
using Pantau.Core.Security;
using Pantau.Data;
using Pantau.Data.Coordination;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Coordination;

/// <summary>Outcome of a change: the value, or validation errors (400), or a status (403/404/409) with a message.</summary>
public sealed record Outcome<T>(T? Value, Dictionary<string, string[]>? Errors = null, int Status = 200, string? Message = null)
{
    public bool Ok => Errors is null && Status == 200;
    public static Outcome<T> Invalid(Dictionary<string, string[]> e) => new(default, e, 400);
    public static Outcome<T> Fail(int status, string message) => new(default, null, status, message);
}

/// <summary>Supplies tahapan start dates; the Readiness module can register its own. The default uses PKPU 2/2024.</summary>
public interface ITahapanCalendar
{
    Task<DateOnly?> StartOfAsync(string code, CancellationToken ct);
}

public sealed class BuiltInTahapanCalendar : ITahapanCalendar
{
    public Task<DateOnly?> StartOfAsync(string code, CancellationToken ct) =>
        Task.FromResult(PilkadaSchedule.Tahapan.TryGetValue(code, out var t) ? t.Start : (DateOnly?)null);
}

/// <summary>Rakor, decisions, follow-up actions and agreements: validation, scope rules and queries shared by the API and the pages.</summary>
public sealed class CoordinationService(PantauDbContext db, TimeProvider time, IEnumerable<ITahapanCalendar> calendars, ILiveUpdates? live = null)
{
    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>The last registered calendar wins (a module's own over the built-in one).</summary>
    private readonly ITahapanCalendar tahapan = calendars.LastOrDefault() ?? new BuiltInTahapanCalendar();

    public static Expression<Func<T, bool>> Within<T>(string scope, Expression<Func<T, string>> code)
    {
        if (scope.Length == 0) return _ => true;
        var prefix = scope + ".";
        var p = code.Parameters[0];
        var body = Expression.OrElse(
            Expression.Equal(code.Body, Expression.Constant(scope)),
            Expression.Call(code.Body, typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string)])!, Expression.Constant(prefix)));
        return Expression.Lambda<Func<T, bool>>(body, p);
    }

    public static bool IsDesk(Actor a) => a.IsIn(RoleGroups.Desk);

    /// <summary>The agencies the acting user works for (their <c>Agency</c> field matches an agency's code or name).</summary>
    public async Task<List<int>> AgenciesOfAsync(Actor actor, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(actor.UserId)) return [];
        var agency = await db.Users.AsNoTracking().Where(u => u.Id == actor.UserId).Select(u => u.Agency).FirstOrDefaultAsync(ct);
        if (string.IsNullOrWhiteSpace(agency)) return [];
        agency = agency.Trim();
        return await db.Agencies.AsNoTracking().Where(a => a.Code == agency || a.Name == agency).Select(a => a.Id).ToListAsync(ct);
    }

    // ---------- agencies ----------
    public static readonly Expression<Func<Agency, AgencyDto>> AgencyDtoOf =
        a => new AgencyDto(a.Id, a.Code, a.Name, a.Kind, a.RegionCode, a.IsForkopim, a.IsGenerated, a.Contact, a.IsActive, a.Version);

    public Task<List<AgencyDto>> AgenciesAsync(string region, string? q, bool includeAncestors, CancellationToken ct)
    {
        var query = db.Agencies.AsNoTracking();
        if (includeAncestors && RegionCode.IsValid(region))
        {
            var lineage = RegionCode.Lineage(region).ToList();
            var within = Within<Agency>(region, a => a.RegionCode);
            query = query.Where(a => lineage.Contains(a.RegionCode) || a.RegionCode.StartsWith(region + "."));
        }
        else query = query.Where(Within<Agency>(region, a => a.RegionCode));
        if (!string.IsNullOrWhiteSpace(q)) { var u = q.Trim().ToUpperInvariant(); query = query.Where(a => a.Name.ToUpper().Contains(u) || a.Code.ToUpper().Contains(u)); }
        return query.OrderBy(a => a.RegionCode).ThenBy(a => a.Kind).ThenBy(a => a.Name).Select(AgencyDtoOf).Take(2000).ToListAsync(ct);
    }

    public async Task<Outcome<AgencyDto>> SaveAgencyAsync(Actor actor, int? id, AgencyInput input, CancellationToken ct)
    {
        var e = new Dictionary<string, string[]>();
        Agency? a = null;
        if (id is { } existing)
        {
            a = await db.Agencies.FirstOrDefaultAsync(x => x.Id == existing, ct);
            if (a is null) return Outcome<AgencyDto>.Fail(404, "Instansi tidak ditemukan / agency not found.");
            if (!actor.Covers(a.RegionCode)) return Outcome<AgencyDto>.Fail(403, "Di luar wilayah Anda / outside your region.");
            if (input.Version is { } v && v != a.Version) return Outcome<AgencyDto>.Fail(409, "Data telah diubah orang lain; muat ulang / changed by someone else; reload.");
        }
        var name = (input.Name ?? a?.Name)?.Trim();
        var region = (input.RegionCode ?? a?.RegionCode)?.Trim();
        if (RegionCode.IsValid(region) && !actor.Covers(region!)) return Outcome<AgencyDto>.Fail(403, $"Wilayah {region} di luar cakupan Anda / outside your scope."); // scope first
        if (string.IsNullOrEmpty(name) || name.Length > 200) e["name"] = ["Nama instansi wajib diisi (maks. 200 huruf) / agency name is required (max 200 characters)."];
        if (!RegionCode.IsValid(region)) e["regionCode"] = ["Kode wilayah tidak sah / invalid region code."];
        else if (!await db.Regions.AnyAsync(r => r.Code == region, ct)) e["regionCode"] = [$"Wilayah {region} tidak ditemukan / region not found."];
        if (input.Kind is { } k && !Enum.IsDefined(k)) e["kind"] = ["Jenis instansi tidak dikenal / unknown agency kind."];
        if (input.Contact is { Length: > 300 }) e["contact"] = ["Kontak maks. 300 huruf / contact max 300 characters."];
        var code = a?.Code ?? (string.IsNullOrWhiteSpace(input.Code) ? $"{region}:{Guid.NewGuid().ToString("N")[..8].ToUpperInvariant()}" : input.Code.Trim());
        if (a is null && code.Length > 60) e["code"] = ["Kode maks. 60 huruf / code max 60 characters."];
        if (e.Count > 0) return Outcome<AgencyDto>.Invalid(e);
        if (!actor.Covers(region!)) return Outcome<AgencyDto>.Fail(403, $"Wilayah {region} di luar cakupan Anda / outside your scope.");
        if (a is null)
        {
            if (await db.Agencies.AnyAsync(x => x.Code == code, ct)) return Outcome<AgencyDto>.Invalid(new() { ["code"] = [$"Kode {code} sudah dipakai / code already used."] });
            a = new Agency { Code = code, Name = name!, RegionCode = region!, Version = 1 };
            db.Agencies.Add(a);
        }
        else a.Version++;
        a.Name = name!;
        a.RegionCode = region!;
        a.Kind = input.Kind ?? a.Kind;
        a.IsForkopim = input.IsForkopim ?? a.IsForkopim;
        a.Contact = input.Contact?.Trim() ?? a.Contact;
        a.IsActive = input.IsActive ?? a.IsActive;
        if (id is not null) a.IsGenerated = false; // edited by hand
        else a.IsGenerated = false;
        await db.SaveChangesAsync(ct);
        return new(AgencyDtoOf.Compile()(a));
    }

    // ---------- actions ----------
    public IQueryable<FollowUpAction> ActionsIn(string scope) => db.FollowUpActions.AsNoTracking().Where(Within<FollowUpAction>(scope, a => a.RegionCode));

    public static IQueryable<FollowUpAction> Overdue(IQueryable<FollowUpAction> q, DateTimeOffset now) =>
        q.Where(a => (a.Status == ActionStatus.Open || a.Status == ActionStatus.InProgress) && a.DueAt < now);

    public async Task<List<ActionDto>> ListActionsAsync(string region, ActionStatus? status, bool overdue, int? agencyId, int? meetingId, int? agreementId, CancellationToken ct)
    {
        var q = ActionsIn(region);
        if (status is { } s) q = q.Where(a => a.Status == s);
        if (overdue) q = Overdue(q, Now);
        if (agencyId is { } ag) q = q.Where(a => a.OwnerAgencyId == ag);
        if (meetingId is { } m) q = q.Where(a => a.MeetingId == m);
        if (agreementId is { } g) q = q.Where(a => a.AgreementId == g);
        return await Project(q.OrderBy(a => a.DueAt).ThenBy(a => a.Id)).Take(5000).ToListAsync(ct);
    }

    public IQueryable<ActionDto> Project(IQueryable<FollowUpAction> q)
    {
        var now = Now;
        return q.Select(a => new ActionDto(a.Id, a.Title, a.Details, a.MeetingId, a.Meeting != null ? a.Meeting.Title : null, a.DecisionId, a.AgreementId,
            a.OwnerAgencyId, a.OwnerAgency!.Name, a.RegionCode, a.DueAt, a.TahapanCode, a.TahapanOffsetDays, a.Status, a.StatusNote,
            (a.Status == ActionStatus.Open || a.Status == ActionStatus.InProgress) && a.DueAt < now, a.EscalatedAt, a.ClosedAt, a.Version));
    }

    public async Task<ActionDto?> GetActionAsync(int id, CancellationToken ct) =>
        await Project(db.FollowUpActions.AsNoTracking().Where(a => a.Id == id)).FirstOrDefaultAsync(ct);

    /// <summary>Validates an action input and builds the entity (not yet added). <paramref name="parentRegion"/> bounds the action's region.</summary>
    private async Task<FollowUpAction?> BuildActionAsync(ActionInput input, string parentRegion, string key, Dictionary<string, string[]> e, CancellationToken ct)
    {
        var title = input.Title?.Trim();
        if (string.IsNullOrEmpty(title) || title.Length > 300) e[key + ".title"] = ["Judul tindak lanjut wajib diisi (maks. 300 huruf) / action title is required (max 300 characters)."];
        var region = string.IsNullOrWhiteSpace(input.RegionCode) ? parentRegion : input.RegionCode.Trim();
        if (!RegionCode.IsValid(region)) e[key + ".regionCode"] = ["Kode wilayah tidak sah / invalid region code."];
        else if (!RegionCode.IsWithin(region, parentRegion)) e[key + ".regionCode"] = [$"Wilayah tindak lanjut harus di dalam {parentRegion} / the action's region must lie within {parentRegion}."];
        Agency? owner = null;
        if (input.OwnerAgencyId is not { } oid) e[key + ".ownerAgencyId"] = ["Instansi penanggung jawab wajib dipilih / the owner agency is required."];
        else if ((owner = await db.Agencies.AsNoTracking().FirstOrDefaultAsync(a => a.Id == oid, ct)) is null)
            e[key + ".ownerAgencyId"] = [$"Instansi {oid} tidak ditemukan / agency not found."];
        DateTimeOffset due = default;
        string? tahapanCode = string.IsNullOrWhiteSpace(input.TahapanCode) ? null : input.TahapanCode.Trim();
        if (tahapanCode is not null)
        {
            var start = await tahapan.StartOfAsync(tahapanCode, ct);
            if (start is null) e[key + ".tahapanCode"] = [$"Tahapan '{tahapanCode}' tidak dikenal / unknown tahapan."];
            else if (input.TahapanOffsetDays is { } off && Math.Abs(off) > 366) e[key + ".tahapanOffsetDays"] = ["Selisih hari maks. 366 / offset max 366 days."];
            else if (input.DueAt is null) due = PilkadaSchedule.EndOfDay(start.Value, input.TahapanOffsetDays ?? 0);
        }
        if (input.DueAt is { } d) due = d.ToUniversalTime();
        else if (tahapanCode is null) e[key + ".dueAt"] = ["Tenggat atau tahapan wajib diisi / a due date or a tahapan is required."];
        if (input.DueAt is { } d2 && (d2.Year < 2023 || d2.Year > 2030)) e[key + ".dueAt"] = ["Tenggat di luar rentang 2023–2030 / due date outside 2023–2030."];
        if (input.Details is { Length: > TextRules.Details }) e[key + ".details"] = ["Uraian maks. 4000 huruf / details max 4000 characters."];
        if (e.Keys.Any(k => k.StartsWith(key + ".", StringComparison.Ordinal))) return null;
        var now = Now;
        return new FollowUpAction
        {
            Title = title!, Details = input.Details?.Trim(), OwnerAgencyId = owner!.Id, RegionCode = region, DueAt = due,
            TahapanCode = tahapanCode, TahapanOffsetDays = tahapanCode is null ? null : input.TahapanOffsetDays ?? 0,
            Status = ActionStatus.Open, CreatedAt = now, UpdatedAt = now, Version = 1,
        };
    }

    public async Task<Outcome<ActionDto>> UpdateStatusAsync(Actor actor, int id, StatusInput input, CancellationToken ct)
    {
        var a = await db.FollowUpActions.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (a is null) return Outcome<ActionDto>.Fail(404, "Tindak lanjut tidak ditemukan / action not found.");
        var mayAct = (IsDesk(actor) && actor.Covers(a.RegionCode)) || (await AgenciesOfAsync(actor, ct)).Contains(a.OwnerAgencyId);
        if (!mayAct) return Outcome<ActionDto>.Fail(403, "Hanya Desk di wilayah ini atau instansi penanggung jawab yang dapat mengubah status / only the Desk of this region or the owner agency may change the status.");
        var e = new Dictionary<string, string[]>();
        if (input.Status is not { } to || !Enum.IsDefined(to)) e["status"] = ["Status wajib: Open, InProgress, Done atau Cancelled / status is required: Open, InProgress, Done or Cancelled."];
        else if (!ActionRules.CanMove(a.Status, to)) e["status"] = [$"Status tidak dapat diubah dari {a.Status} ke {to} / cannot move from {a.Status} to {to}."];
        if (input.Status == ActionStatus.Cancelled && string.IsNullOrWhiteSpace(input.Note)) e["note"] = ["Alasan pembatalan wajib diisi / a reason is required to cancel."];
        if (input.Note is { Length: > 1000 }) e["note"] = ["Catatan maks. 1000 huruf / note max 1000 characters."];
        if (e.Count > 0) return Outcome<ActionDto>.Invalid(e);
        if (input.Version is { } v && v != a.Version) return Outcome<ActionDto>.Fail(409, "Tindak lanjut telah diubah orang lain; muat ulang / the action was changed by someone else; reload.");
        var now = Now;
        a.Status = input.Status!.Value;
        a.StatusNote = string.IsNullOrWhiteSpace(input.Note) ? a.StatusNote : input.Note.Trim();
        a.ClosedAt = ActionRules.IsClosed(a.Status) ? now : null;
        if (!ActionRules.IsClosed(a.Status) && a.DueAt >= now) a.EscalatedAt = null;
        a.UpdatedAt = now;
        a.Version++;
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException) { return Outcome<ActionDto>.Fail(409, "Tindak lanjut telah diubah orang lain; muat ulang / the action was changed by someone else; reload."); }
        await DeskEvents.PublishAsync(live, [a.RegionCode], "action", new { id, status = a.Status.ToString() }, ct);
        return new((await GetActionAsync(id, ct))!);
    }

    // ---------- meetings ----------
    public async Task<List<MeetingSummaryDto>> ListMeetingsAsync(string region, CancellationToken ct) =>
        await db.Meetings.AsNoTracking().Where(Within<Meeting>(region, m => m.RegionCode)).OrderByDescending(m => m.HeldAt).Take(500)
            .Select(m => new MeetingSummaryDto(m.Id, m.Title, m.RegionCode, m.HeldAt, m.Location, m.Decisions.Count,
                db.FollowUpActions.Count(a => a.MeetingId == m.Id),
                db.FollowUpActions.Count(a => a.MeetingId == m.Id && (a.Status == ActionStatus.Open || a.Status == ActionStatus.InProgress))))
            .ToListAsync(ct);

    public async Task<MeetingDto?> GetMeetingAsync(int id, CancellationToken ct)
    {
        var m = await db.Meetings.AsNoTracking().Include(x => x.Agenda).Include(x => x.Decisions).Include(x => x.Participants).ThenInclude(p => p.Agency)
            .AsSplitQuery().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (m is null) return null;
        var actions = await Project(db.FollowUpActions.AsNoTracking().Where(a => a.MeetingId == id).OrderBy(a => a.Id)).ToListAsync(ct);
        return new MeetingDto(m.Id, m.Title, m.RegionCode, m.HeldAt, m.Location, m.Chair, m.Minutes, m.Version,
            m.Agenda.OrderBy(a => a.Order).Select(a => new AgendaDto(a.Id, a.Order, a.Title, a.Notes)).ToList(),
            m.Participants.OrderBy(p => p.Agency!.RegionCode).ThenBy(p => p.Agency!.Name).Select(p => new ParticipantDto(p.AgencyId, p.Agency!.Name, p.Attended, p.Representative)).ToList(),
            m.Decisions.OrderBy(d => d.Order).Select(d => new DecisionDto(d.Id, d.Order, d.Text, actions.Where(a => a.DecisionId == d.Id).ToList())).ToList());
    }

    private async Task ValidateParticipantsAsync(List<ParticipantInput>? ps, Dictionary<string, string[]> e, CancellationToken ct)
    {
        if (ps is null || ps.Count == 0) return;
        if (ps.Select(p => p.AgencyId).Distinct().Count() != ps.Count) e["participants"] = ["Instansi peserta tercantum dua kali / a participant agency is listed twice."];
        var ids = ps.Select(p => p.AgencyId).Distinct().ToList();
        var known = await db.Agencies.Where(a => ids.Contains(a.Id)).Select(a => a.Id).ToListAsync(ct);
        var missing = ids.Except(known).ToList();
        if (missing.Count > 0) e["participants"] = [$"Instansi tidak ditemukan: {string.Join(", ", missing)} / unknown agencies."];
    }

    public async Task<Outcome<MeetingDto>> CreateMeetingAsync(Actor actor, MeetingInput input, CancellationToken ct)
    {
        var e = new Dictionary<string, string[]>();
        var title = input.Title?.Trim();
        var region = input.RegionCode?.Trim();
        if (string.IsNullOrEmpty(title) || title.Length > 300) e["title"] = ["Judul rakor wajib diisi (maks. 300 huruf) / the meeting title is required (max 300 characters)."];
        if (!RegionCode.TryGetLevel(region, out var level) || level > RegionLevel.Kecamatan)
            e["regionCode"] = ["Rakor diadakan di tingkat provinsi, kab/kota atau kecamatan / a rakor is held at province, kab/kota or kecamatan level."];
        else if (!await db.Regions.AnyAsync(r => r.Code == region, ct)) e["regionCode"] = [$"Wilayah {region} tidak ditemukan / region not found."];
        if (input.HeldAt is null) e["heldAt"] = ["Waktu rakor wajib diisi / the meeting time is required."];
        if (input.Minutes is { Length: > TextRules.Minutes }) e["minutes"] = ["Notulen maks. 20.000 huruf / minutes max 20,000 characters."];
        var agenda = input.Agenda ?? [];
        for (var i = 0; i < agenda.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(agenda[i].Title) || agenda[i].Title!.Length > 300) e[$"agenda[{i}].title"] = ["Judul agenda wajib diisi / agenda title is required."];
            if (agenda[i].Notes is { Length: > TextRules.Note }) e[$"agenda[{i}].notes"] = ["Catatan agenda maks. 2.000 huruf / agenda notes max 2,000 characters."];
        }
        await ValidateParticipantsAsync(input.Participants, e, ct);
        if (e.ContainsKey("regionCode")) return Outcome<MeetingDto>.Invalid(e);
        if (!actor.Covers(region!)) return Outcome<MeetingDto>.Fail(403, $"Wilayah {region} di luar cakupan Anda / outside your scope.");
        var decisions = input.Decisions ?? [];
        var built = new List<(Decision D, List<FollowUpAction> A)>();
        for (var i = 0; i < decisions.Count; i++)
        {
            var text = decisions[i].Text?.Trim();
            if (string.IsNullOrEmpty(text) || text.Length > TextRules.Details) e[$"decisions[{i}].text"] = ["Isi keputusan wajib diisi / decision text is required."];
            var acts = new List<FollowUpAction>();
            var ai = decisions[i].Actions ?? [];
            for (var j = 0; j < ai.Count; j++)
                if (await BuildActionAsync(ai[j], region!, $"decisions[{i}].actions[{j}]", e, ct) is { } a) acts.Add(a);
            built.Add((new Decision { Text = text ?? "", Order = i + 1 }, acts));
        }
        if (e.Count > 0) return Outcome<MeetingDto>.Invalid(e);
        var now = Now;
        var m = new Meeting
        {
            Title = title!, RegionCode = region!, HeldAt = input.HeldAt!.Value.ToUniversalTime(), Location = input.Location?.Trim(), Chair = input.Chair?.Trim(),
            Minutes = input.Minutes?.Trim(), CreatedAt = now, CreatedBy = actor.UserName, Version = 1,
            Agenda = agenda.Select((a, i) => new AgendaItem { Title = a.Title!.Trim(), Notes = a.Notes?.Trim(), Order = i + 1 }).ToList(),
            Participants = (input.Participants ?? []).Select(p => new MeetingParticipant { AgencyId = p.AgencyId, Attended = p.Attended, Representative = p.Representative?.Trim() }).ToList(),
            Decisions = built.Select(b => b.D).ToList(),
        };
        db.Meetings.Add(m);
        foreach (var (d, acts) in built)
            foreach (var a in acts) { a.Meeting = m; a.Decision = d; db.FollowUpActions.Add(a); }
        await db.SaveChangesAsync(ct);
        await DeskEvents.PublishAsync(live, [m.RegionCode, .. built.SelectMany(b => b.A).Select(a => a.RegionCode)], "meeting", new { id = m.Id }, ct);
        return new((await GetMeetingAsync(m.Id, ct))!);
    }

    public async Task<Outcome<MeetingDto>> UpdateMinutesAsync(Actor actor, int id, MinutesInput input, CancellationToken ct)
    {
        var m = await db.Meetings.Include(x => x.Participants).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (m is null) return Outcome<MeetingDto>.Fail(404, "Rakor tidak ditemukan / meeting not found.");
        if (!actor.Covers(m.RegionCode)) return Outcome<MeetingDto>.Fail(403, "Di luar wilayah Anda / outside your region.");
        var e = new Dictionary<string, string[]>();
        if (input.Minutes is { Length: > TextRules.Minutes }) e["minutes"] = ["Notulen maks. 20.000 huruf / minutes max 20,000 characters."];
        // An empty submission (no minutes, nobody marked present) would wipe the minutes and the attendance: refused, not saved.
        if (string.IsNullOrWhiteSpace(input.Minutes) && !(input.Participants ?? []).Any(p => p.Attended))
            e["minutes"] = ["Isi notulen atau tandai instansi yang hadir / write the minutes or mark who attended."];
        await ValidateParticipantsAsync(input.Participants, e, ct);
        if (e.Count > 0) return Outcome<MeetingDto>.Invalid(e);
        if (input.Version is { } v && v != m.Version) return Outcome<MeetingDto>.Fail(409, "Rakor telah diubah orang lain; muat ulang / changed by someone else; reload.");
        if (input.Minutes is not null) m.Minutes = input.Minutes.Trim();
        foreach (var p in input.Participants ?? [])
        {
            var existing = m.Participants.FirstOrDefault(x => x.AgencyId == p.AgencyId);
            if (existing is null) m.Participants.Add(new MeetingParticipant { AgencyId = p.AgencyId, Attended = p.Attended, Representative = p.Representative?.Trim() });
            else { existing.Attended = p.Attended; existing.Representative = p.Representative?.Trim() ?? existing.Representative; }
        }
        m.Version++;
        await db.SaveChangesAsync(ct);
        return new((await GetMeetingAsync(id, ct))!);
    }

    public async Task<Outcome<MeetingDto>> AddDecisionAsync(Actor actor, int meetingId, DecisionInput input, CancellationToken ct)
    {
        var m = await db.Meetings.Include(x => x.Decisions).FirstOrDefaultAsync(x => x.Id == meetingId, ct);
        if (m is null) return Outcome<MeetingDto>.Fail(404, "Rakor tidak ditemukan / meeting not found.");
        if (!actor.Covers(m.RegionCode)) return Outcome<MeetingDto>.Fail(403, "Di luar wilayah Anda / outside your region.");
        var e = new Dictionary<string, string[]>();
        var text = input.Text?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > TextRules.Details) e["text"] = ["Isi keputusan wajib diisi / decision text is required."];
        var acts = new List<FollowUpAction>();
        var ai = input.Actions ?? [];
        for (var j = 0; j < ai.Count; j++)
            if (await BuildActionAsync(ai[j], m.RegionCode, $"actions[{j}]", e, ct) is { } a) acts.Add(a);
        if (e.Count > 0) return Outcome<MeetingDto>.Invalid(e);
        var d = new Decision { Text = text!, Order = m.Decisions.Count + 1, MeetingId = m.Id };
        m.Decisions.Add(d);
        foreach (var a in acts) { a.MeetingId = m.Id; a.Decision = d; db.FollowUpActions.Add(a); }
        await db.SaveChangesAsync(ct);
        await DeskEvents.PublishAsync(live, [m.RegionCode, .. acts.Select(a => a.RegionCode)], "action", new { meeting = m.Id }, ct);
        return new((await GetMeetingAsync(m.Id, ct))!);
    }

    public async Task<Outcome<ActionDto>> AddActionToDecisionAsync(Actor actor, int decisionId, ActionInput input, CancellationToken ct)
    {
        var d = await db.Decisions.Include(x => x.Meeting).FirstOrDefaultAsync(x => x.Id == decisionId, ct);
        if (d is null) return Outcome<ActionDto>.Fail(404, "Keputusan tidak ditemukan / decision not found.");
        if (!actor.Covers(d.Meeting!.RegionCode)) return Outcome<ActionDto>.Fail(403, "Di luar wilayah Anda / outside your region.");
        var e = new Dictionary<string, string[]>();
        var a = await BuildActionAsync(input, d.Meeting.RegionCode, "action", e, ct);
        if (a is null) return Outcome<ActionDto>.Invalid(e);
        a.MeetingId = d.MeetingId; a.DecisionId = d.Id;
        db.FollowUpActions.Add(a);
        await db.SaveChangesAsync(ct);
        await DeskEvents.PublishAsync(live, [a.RegionCode], "action", new { id = a.Id }, ct);
        return new((await GetActionAsync(a.Id, ct))!);
    }

    // ---------- agreements ----------
    public async Task<List<AgreementDto>> ListAgreementsAsync(string region, CancellationToken ct)
    {
        var ids = await db.Agreements.AsNoTracking().Where(Within<Agreement>(region, a => a.RegionCode)).OrderByDescending(a => a.SignedAt).Select(a => a.Id).Take(500).ToListAsync(ct);
        var list = new List<AgreementDto>();
        foreach (var id in ids) list.Add((await GetAgreementAsync(id, ct))!);
        return list;
    }

    public async Task<AgreementDto?> GetAgreementAsync(int id, CancellationToken ct)
    {
        var g = await db.Agreements.AsNoTracking().Include(x => x.Parties).ThenInclude(p => p.Agency).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (g is null) return null;
        var actions = await Project(db.FollowUpActions.AsNoTracking().Where(a => a.AgreementId == id).OrderBy(a => a.Id)).ToListAsync(ct);
        var map = AgencyDtoOf.Compile();
        return new AgreementDto(g.Id, g.Title, g.RegionCode, g.SignedAt, g.Scope, g.DocumentFileId, g.Parties.Select(p => map(p.Agency!)).ToList(), actions, g.Version);
    }

    public async Task<Outcome<AgreementDto>> CreateAgreementAsync(Actor actor, AgreementInput input, CancellationToken ct)
    {
        var e = new Dictionary<string, string[]>();
        var title = input.Title?.Trim();
        var region = input.RegionCode?.Trim();
        if (string.IsNullOrEmpty(title) || title.Length > 300) e["title"] = ["Judul kesepakatan wajib diisi / the agreement title is required."];
        if (!RegionCode.TryGetLevel(region, out var level) || level > RegionLevel.Kecamatan) e["regionCode"] = ["Kode wilayah provinsi, kab/kota atau kecamatan wajib diisi / a province, kab/kota or kecamatan code is required."];
        if (input.SignedAt is null) e["signedAt"] = ["Tanggal penandatanganan wajib diisi / the signing date is required."];
        if (string.IsNullOrWhiteSpace(input.Scope) || input.Scope.Length > TextRules.Details) e["scope"] = ["Ruang lingkup wajib diisi (maks. 4000 huruf) / the scope is required (max 4000 characters)."];
        var parties = (input.PartyAgencyIds ?? []).Distinct().ToList();
        if (parties.Count < 2) e["partyAgencyIds"] = ["Kesepakatan memerlukan minimal dua pihak / an agreement needs at least two parties."];
        else if (await db.Agencies.CountAsync(a => parties.Contains(a.Id), ct) != parties.Count) e["partyAgencyIds"] = ["Ada pihak yang tidak ditemukan / some parties were not found."];
        if (e.ContainsKey("regionCode")) return Outcome<AgreementDto>.Invalid(e);
        if (!actor.Covers(region!)) return Outcome<AgreementDto>.Fail(403, $"Wilayah {region} di luar cakupan Anda / outside your scope.");
        var acts = new List<FollowUpAction>();
        var ai = input.Actions ?? [];
        for (var j = 0; j < ai.Count; j++)
            if (await BuildActionAsync(ai[j], region!, $"actions[{j}]", e, ct) is { } a) acts.Add(a);
        if (e.Count > 0) return Outcome<AgreementDto>.Invalid(e);
        var g = new Agreement
        {
            Title = title!, RegionCode = region!, SignedAt = input.SignedAt!.Value.ToUniversalTime(), Scope = input.Scope!.Trim(), CreatedAt = Now, Version = 1,
            Parties = parties.Select(p => new AgreementParty { AgencyId = p }).ToList(),
        };
        db.Agreements.Add(g);
        foreach (var a in acts) { a.Agreement = g; db.FollowUpActions.Add(a); }
        await db.SaveChangesAsync(ct);
        await DeskEvents.PublishAsync(live, [g.RegionCode, .. acts.Select(a => a.RegionCode)], "agreement", new { id = g.Id }, ct);
        return new((await GetAgreementAsync(g.Id, ct))!);
    }

    public async Task<Outcome<ActionDto>> AddActionToAgreementAsync(Actor actor, int agreementId, ActionInput input, CancellationToken ct)
    {
        var g = await db.Agreements.AsNoTracking().FirstOrDefaultAsync(x => x.Id == agreementId, ct);
        if (g is null) return Outcome<ActionDto>.Fail(404, "Kesepakatan tidak ditemukan / agreement not found.");
        if (!actor.Covers(g.RegionCode)) return Outcome<ActionDto>.Fail(403, "Di luar wilayah Anda / outside your region.");
        var e = new Dictionary<string, string[]>();
        var a = await BuildActionAsync(input, g.RegionCode, "action", e, ct);
        if (a is null) return Outcome<ActionDto>.Invalid(e);
        a.AgreementId = g.Id;
        db.FollowUpActions.Add(a);
        await db.SaveChangesAsync(ct);
        await DeskEvents.PublishAsync(live, [a.RegionCode], "action", new { id = a.Id }, ct);
        return new((await GetActionAsync(a.Id, ct))!);
    }

    public async Task<Outcome<AgreementDto>> AttachDocumentAsync(Actor actor, int agreementId, Guid fileId, CancellationToken ct)
    {
        var g = await db.Agreements.FirstOrDefaultAsync(x => x.Id == agreementId, ct);
        if (g is null) return Outcome<AgreementDto>.Fail(404, "Kesepakatan tidak ditemukan / agreement not found.");
        if (!actor.Covers(g.RegionCode)) return Outcome<AgreementDto>.Fail(403, "Di luar wilayah Anda / outside your region.");
        g.DocumentFileId = fileId;
        g.Version++;
        await db.SaveChangesAsync(ct);
        return new((await GetAgreementAsync(g.Id, ct))!);
    }
}
