using System.Globalization;
using System.Net.Mail;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Notifications;
using Pantau.Core.Security;
using Pantau.Data;
using Pantau.Data.Notifications;

namespace Pantau.Web.Notifications;

public sealed record NotificationDto(long Id, Guid PublicId, NotificationKind Kind, string Title, string Body, string Link, bool Critical, DateTimeOffset CreatedAt, bool Read);
public sealed record PreferencesDto(NotificationKind[] MutedKinds, bool Email, bool Digest, int DigestHour, string? QuietFrom, string? QuietTo);
public sealed record DeliveryRecordDto(long Id, NotificationChannel Channel, string Target, DeliveryStatus Status, int Attempts, DateTimeOffset? DeliveredAt, string? LastError,
    DateTimeOffset NextAttemptAt, IReadOnlyList<AttemptDto> AttemptLog);
public sealed record AttemptDto(DateTimeOffset At, bool Success, string? Error);
public sealed record NotificationRecordDto(long Id, Guid PublicId, NotificationKind Kind, string RegionCode, string Subject, string Title, string? UserId, string? UserName,
    DateTimeOffset CreatedAt, DateTimeOffset? ReadAt, IReadOnlyList<DeliveryRecordDto> Deliveries);
public sealed record NewWebhook(string? Name, string? RegionCode, string? Url, string? Secret, NotificationKind[]? Kinds);
public sealed record WebhookDto(int Id, string Name, string RegionCode, string Url, NotificationKind[] Kinds, bool Active, DateTimeOffset CreatedAt);

/// <summary>A user's in-app notifications and preferences; the admin's record of who was told what.</summary>
public sealed class NotificationService(PantauDbContext db, TimeProvider time)
{
    /// <summary>Live topic of one user's bell. The event carries nothing: the bell re-reads its count through the authenticated API.</summary>
    public static string TopicFor(string userId) => "notify:" + userId;

    public static string? AsEmail(string? s)
    {
        if (string.IsNullOrWhiteSpace(s)) return null;
        s = s.Trim();
        if (s.Length > 254 || !s.Contains('@', StringComparison.Ordinal) || s.Contains(' ', StringComparison.Ordinal)) return null;
        return MailAddress.TryCreate(s, out var a) && a.Address == s ? s : null;
    }

    public static HashSet<NotificationKind> ParseKinds(string csv) =>
        csv.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(x => int.TryParse(x, CultureInfo.InvariantCulture, out var i) ? (NotificationKind)i : (NotificationKind)0)
            .Where(Enum.IsDefined).ToHashSet();

    public static string FormatKinds(IEnumerable<NotificationKind> kinds) => string.Join(",", kinds.Distinct().Select(k => ((int)k).ToString(CultureInfo.InvariantCulture)));

    public static NotificationPrefs ToPrefs(NotificationPreference p) =>
        new(ParseKinds(p.MutedKinds), true, p.Email, p.Digest, p.DigestHour, p.QuietFromMinute, p.QuietToMinute, TimeSpan.FromHours(7));

    public Task<int> UnreadCountAsync(Actor actor, CancellationToken ct) =>
        db.Notifications.CountAsync(n => n.UserId == actor.UserId && n.ReadAt == null, ct);

    public async Task<List<NotificationDto>> ListAsync(Actor actor, bool english, int take, CancellationToken ct)
    {
        var rows = await db.Notifications.AsNoTracking().Where(n => n.UserId == actor.UserId).OrderByDescending(n => n.Id).Take(Math.Clamp(take, 1, 200)).ToListAsync(ct);
        return rows.Select(n => new NotificationDto(n.Id, n.PublicId, n.Kind, english ? n.TitleEn : n.TitleId, english ? n.BodyEn : n.BodyId, n.Link, n.Critical, n.CreatedAt, n.ReadAt is not null)).ToList();
    }

    /// <summary>Marks one (or, with null, all) of the actor's notifications read. Another user's id is "not found".</summary>
    public async Task<bool> MarkReadAsync(Actor actor, long? id, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var q = db.Notifications.Where(n => n.UserId == actor.UserId && n.ReadAt == null);
        if (id is { } one)
        {
            if (!await db.Notifications.AnyAsync(n => n.Id == one && n.UserId == actor.UserId, ct)) return false;
            q = q.Where(n => n.Id == one);
        }
        await q.ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
        return true;
    }

    public async Task<PreferencesDto> GetPreferencesAsync(Actor actor, CancellationToken ct)
    {
        var p = await db.NotificationPreferences.AsNoTracking().FirstOrDefaultAsync(x => x.UserId == actor.UserId, ct)
            ?? new NotificationPreference { UserId = actor.UserId };
        return new PreferencesDto(ParseKinds(p.MutedKinds).Order().ToArray(), p.Email, p.Digest, p.DigestHour, Hhmm(p.QuietFromMinute), Hhmm(p.QuietToMinute));
    }

    private static string? Hhmm(int? m) => m is { } v ? $"{v / 60:00}:{v % 60:00}" : null;

    public static bool TryMinutes(string? hhmm, out int? minutes)
    {
        minutes = null;
        if (string.IsNullOrWhiteSpace(hhmm)) return true;
        if (!TimeOnly.TryParseExact(hhmm.Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)) return false;
        minutes = t.Hour * 60 + t.Minute;
        return true;
    }

    public async Task<Dictionary<string, string[]>?> SavePreferencesAsync(Actor actor, PreferencesDto body, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (body.MutedKinds is not null && body.MutedKinds.Any(k => !Enum.IsDefined(k))) errors["mutedKinds"] = ["Jenis notifikasi tidak dikenal / unknown notification kind."];
        if (body.DigestHour is < 0 or > 23) errors["digestHour"] = ["Jam ringkasan 0–23 / digest hour must be 0–23."];
        if (!TryMinutes(body.QuietFrom, out var from)) errors["quietFrom"] = ["Format jam HH:mm / time must be HH:mm."];
        if (!TryMinutes(body.QuietTo, out var to)) errors["quietTo"] = ["Format jam HH:mm / time must be HH:mm."];
        if (errors.Count == 0 && (from is null) != (to is null)) errors["quietTo"] = ["Isi awal dan akhir jam tenang / give both the start and the end of the quiet hours."];
        if (errors.Count > 0) return errors;
        var p = await db.NotificationPreferences.FirstOrDefaultAsync(x => x.UserId == actor.UserId, ct);
        if (p is null) db.NotificationPreferences.Add(p = new NotificationPreference { UserId = actor.UserId });
        p.MutedKinds = FormatKinds(body.MutedKinds ?? []);
        p.Email = body.Email;
        p.Digest = body.Digest;
        p.DigestHour = body.DigestHour;
        p.QuietFromMinute = from;
        p.QuietToMinute = to;
        p.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>E-mail addresses in the record show only their first letter and domain (r***@example.org).</summary>
    public static string MaskEmail(string? address)
    {
        if (string.IsNullOrEmpty(address)) return "";
        var at = address.IndexOf('@', StringComparison.Ordinal);
        return at <= 0 ? "***" : address[0] + "***" + address[at..];
    }

    /// <summary>Who was told what, when and how, for notifications in the admin's scope (newest first).</summary>
    public async Task<List<NotificationRecordDto>> RecordAsync(Actor actor, string? subject, NotificationKind? kind, bool english, int take, CancellationToken ct)
    {
        var q = db.Notifications.AsNoTracking().Include(n => n.Deliveries).ThenInclude(d => d.AttemptLog).AsSplitQuery().AsQueryable();
        if (actor.ScopeCode.Length > 0) q = q.Where(n => n.RegionCode == actor.ScopeCode || n.RegionCode.StartsWith(actor.ScopeCode + "."));
        if (!string.IsNullOrWhiteSpace(subject)) q = q.Where(n => n.Subject == subject.Trim());
        if (kind is { } k) q = q.Where(n => n.Kind == k);
        var rows = await q.OrderByDescending(n => n.Id).Take(Math.Clamp(take, 1, 1000)).ToListAsync(ct);
        var ids = rows.Where(r => r.UserId is not null).Select(r => r.UserId!).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.UserName ?? "", ct);
        var hookIds = rows.SelectMany(r => r.Deliveries).Where(d => d.WebhookId != null).Select(d => d.WebhookId!.Value).Distinct().ToList();
        var hooks = await db.WebhookSubscriptions.AsNoTracking().Where(w => hookIds.Contains(w.Id)).ToDictionaryAsync(w => w.Id, w => w.Name, ct);
        return rows.Select(n => new NotificationRecordDto(n.Id, n.PublicId, n.Kind, n.RegionCode, n.Subject, english ? n.TitleEn : n.TitleId, n.UserId,
            n.UserId is null ? null : names.GetValueOrDefault(n.UserId), n.CreatedAt, n.ReadAt,
            [
                ..(n.UserId is null ? [] : new[] { new DeliveryRecordDto(0, NotificationChannel.InApp, names.GetValueOrDefault(n.UserId) ?? n.UserId, DeliveryStatus.Delivered, 1, n.CreatedAt, null, n.CreatedAt, []) }),
                ..n.Deliveries.OrderBy(d => d.Id).Select(d => new DeliveryRecordDto(d.Id, d.Channel,
                    d.Channel == NotificationChannel.Email ? MaskEmail(d.EmailAddress) : "webhook " + (d.WebhookId is { } w ? hooks.GetValueOrDefault(w, "#" + w) : ""),
                    d.Status, d.Attempts, d.DeliveredAt, d.LastError, d.NextAttemptAt,
                    d.AttemptLog.OrderBy(a => a.Id).Select(a => new AttemptDto(a.At, a.Success, a.Error)).ToList())),
            ])).ToList();
    }

    public async Task<List<WebhookDto>> WebhooksAsync(Actor actor, CancellationToken ct)
    {
        var q = db.WebhookSubscriptions.AsNoTracking();
        if (actor.ScopeCode.Length > 0) q = q.Where(w => w.RegionCode == actor.ScopeCode || w.RegionCode.StartsWith(actor.ScopeCode + "."));
        return (await q.OrderBy(w => w.Id).ToListAsync(ct)).Select(ToDto).ToList();
    }

    private static WebhookDto ToDto(WebhookSubscription w) => new(w.Id, w.Name, w.RegionCode, w.Url, ParseKinds(w.Kinds).Order().ToArray(), w.Active, w.CreatedAt);

    public static Dictionary<string, string[]> ValidateWebhook(NewWebhook body)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Trim().Length > 120) errors["name"] = ["Nama 1–120 karakter / name must be 1–120 characters."];
        if (!Uri.TryCreate(body.Url?.Trim(), UriKind.Absolute, out var u) || (u.Scheme != Uri.UriSchemeHttps && u.Scheme != Uri.UriSchemeHttp) || body.Url!.Length > 500)
            errors["url"] = ["Alamat http(s) yang lengkap / give a full http(s) URL."];
        if (string.IsNullOrWhiteSpace(body.Secret) || body.Secret.Trim().Length is < 16 or > 200) errors["secret"] = ["Kunci rahasia 16–200 karakter / the secret must be 16–200 characters."];
        if (body.Kinds is not null && body.Kinds.Any(k => !Enum.IsDefined(k))) errors["kinds"] = ["Jenis notifikasi tidak dikenal / unknown notification kind."];
        return errors;
    }

    public async Task<WebhookDto> AddWebhookAsync(Actor actor, NewWebhook body, CancellationToken ct)
    {
        var w = new WebhookSubscription
        {
            Name = body.Name!.Trim(), RegionCode = body.RegionCode?.Trim() ?? "", Url = body.Url!.Trim(), Secret = body.Secret!.Trim(),
            Kinds = FormatKinds(body.Kinds ?? []), CreatedBy = actor.UserName, CreatedAt = time.GetUtcNow(),
        };
        db.WebhookSubscriptions.Add(w);
        await db.SaveChangesAsync(ct);
        return ToDto(w);
    }

    public async Task<bool?> SetWebhookActiveAsync(Actor actor, int id, bool active, CancellationToken ct)
    {
        var w = await db.WebhookSubscriptions.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (w is null) return null;
        if (!actor.Covers(w.RegionCode)) return false;
        w.Active = active;
        await db.SaveChangesAsync(ct);
        return true;
    }
}
