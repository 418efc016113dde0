using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Pantau.Data;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Admin;

/// <summary>One changed field of an audit entry as people read it: the field's name and its values before and after.</summary>
public sealed record AuditChange(string Field, string? Before, string? After);

/// <summary>
/// An audit entry as people read it (issue 24.6): the kind of data and the action in words, and the stored JSON snapshots as a list of
/// fields with readable values (enum numbers as their labels, times in WIB/WITA/WIT, yes/no, item keys by name). The raw entry stays
/// in the CSV/Excel export and the API.
/// </summary>
public static partial class AuditView
{
    public static string Action(Lang l, string action) => action switch
    {
        "Added" => l.T("dibuat", "created"), "Modified" => l.T("diubah", "changed"), "Deleted" => l.T("dihapus", "deleted"),
        "Import" => l.T("impor data induk", "master data import"), "escalated" => l.T("dieskalasi", "escalated"), _ => action,
    };

    public static string Entity(Lang l, string type) => type switch
    {
        "Agency" => l.T("Instansi", "Agency"), "AgendaItem" => l.T("Agenda rakor", "Meeting agenda item"),
        "Agreement" => l.T("Kesepakatan", "Agreement"), "AgreementParty" => l.T("Pihak kesepakatan", "Agreement party"),
        "ApiToken" => l.T("Token API", "API token"), "BallotReplacementRequest" => l.T("Permintaan penggantian surat suara", "Ballot replacement request"),
        "CalendarFeed" => l.T("Kalender", "Calendar feed"), "Contest" => l.T("Pemilihan", "Contest"), "Decision" => l.T("Keputusan rakor", "Meeting decision"),
        "FollowUpAction" => l.T("Tindak lanjut", "Follow-up action"), "HoaxClaim" => l.T("Klaim hoaks", "Hoax claim"), "IkpValue" => l.T("Nilai IKP", "IKP value"),
        "Incident" => l.T("Laporan insiden", "Incident report"), "IncidentEvent" => l.T("Riwayat insiden", "Incident history"),
        "IncidentEvidence" => l.T("Bukti insiden", "Incident evidence"), "LogisticsHandover" => l.T("Berita acara serah terima logistik", "Logistics handover"),
        "LogisticsHandoverLine" => l.T("Barang serah terima", "Handover item"), "LogisticsPackage" => l.T("Paket logistik", "Logistics package"),
        "LogisticsShipment" => l.T("Pengiriman logistik", "Logistics shipment"), "Meeting" => "Rakor", "MeetingParticipant" => l.T("Peserta rakor", "Meeting participant"),
        "Notification" => l.T("Notifikasi", "Notification"), "NotificationDelivery" => l.T("Pengiriman notifikasi", "Notification delivery"),
        "NotificationPreference" => l.T("Preferensi notifikasi", "Notification preference"), "Paslon" => "Paslon",
        "ReadinessTaskState" => l.T("Tugas kesiapan", "Readiness task"), "ReadinessTemplate" => l.T("Templat tugas kesiapan", "Readiness task template"),
        "Region" => l.T("Wilayah", "Region"), "ResultVersion" => l.T("Lembar C.Hasil", "C.Hasil sheet"), "SituationReport" => l.T("Laporan situasi", "Situation report"),
        "StoredFile" => l.T("Berkas", "File"), "TahapanStage" => "Tahapan", "TallyAnomaly" => l.T("Anomali hasil", "Result anomaly"),
        "TpsRawan" => l.T("TPS rawan", "Vulnerable TPS"), "Tps" => "TPS", "WarehouseStock" => l.T("Stok gudang", "Warehouse stock"),
        "WebhookSubscription" => l.T("Langganan webhook", "Webhook subscription"), "PantauUser" => l.T("Akun pengguna", "User account"),
        "MasterData" => l.T("Data induk", "Master data"),
        _ => AuditFieldNames.Words(type),
    };

    /// <summary>The fields of an entry: for a change the fields that changed, for a creation or deletion the fields it had.</summary>
    public static IReadOnlyList<AuditChange> Changes(Lang l, PantauDbContext db, string entityType, string? before, string? after, string? regionHint = null)
    {
        var b = Parse(before);
        var a = Parse(after);
        var clr = db.Model.GetEntityTypes().FirstOrDefault(t => t.ClrType.Name == entityType);
        var names = b.Keys.Concat(a.Keys).Distinct().ToList();
        var list = new List<AuditChange>(names.Count);
        foreach (var name in names)
        {
            var type = clr?.FindProperty(name)?.ClrType;
            b.TryGetValue(name, out var bv);
            a.TryGetValue(name, out var av);
            list.Add(new AuditChange(AuditFieldNames.Label(l, name), b.ContainsKey(name) ? Value(l, bv, type, regionHint) : null, a.ContainsKey(name) ? Value(l, av, type, regionHint) : null));
        }
        return list;
    }

    private static Dictionary<string, JsonElement> Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return [];
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                ? doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone())
                : new() { ["value"] = doc.RootElement.Clone() };
        }
        catch (JsonException) { return new() { ["value"] = JsonDocument.Parse(JsonSerializer.Serialize(json)).RootElement.Clone() }; }
    }

    [GeneratedRegex("^(?<contest>[A-Z0-9.-]+)/(?<tps>[0-9]{13})/v(?<v>[0-9]+)/(?<status>[A-Za-z]+)$")]
    private static partial Regex VersionRef();

    private static string Value(Lang l, JsonElement v, Type? type, string? region)
    {
        var enumType = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        switch (v.ValueKind)
        {
            case JsonValueKind.Null or JsonValueKind.Undefined: return "–";
            case JsonValueKind.True: return l.T("ya", "yes");
            case JsonValueKind.False: return l.T("tidak", "no");
            case JsonValueKind.Number when enumType is { IsEnum: true } && v.TryGetInt64(out var n):
                return l.EnumValue((Enum)Enum.ToObject(enumType, n));
            case JsonValueKind.Number: return v.TryGetInt64(out var i) ? Lang.N(i) : v.TryGetDouble(out var d) ? Lang.N(d, 2) : v.GetRawText();
            case JsonValueKind.Array: return string.Join(", ", v.EnumerateArray().Select(x => Value(l, x, null, region)));
            case JsonValueKind.Object:
                return string.Join("; ", v.EnumerateObject().Select(p => $"{AuditFieldNames.Label(l, p.Name)}: {Value(l, p.Value, null, region)}"));
            default:
                var s = v.GetString() ?? "";
                if (enumType is { IsEnum: true } && Enum.TryParse(enumType, s, out var e)) return l.EnumValue((Enum)e!);
                if ((enumType == typeof(DateTimeOffset) || enumType == typeof(DateTime) || s.Length >= 20 && s[4] == '-' && s[10] == 'T')
                    && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)) return l.Date(at, region);
                if (enumType == typeof(DateOnly) && DateOnly.TryParse(s, CultureInfo.InvariantCulture, out var day)) return l.Date(day);
                if (VersionRef().Match(s) is { Success: true } m)
                    return $"{m.Groups["contest"].Value} TPS {m.Groups["tps"].Value} v{m.Groups["v"].Value} ({l.TallyStatus(m.Groups["status"].Value)})";
                if (Pantau.Core.Readiness.LogisticsRules.Kind(s) is not null && s.Length < 60) return l.LogisticsItem(s);
                return l.TallySource(s) is { Length: > 0 } src && src != s ? src : s;
        }
    }
}

/// <summary>Field names of the stored snapshots (entity property names, camelCase keys of system entries) as people read them.</summary>
public static class AuditFieldNames
{
    public static string Words(string identifier) => Labels.Words(identifier);

    public static string Label(Lang l, string name) => name switch
    {
        "Id" => "ID", "Version" => l.T("versi", "version"), "Status" => "status", "Title" => l.T("judul", "title"), "Name" => l.T("nama", "name"),
        "Note" or "Notes" => l.T("catatan", "note"), "RegionCode" => l.T("wilayah", "region"), "CreatedAt" => l.T("dibuat", "created"),
        "UpdatedAt" => l.T("diubah", "updated"), "CreatedBy" => l.T("dibuat oleh", "created by"), "UpdatedBy" => l.T("diubah oleh", "updated by"),
        "Description" => l.T("uraian", "description"), "Category" => l.T("kategori", "category"), "Severity" => l.T("keparahan", "severity"),
        "Urgency" => l.T("urgensi", "urgency"), "Source" or "source" => l.T("sumber", "source"), "VerifiedAt" => l.T("diverifikasi", "verified"),
        "ClosedAt" => l.T("ditutup", "closed"), "ActionTakenAt" => l.T("ditindaklanjuti", "action taken"), "ReferredAt" => l.T("diteruskan", "referred"),
        "ReportedAt" => l.T("dilaporkan", "reported"), "OccurredAt" => l.T("waktu kejadian", "occurred"), "TrackingCode" => l.T("kode lacak", "tracking code"),
        "ReporterName" => l.T("nama pelapor", "reporter name"), "ReporterContact" => l.T("kontak pelapor", "reporter contact"),
        "Latitude" => "lintang", "Longitude" => "bujur",
        "FromCode" => l.T("dari", "from"), "ToCode" => l.T("ke", "to"), "FromLevel" => l.T("tingkat pengirim", "sender level"), "ToLevel" => l.T("tingkat penerima", "receiver level"),
        "HandedOverAt" => l.T("waktu serah terima", "handed over"), "HandedOverBy" => l.T("diserahkan oleh", "handed over by"), "ReceivedBy" => l.T("diterima oleh", "received by"),
        "EscortedBy" => l.T("dikawal oleh", "escorted by"), "PhotoFileId" => l.T("foto", "photo"), "HandoverId" => l.T("serah terima", "handover"),
        "ItemKey" => l.T("barang", "item"), "Sent" => l.T("dikirim", "sent"), "Received" => l.T("diterima", "received"), "Damaged" => l.T("rusak", "damaged"),
        "TemplateCode" => l.T("tugas", "task"), "SubjectCode" => l.T("subjek", "subject"), "Target" => "target", "Timeliness" => l.T("ketepatan", "timeliness"),
        "MeetingId" => "rakor", "AgreementId" => l.T("kesepakatan", "agreement"), "AgencyId" => l.T("instansi", "agency"), "OwnerAgencyId" => l.T("instansi penanggung jawab", "owner agency"),
        "Attended" => l.T("hadir", "attended"), "Representative" => l.T("wakil", "representative"), "Order" => l.T("urutan", "order"), "Text" => l.T("isi", "text"),
        "HeldAt" => l.T("waktu rakor", "held"), "Location" => l.T("tempat", "location"), "Minutes" => l.T("notulen", "minutes"), "Chair" => l.T("pimpinan", "chair"),
        "SignedAt" => l.T("ditandatangani", "signed"), "Scope" => l.T("ruang lingkup", "scope"), "DueAt" => l.T("tenggat", "due"), "DecisionId" => l.T("keputusan", "decision"),
        "DocumentFileId" => l.T("dokumen", "document"), "Kind" => l.T("jenis", "kind"), "Code" => l.T("kode", "code"), "Contact" => l.T("kontak", "contact"),
        "IsGenerated" => l.T("dibuat otomatis", "generated"), "Role" => l.T("peran", "role"), "ScopeCode" => l.T("wilayah tugas", "scope"),
        "UserName" => l.T("nama pengguna", "user name"), "DisplayName" => l.T("nama tampilan", "display name"), "Email" => "e-mail",
        "logSeq" => l.T("nomor log", "log number"), "versions" => l.T("versi", "versions"), "superseded" => l.T("digantikan", "superseded"),
        "generated" => l.T("dibuat otomatis", "generated"), "value" => l.T("nilai", "value"),
        _ => Words(name),
    };
}
