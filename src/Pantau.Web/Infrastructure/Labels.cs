using Pantau.Core.Coordination;
using Pantau.Core.Incidents;
using Pantau.Core.Notifications;
using Pantau.Core.Readiness;
using Pantau.Core.Regions;
using Pantau.Core.Security;

namespace Pantau.Web.Infrastructure;

/// <summary>
/// Codes people read, in the page's language (issue 24.6): incident history actions, urgency, report source, readiness and
/// logistics statuses, logistics items and discrepancy kinds, agency kinds, notification channels, region levels, and a stored
/// role name (incident history, audit) as the role's label.
/// </summary>
public static class Labels
{
    public static string Label(this Lang l, Urgency u) => u switch
    {
        Urgency.Low => l.T("Rendah", "Low"), Urgency.Immediate => l.T("Segera", "Immediate"), _ => l.T("Biasa", "Normal"),
    };

    public static string Label(this Lang l, ReportSource s) => s == ReportSource.Citizen ? l.T("Warga", "Citizen") : l.T("Petugas", "Officer");

    /// <summary>An incident history action as stored (<c>reported</c>, <c>triage</c>, an <see cref="IncidentAction"/> name, ...).</summary>
    public static string IncidentEvent(this Lang l, string action) => action switch
    {
        "reported" => l.T("dilaporkan", "reported"),
        "triage" => l.T("triase", "triage"),
        "evidence" => l.T("bukti ditambahkan", "evidence added"),
        "hoax-claim" => l.T("dikaitkan ke klaim hoaks", "linked to a hoax claim"),
        "merged-in" => l.T("laporan lain digabung", "another report merged in"),
        "escalated" => l.T("dieskalasi (batas waktu terlewati)", "escalated (deadline passed)"),
        nameof(IncidentAction.Verify) => l.T("diverifikasi", "verified"),
        nameof(IncidentAction.Reject) => l.T("ditolak", "rejected"),
        nameof(IncidentAction.MergeInto) => l.T("digabung ke laporan lain", "merged into another report"),
        nameof(IncidentAction.Refer) => l.T("diteruskan", "referred"),
        nameof(IncidentAction.RecordAction) => l.T("tindak lanjut dicatat", "action recorded"),
        nameof(IncidentAction.Close) => l.T("ditutup", "closed"),
        nameof(IncidentAction.Reopen) => l.T("dibuka kembali", "reopened"),
        _ => action,
    };

    public static string Label(this Lang l, IncidentStatus s) { var (id, en) = IncidentLabels.Of(s); return l.T(id, en); }

    /// <summary>A role stored by name (incident history, audit): its label; "System" and "Public" in words.</summary>
    public static string RoleName(this Lang l, string? role) => role switch
    {
        null or "" => "",
        "System" or "system" => l.T("sistem", "system"),
        _ when Enum.TryParse<Role>(role, out var r) => l.Label(r),
        _ => role,
    };

    public static string Label(this Lang l, Timeliness t) => t switch
    {
        Timeliness.Late => l.T("Terlambat", "Late"), Timeliness.AtRisk => l.T("Berisiko", "At risk"), Timeliness.Done => l.T("Selesai", "Done"),
        _ => l.T("Sesuai jadwal", "On time"),
    };

    public static string Label(this Lang l, Pantau.Core.Readiness.TaskStatus s) => s switch
    {
        Pantau.Core.Readiness.TaskStatus.Done => l.T("Selesai", "Done"), Pantau.Core.Readiness.TaskStatus.InProgress => l.T("Berjalan", "In progress"),
        Pantau.Core.Readiness.TaskStatus.Blocked => l.T("Terhambat", "Blocked"), _ => l.T("Belum mulai", "Not started"),
    };

    public static string Label(this Lang l, DiscrepancyKind k) => k switch
    {
        DiscrepancyKind.ReceivedNotSent => l.T("Diterima tidak sama dengan dikirim", "Received differs from sent"),
        DiscrepancyKind.Damaged => l.T("Rusak di atas batas", "Damaged above the limit"),
        DiscrepancyKind.ShortOfRequirement => l.T("Kurang dari kebutuhan", "Short of the requirement"),
        _ => l.T("Belum di PPK pada target", "Not at the PPK by the target"),
    };

    /// <summary>A logistics item key (<c>surat-suara:PILGUB-16</c>) as its name, with the contest.</summary>
    public static string LogisticsItem(this Lang l, string? itemKey)
    {
        if (string.IsNullOrEmpty(itemKey)) return "";
        var kind = LogisticsRules.Kind(itemKey);
        if (kind is null) return itemKey;
        var parts = itemKey.Split(':');
        var name = l.T(kind.NameId, kind.NameEn);
        return parts.Length == 2 ? $"{name} ({parts[1]})" : name;
    }

    /// <summary>A text that quotes item keys (a discrepancy's message): each key replaced by the item's name.</summary>
    public static string WithItemNames(this Lang l, string text)
    {
        foreach (var kind in LogisticsRules.Items)
        {
            var at = text.IndexOf(kind.Code, StringComparison.Ordinal);
            while (at >= 0)
            {
                var end = at + kind.Code.Length;
                if (end < text.Length && text[end] == ':') { end++; while (end < text.Length && !char.IsWhiteSpace(text[end]) && text[end] != ':') end++; }
                var key = text[at..end];
                var name = l.LogisticsItem(key);
                text = text[..at] + name + text[end..];
                at = text.IndexOf(kind.Code, at + name.Length, StringComparison.Ordinal);
            }
        }
        return text;
    }

    public static string Label(this Lang l, AgencyKind k) => k switch
    {
        AgencyKind.Pemda => l.T("Pemerintah daerah", "Regional government"),
        AgencyKind.Dprd => "DPRD",
        AgencyKind.Police => l.T("Polri", "Police"),
        AgencyKind.Army => l.T("TNI", "Armed forces"),
        AgencyKind.Prosecutor => l.T("Kejaksaan", "Prosecutor's office"),
        AgencyKind.Kpu => "KPU",
        AgencyKind.Bawaslu => "Bawaslu",
        AgencyKind.Kesbangpol => "Kesbangpol",
        AgencyKind.Diskominfo => "Diskominfo",
        AgencyKind.Bkn => "BKN",
        AgencyKind.Camat => "Camat",
        AgencyKind.Ppk => "PPK",
        AgencyKind.Panwascam => "Panwascam",
        _ => l.T("Lainnya", "Other"),
    };

    public static string Label(this Lang l, NotificationChannel c) => c switch
    {
        NotificationChannel.InApp => l.T("Dalam aplikasi", "In the app"), NotificationChannel.Email => "E-mail", _ => "Webhook",
    };

    public static string Label(this Lang l, RegionLevel r) => r switch
    {
        RegionLevel.Provinsi => l.T("provinsi", "province"), RegionLevel.KabKota => l.T("kab/kota", "regency/city"),
        RegionLevel.Kecamatan => "kecamatan", _ => l.T("desa/kelurahan", "village"),
    };

    public static string Label(this Lang l, ReadinessLevel r) => r switch
    {
        ReadinessLevel.Provinsi => l.T("provinsi", "province"), ReadinessLevel.KabKota => l.T("kab/kota", "regency/city"),
        ReadinessLevel.Kecamatan => "kecamatan", ReadinessLevel.Desa => l.T("desa/kelurahan", "village"), _ => "TPS",
    };

    /// <summary>A tahapan of the coordination schedule by its code: the Indonesian name, or its English name when chosen.</summary>
    public static string Tahapan(this Lang l, string code, string name) => !l.IsEnglish ? name : code switch
    {
        "pembentukan-badan-adhoc" => "Forming the PPK/PPS/KPPS",
        "daftar-pemilih" => "Updating the voter list",
        "pendaftaran" => "Paslon registration",
        "penetapan-paslon" => "Paslon confirmed",
        "nomor-urut" => "Ballot number draw",
        "kampanye" => "Campaign",
        "masa-tenang" => "Quiet period",
        "pemungutan" => "Voting and counting",
        "rekap-kecamatan" => "Kecamatan recapitulation",
        "rekap-kabkota" => "Regency/city recapitulation",
        "rekap-provinsi" => "Province recapitulation",
        "penetapan" => "Result confirmed",
        _ => name,
    };

    /// <summary>An anomaly's status as the API sends it (lower case: open, acknowledged, ...).</summary>
    public static string AnomalyStatus(this Lang l, string? status) => status?.ToLowerInvariant() switch
    {
        "open" => l.T("baru", "open"), "acknowledged" => l.T("diakui", "acknowledged"), "escalated" => l.T("diteruskan", "escalated"),
        "dismissed" => l.T("ditutup", "dismissed"), "resolved" => l.T("selesai otomatis", "resolved"), null => "", _ => status,
    };

    /// <summary>Any enum value of Pantau's model as people read it (the audit trail); an enum without labels is split into words.</summary>
    public static string EnumValue(this Lang l, Enum value) => value switch
    {
        Role r => l.Label(r),
        IncidentStatus s => l.Label(s),
        Severity s => l.T(IncidentLabels.Of(s).Id, IncidentLabels.Of(s).En),
        IncidentCategory c => l.T(IncidentLabels.Of(c).Id, IncidentLabels.Of(c).En),
        Agency a => l.T(IncidentLabels.Of(a).Id, IncidentLabels.Of(a).En),
        HoaxVerdict v => l.T(IncidentLabels.Of(v).Id, IncidentLabels.Of(v).En),
        Urgency u => l.Label(u),
        ReportSource s => l.Label(s),
        Pantau.Core.Readiness.TaskStatus s => l.Label(s),
        Timeliness t => l.Label(t),
        DiscrepancyKind k => l.Label(k),
        CustodyLevel c => CustodyChain.Name(c),
        AgencyKind k => l.Label(k),
        ActionStatus s => Pantau.Web.Pages.Coordination.CoordinationPage.StatusLabel(l, s),
        NotificationChannel c => l.Label(c),
        RegionLevel r => l.Label(r),
        ReadinessLevel r => l.Label(r),
        Pantau.Data.Tally.ResultStatus s => l.TallyStatus(s.ToString()),
        Pantau.Data.Tally.TallyState s => l.TallyStatus(s.ToString()),
        Pantau.Data.Tally.Anomalies.AnomalyStatus s => l.AnomalyStatus(s.ToString()),
        _ => Words(value.ToString()),
    };

    /// <summary>A PascalCase identifier as lower-case words (<c>ReceivedNotSent</c> → "received not sent").</summary>
    public static string Words(string identifier) =>
        System.Text.RegularExpressions.Regex.Replace(identifier, "(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ").ToLowerInvariant();
}
