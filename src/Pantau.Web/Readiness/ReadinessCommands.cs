using Microsoft.EntityFrameworkCore;
using Pantau.Core.Readiness;
using Pantau.Core.Security;
using Pantau.Data;
using Pantau.Data.Readiness;
using Pantau.Web.Infrastructure;
using TaskStatus = Pantau.Core.Readiness.TaskStatus;

namespace Pantau.Web.Readiness;

public sealed record TaskUpdate(TaskStatus? Status, string? Note, long? Version);
public sealed record StageUpdate(DateOnly? Start, DateOnly? End, long? Version);

/// <summary>Changes: task status/evidence, task photos and schedule edits. Each checks the actor's region scope.</summary>
public sealed class ReadinessCommands(PantauDbContext db, ReadinessService readiness, IFileStore files, ILiveUpdates live, TimeProvider time,
    IConfiguration config)
{
    /// <summary>Readiness events of a region go to <c>readiness:{region}</c> (subscribers of an ancestor region get them too);
    /// schedule edits, which concern every region, go to <see cref="ScheduleTopic"/>.</summary>
    public const string LiveTopic = "readiness";
    public const string ScheduleTopic = "readiness:schedule";

    public static string RegionTopic(string region) => LiveHub.RegionTopic(LiveTopic, region);

    private async Task<(ReadinessTemplate? T, string? Region, string? Tps, Failure? Error)> ResolveAsync(Actor actor, string templateCode, string subject, CancellationToken ct)
    {
        await ReadinessSeeder.EnsureSeededAsync(db, ct);
        var t = await db.ReadinessTemplates.AsNoTracking().FirstOrDefaultAsync(x => x.Code == templateCode, ct);
        if (t is null) return (null, null, null, Failure.NotFound($"Butir kesiapan '{templateCode}' tidak ada / checklist item not found."));
        var tree = await readiness.TreeAsync(ct);
        var (level, region, tps) = ReadinessService.Subject(tree, subject);
        if (level is null) return (null, null, null, Failure.NotFound($"Wilayah/TPS '{subject}' tidak ditemukan / region or TPS not found."));
        if (level != t.Level)
            return (null, null, null, Failure.Bad("Tingkat tidak cocok / level mismatch",
                $"Butir '{t.Code}' berlaku untuk tingkat {t.Level}, bukan {level} / item '{t.Code}' applies to level {t.Level}, not {level}."));
        if (!actor.Covers(tps ?? region!)) return (null, null, null, Failure.Forbidden(region!)); // a TPS task: its TPS (a KPPS scope covers only its own)
        return (t, region, tps, null);
    }

    public async Task<(TaskView? View, Failure? Error)> UpdateTaskAsync(Actor actor, string templateCode, string subject, TaskUpdate update, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string[]>();
        if (update.Status is not { } status || !Enum.IsDefined(status)) errors["status"] = ["Status wajib: NotStarted, InProgress, Done atau Blocked / status is required."];
        else if (status == TaskStatus.Blocked && string.IsNullOrWhiteSpace(update.Note)) errors["note"] = ["Tuliskan penyebab hambatan / say what blocks the task."];
        if (update.Note?.Length > 2000) errors["note"] = ["Catatan terlalu panjang (maks. 2000) / note too long."];
        if (errors.Count > 0) return (null, Failure.Invalid(errors));
        var (t, region, tps, error) = await ResolveAsync(actor, templateCode, subject, ct);
        if (error is not null) return (null, error);
        var row = await db.ReadinessTaskStates.FirstOrDefaultAsync(s => s.TemplateCode == templateCode && s.SubjectCode == subject, ct);
        if (update.Version is { } v && v != (row?.Version ?? 0))
            return (null, new Failure(409, "Konflik / conflict", "Butir ini sudah diubah orang lain; muat ulang halaman / changed by someone else; reload."));
        if (row is null)
        {
            row = new ReadinessTaskState { TemplateCode = templateCode, RegionCode = region!, TpsCode = tps, SubjectCode = subject, UpdatedBy = actor.UserName };
            db.ReadinessTaskStates.Add(row);
        }
        row.Status = update.Status!.Value;
        row.Note = string.IsNullOrWhiteSpace(update.Note) ? null : update.Note.Trim();
        row.UpdatedAt = time.GetUtcNow();
        row.UpdatedBy = actor.UserName;
        row.Version++;
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { return (null, new Failure(409, "Konflik / conflict", "Butir ini sedang diubah orang lain; coba lagi / concurrent change; try again.")); }
        await live.PublishAsync(RegionTopic(region!), "task", new { region, template = templateCode }, ct);
        var target = (await readiness.TemplatesAsync(ct)).First(x => x.T.Code == templateCode).Target;
        return (ReadinessService.View(t!, target, subject, region!, tps, row, readiness.Today), null);
    }

    public async Task<(TaskView? View, Failure? Error)> AttachPhotoAsync(Actor actor, string templateCode, string subject, IFormFile? file, CancellationToken ct = default)
    {
        if (file is null) return (null, Failure.Invalid(new() { ["photo"] = ["Pilih foto bukti / choose an evidence photo."] }));
        var (t, region, tps, error) = await ResolveAsync(actor, templateCode, subject, ct);
        if (error is not null) return (null, error);
        var saved = await files.SaveAsync(file, FileKinds.Image, ct);
        if (!saved.Ok) return (null, Failure.Invalid(new() { ["photo"] = [saved.Error!] }));
        var row = await db.ReadinessTaskStates.FirstOrDefaultAsync(s => s.TemplateCode == templateCode && s.SubjectCode == subject, ct);
        if (row is null)
        {
            row = new ReadinessTaskState { TemplateCode = templateCode, RegionCode = region!, TpsCode = tps, SubjectCode = subject, UpdatedBy = actor.UserName, Status = TaskStatus.InProgress };
            db.ReadinessTaskStates.Add(row);
        }
        row.PhotoFileId = saved.File!.Id;
        row.UpdatedAt = time.GetUtcNow();
        row.UpdatedBy = actor.UserName;
        row.Version++;
        await db.SaveChangesAsync(ct);
        var target = (await readiness.TemplatesAsync(ct)).First(x => x.T.Code == templateCode).Target;
        return (ReadinessService.View(t!, target, subject, region!, tps, row, readiness.Today), null);
    }

    public async Task<(HandoverView? View, Failure? Error)> AttachHandoverPhotoAsync(Actor actor, long id, IFormFile? file, CancellationToken ct = default)
    {
        var h = await db.LogisticsHandovers.Include(x => x.Lines).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (h is null) return (null, Failure.NotFound($"Berita acara {id} tidak ditemukan / handover record not found."));
        if (!actor.Covers(h.ToCode)) return (null, Failure.Forbidden(h.ToRegionCode));
        if (file is null) return (null, Failure.Invalid(new() { ["photo"] = ["Pilih foto berita acara / choose a photo."] }));
        var saved = await files.SaveAsync(file, FileKinds.Image | FileKinds.Pdf, ct);
        if (!saved.Ok) return (null, Failure.Invalid(new() { ["photo"] = [saved.Error!] }));
        h.PhotoFileId = saved.File!.Id;
        await db.SaveChangesAsync(ct);
        return (LogisticsService.ToView(h), null);
    }

    /// <summary>
    /// The schedule is one for the whole deployment (the national Pilkada timetable): a national scope may edit it, and a province
    /// scope only where the deployment holds that one province (<c>Pantau:Provinces</c>), so that one province's Desk cannot move the
    /// dates every other province works to.
    /// </summary>
    public bool MayEditSchedule(Actor actor) =>
        actor.ScopeCode.Length == 0 || Startup.Provinces(config) is [var only] && only == actor.ScopeCode;

    /// <summary>Edits a stage of the schedule (Desk of the province). Target dates that follow the stage move with it.</summary>
    public async Task<(StageView? View, Failure? Error)> UpdateStageAsync(Actor actor, string code, StageUpdate update, CancellationToken ct = default)
    {
        await ReadinessSeeder.EnsureSeededAsync(db, ct);
        var s = await db.TahapanStages.FirstOrDefaultAsync(x => x.Code == code, ct);
        if (s is null) return (null, Failure.NotFound($"Tahapan '{code}' tidak ditemukan / stage not found."));
        if (!MayEditSchedule(actor)) return (null, Failure.Forbidden(actor.ScopeCode));
        if (update.Start is not { } start || update.End is not { } end)
            return (null, Failure.Invalid(new() { ["start"] = ["Tanggal mulai dan selesai wajib diisi / start and end are required."] }));
        if (Schedule.Validate(start, end) is { } err) return (null, Failure.Invalid(new() { ["end"] = [err] }));
        if (code == "pemungutan-suara" && start != end)
            return (null, Failure.Invalid(new() { ["end"] = ["Pemungutan suara berlangsung satu hari / voting day is a single day."] }));
        if (update.Version is { } v && v != s.Version) return (null, new Failure(409, "Konflik / conflict", "Tahapan sudah diubah orang lain; muat ulang / changed by someone else, reload."));
        s.Start = start; s.End = end; s.Version++;
        await db.SaveChangesAsync(ct);
        await live.PublishAsync(ScheduleTopic, "tahapan", new { code }, ct);
        return (new StageView(s.Code, s.NameId, s.NameEn, s.Start, s.End, Schedule.StateOf(s.ToStage(), readiness.Today), s.Version), null);
    }
}
