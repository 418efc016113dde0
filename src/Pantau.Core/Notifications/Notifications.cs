using Pantau.Core.Security;

namespace Pantau.Core.Notifications;

/// <summary>What a notification is about. Stored as int: append only.</summary>
public enum NotificationKind
{
    IncidentFiled = 1,
    IncidentVerified = 2,
    IncidentReferred = 3,
    IncidentEscalated = 4,
    IncidentClosed = 5,
    ActionAssigned = 10,
    ActionDueSoon = 11,
    ActionOverdue = 12,
    ResultConflict = 20,
    AnomalyFlagged = 21,
    ReadinessLate = 30,
    SituationReport = 40,
    /// <summary>A status change of a citizen's own report, sent to the e-mail address they left.</summary>
    ReportStatus = 50,
}

public enum NotificationChannel { InApp = 1, Email = 2, Webhook = 3 }

public enum DeliveryStatus { Pending = 1, Sending = 2, Delivered = 3, Failed = 4 }

/// <summary>A user as the audience rule sees them: role, region scope and (for agency officers) the agency they work for.</summary>
public sealed record Recipient(string UserId, Role Role, string ScopeCode, string? Agency);

/// <summary>Who is told of what: by role and by region subtree. The one place of these rules.</summary>
public static class NotificationAudience
{
    private static readonly Role[] IncidentRoles =
        [Role.Admin, Role.DeskProvinsi, Role.DeskKabKota, Role.Camat, Role.Bawaslu, Role.Panwascam, Role.Police, Role.Army];
    private static readonly Role[] ActionRoles = [Role.Admin, Role.DeskProvinsi, Role.DeskKabKota];
    private static readonly Role[] ResultRoles = [Role.Admin, Role.DeskProvinsi, Role.DeskKabKota, Role.KpuOperator, Role.Bawaslu];
    private static readonly Role[] ReadinessRoles = [Role.Admin, Role.DeskProvinsi, Role.DeskKabKota, Role.KpuOperator];
    private static readonly Role[] ReportRoles = [Role.Admin, Role.DeskProvinsi, Role.DeskKabKota];

    /// <summary>The roles told of <paramref name="kind"/> (besides the agency officers of an action's owner agency).</summary>
    public static IReadOnlyList<Role> RolesFor(NotificationKind kind) => kind switch
    {
        NotificationKind.IncidentFiled or NotificationKind.IncidentVerified or NotificationKind.IncidentReferred
            or NotificationKind.IncidentEscalated or NotificationKind.IncidentClosed => IncidentRoles,
        NotificationKind.ActionAssigned or NotificationKind.ActionDueSoon or NotificationKind.ActionOverdue => ActionRoles,
        NotificationKind.ResultConflict or NotificationKind.AnomalyFlagged => ResultRoles,
        NotificationKind.ReadinessLate => ReadinessRoles,
        NotificationKind.SituationReport => ReportRoles,
        _ => [],
    };

    /// <summary>
    /// Whether <paramref name="r"/> is told of an event of <paramref name="kind"/> in <paramref name="regionCode"/>: their scope covers
    /// the region (an empty scope is national) and their role is in the kind's audience; for actions, also any officer who works for the
    /// owner agency (their agency field names it by <paramref name="agency"/> name or <paramref name="agencyCode"/>) whose scope covers it.
    /// </summary>
    public static bool Includes(Recipient r, NotificationKind kind, string regionCode, string? agency = null, string? agencyCode = null)
    {
        if (r.Role == Role.Public) return false;
        var covers = Security.Scopes.Reads(r.ScopeCode, regionCode); // a TPS (KPPS) scope is told about its TPS and its desa
        if (!covers) return false;
        if (RolesFor(kind).Contains(r.Role)) return true;
        if (kind is not (NotificationKind.ActionAssigned or NotificationKind.ActionDueSoon or NotificationKind.ActionOverdue)) return false;
        var mine = r.Agency?.Trim();
        if (string.IsNullOrEmpty(mine)) return false;
        return (agency is not null && string.Equals(mine, agency.Trim(), StringComparison.OrdinalIgnoreCase))
            || (agencyCode is not null && string.Equals(mine, agencyCode.Trim(), StringComparison.OrdinalIgnoreCase));
    }

    public static IEnumerable<Recipient> Select(IEnumerable<Recipient> users, NotificationKind kind, string regionCode, string? agency = null, string? agencyCode = null) =>
        users.Where(u => Includes(u, kind, regionCode, agency, agencyCode));
}

/// <summary>A user's choices. Quiet hours are local minutes of the day (start inclusive, end exclusive; may wrap past midnight).</summary>
public sealed record NotificationPrefs(
    IReadOnlySet<NotificationKind> MutedKinds, bool InApp, bool Email, bool Digest, int DigestHour, int? QuietFromMinute, int? QuietToMinute, TimeSpan UtcOffset)
{
    /// <summary>Everything on, immediate, no quiet hours, WIB.</summary>
    public static readonly NotificationPrefs Default = new(new HashSet<NotificationKind>(), true, true, false, 7, null, null, TimeSpan.FromHours(7));
}

/// <summary>When a notification goes out: quiet hours, daily digests, retries.</summary>
public static class NotificationSchedule
{
    /// <summary>Maximum delivery attempts per channel before a delivery is marked failed.</summary>
    public const int MaxAttempts = 6;

    /// <summary>Whether a channel is used at all for this kind given the preferences (critical incidents ignore muting).</summary>
    public static bool Wants(NotificationPrefs p, NotificationKind kind, NotificationChannel channel, bool critical)
    {
        if (!critical && p.MutedKinds.Contains(kind)) return false;
        return channel switch
        {
            NotificationChannel.InApp => true, // the in-app list always records it; muting above hides a kind entirely
            NotificationChannel.Email => p.Email || critical,
            _ => true,
        };
    }

    /// <summary>
    /// When an e-mail of an event at <paramref name="now"/> is due: at once; at the next digest hour for a digest user; after the quiet
    /// hours when now falls in them. A critical incident breaks through both.
    /// </summary>
    public static (DateTimeOffset At, bool Digest) EmailDueAt(NotificationPrefs p, DateTimeOffset now, bool critical)
    {
        if (critical) return (now, false);
        var at = p.Digest ? NextDigest(now, p.DigestHour, p.UtcOffset) : now;
        return (AfterQuiet(at, p), p.Digest);
    }

    /// <summary>The next local <paramref name="hour"/>:00 strictly after <paramref name="now"/>.</summary>
    public static DateTimeOffset NextDigest(DateTimeOffset now, int hour, TimeSpan offset)
    {
        var local = now.ToOffset(offset);
        var candidate = new DateTimeOffset(local.Year, local.Month, local.Day, Math.Clamp(hour, 0, 23), 0, 0, offset);
        if (candidate <= local) candidate = candidate.AddDays(1);
        return candidate.ToUniversalTime();
    }

    /// <summary>Whether <paramref name="at"/> falls in the quiet hours.</summary>
    public static bool InQuietHours(NotificationPrefs p, DateTimeOffset at)
    {
        if (p.QuietFromMinute is not { } from || p.QuietToMinute is not { } to || from == to) return false;
        var local = at.ToOffset(p.UtcOffset);
        var m = local.Hour * 60 + local.Minute;
        return from < to ? m >= from && m < to : m >= from || m < to;
    }

    /// <summary><paramref name="at"/>, or the end of the quiet hours it falls in.</summary>
    public static DateTimeOffset AfterQuiet(DateTimeOffset at, NotificationPrefs p)
    {
        if (!InQuietHours(p, at)) return at;
        var local = at.ToOffset(p.UtcOffset);
        var to = p.QuietToMinute!.Value;
        var end = new DateTimeOffset(local.Year, local.Month, local.Day, 0, 0, 0, p.UtcOffset).AddMinutes(to);
        if (end <= local) end = end.AddDays(1);
        return end.ToUniversalTime();
    }

    /// <summary>Exponential backoff after failed attempt number <paramref name="attempt"/> (1-based): 30 s, 1, 2, 4, 8 min ... at most 1 h.</summary>
    public static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromSeconds(Math.Min(3600, 30 * Math.Pow(2, Math.Clamp(attempt, 1, 20) - 1)));

    /// <summary>Whether a delivery that failed its <paramref name="attempts"/>th attempt is given up.</summary>
    public static bool GivesUp(int attempts) => attempts >= MaxAttempts;
}

/// <summary>Bilingual labels of the kinds (Indonesian first).</summary>
public static class NotificationLabels
{
    public static (string Id, string En) Of(NotificationKind k) => k switch
    {
        NotificationKind.IncidentFiled => ("Laporan insiden baru", "New incident report"),
        NotificationKind.IncidentVerified => ("Laporan insiden diverifikasi", "Incident report verified"),
        NotificationKind.IncidentReferred => ("Laporan insiden diteruskan", "Incident report referred"),
        NotificationKind.IncidentEscalated => ("Laporan insiden dieskalasi", "Incident report escalated"),
        NotificationKind.IncidentClosed => ("Laporan insiden ditutup", "Incident report closed"),
        NotificationKind.ActionAssigned => ("Tindak lanjut ditugaskan", "Follow-up action assigned"),
        NotificationKind.ActionDueSoon => ("Tindak lanjut jatuh tempo dalam 24 jam", "Follow-up action due within 24 hours"),
        NotificationKind.ActionOverdue => ("Tindak lanjut terlambat", "Follow-up action overdue"),
        NotificationKind.ResultConflict => ("Konflik C.Hasil menunggu", "C.Hasil conflict waiting"),
        NotificationKind.AnomalyFlagged => ("Anomali hasil", "Result anomaly"),
        NotificationKind.ReadinessLate => ("Tugas kesiapan terlambat", "Readiness task late"),
        NotificationKind.SituationReport => ("Laporan situasi siap", "Situation report ready"),
        NotificationKind.ReportStatus => ("Status laporan Anda berubah", "Your report's status changed"),
        _ => (k.ToString(), k.ToString()),
    };
}

/// <summary>A notice of late readiness tasks: one template, <see cref="Tasks"/> tasks late in <see cref="Regions"/> regions of a kab/kota.</summary>
public sealed record ReadinessLateNotice(string TemplateCode, string RegionCode, DateOnly Target, string TitleId, string TitleEn, string Owner,
    int Regions, long Tasks, int DaysLate)
{
    /// <summary>Once per template, kab/kota and target: a task whose target is moved and passes again is told again.</summary>
    public string Subject => $"readiness:{TemplateCode}:{RegionCode}:{Target.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}";

    public string BodyId => $"{TitleId} · {Owner} · terlambat {DaysLate} hari (target {Target.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}): {Tasks} tugas di {Regions} wilayah";
    public string BodyEn => $"{TitleEn} · {Owner} · {DaysLate} day(s) late (target {Target.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}): {Tasks} task(s) in {Regions} region(s)";
}

public static class ReadinessLateNotices
{
    /// <summary>
    /// Late readiness tasks grouped into notices: tasks of one template share a target and turn late on the same day everywhere, so one
    /// notice per template and kab/kota (a province task keeps its province) instead of one per desa or TPS. The notice's region is the
    /// kab/kota, so a Desk of that kab/kota or above hears of it and a Desk of another kab/kota does not.
    /// </summary>
    public static IReadOnlyList<ReadinessLateNotice> Group(IEnumerable<Readiness.CriticalItem> late) =>
        late.Where(i => i.Timeliness == Readiness.Timeliness.Late)
            .GroupBy(i => (i.TemplateCode, Region: Regions.RegionCode.Lineage(i.RegionCode).Take(2).Last(), i.Target))
            .Select(g => new ReadinessLateNotice(g.Key.TemplateCode, g.Key.Region, g.Key.Target, g.First().TitleId, g.First().TitleEn, g.First().Owner,
                g.Select(i => i.RegionCode).Distinct().Count(), g.Sum(i => (long)i.Count), g.Max(i => i.DaysLate)))
            .OrderBy(n => n.RegionCode, StringComparer.Ordinal).ThenBy(n => n.TemplateCode, StringComparer.Ordinal).ToList();
}
