namespace Pantau.Core.Incidents;

/// <summary>What a report is about.</summary>
public enum IncidentCategory
{
    SecurityIncident = 1,
    HorizontalConflict = 2,
    Hoax = 3,
    AsnNeutrality = 4,
    MoneyPolitics = 5,
    Intimidation = 6,
    Logistics = 7,
    Outage = 8,
    Other = 9,
}

/// <summary>Lifecycle of a report: New → Verified (or Rejected / Merged) → Referred → ActionTaken → Closed.</summary>
public enum IncidentStatus
{
    New = 0,
    Verified = 1,
    Referred = 2,
    ActionTaken = 3,
    Closed = 4,
    Rejected = 5,
    Merged = 6,
}

public enum Severity { Low = 1, Medium = 2, High = 3, Critical = 4 }

public enum Urgency { Low = 1, Normal = 2, Immediate = 3 }

/// <summary>Agencies a report can be referred to.</summary>
public enum Agency
{
    Bawaslu = 1,
    Police = 2,
    Army = 3,
    Bkn = 4,
    Kasn = 5,
    PpkInstansi = 6,
    Kpu = 7,
    RegionalGovernment = 8,
    Kominfo = 9,
}

/// <summary>Why a report was rejected.</summary>
public enum RejectReason { Noise = 1, Duplicate = 2, OutOfScope = 3 }

/// <summary>Hoax desk verdict on a claim.</summary>
public enum HoaxVerdict { Unverified = 0, Hoaks = 1, Disinformasi = 2, Misinformasi = 3, Benar = 4 }

/// <summary>How a report entered Pantau.</summary>
public enum ReportSource { Officer = 1, Citizen = 2 }

/// <summary>The eight TPS-rawan variables of Bawaslu's 2024 TPS mapping.</summary>
public enum TpsRawanVariable
{
    VotingRights = 1,
    Security = 2,
    MoneyPolitics = 3,
    SaraHateSpeech = 4,
    Neutrality = 5,
    Logistics = 6,
    TpsLocation = 7,
    ElectricityInternet = 8,
}

/// <summary>Bilingual labels for the enums (Indonesian first).</summary>
public static class IncidentLabels
{
    public static (string Id, string En) Of(IncidentCategory c) => c switch
    {
        IncidentCategory.SecurityIncident => ("Gangguan keamanan", "Security incident"),
        IncidentCategory.HorizontalConflict => ("Konflik horizontal", "Horizontal conflict"),
        IncidentCategory.Hoax => ("Hoaks", "Hoax"),
        IncidentCategory.AsnNeutrality => ("Netralitas ASN", "Civil-service neutrality"),
        IncidentCategory.MoneyPolitics => ("Politik uang", "Money politics"),
        IncidentCategory.Intimidation => ("Intimidasi", "Intimidation"),
        IncidentCategory.Logistics => ("Masalah logistik", "Logistics problem"),
        IncidentCategory.Outage => ("Bencana / listrik / internet padam", "Disaster / power / internet outage"),
        _ => ("Lainnya", "Other"),
    };

    public static (string Id, string En) Of(IncidentStatus s) => s switch
    {
        IncidentStatus.New => ("Baru", "New"),
        IncidentStatus.Verified => ("Terverifikasi", "Verified"),
        IncidentStatus.Referred => ("Diteruskan", "Referred"),
        IncidentStatus.ActionTaken => ("Ditindaklanjuti", "Action taken"),
        IncidentStatus.Closed => ("Selesai", "Closed"),
        IncidentStatus.Rejected => ("Ditolak", "Rejected"),
        _ => ("Digabung", "Merged"),
    };

    public static (string Id, string En) Of(Severity s) => s switch
    {
        Severity.Low => ("Rendah", "Low"),
        Severity.Medium => ("Sedang", "Medium"),
        Severity.High => ("Tinggi", "High"),
        _ => ("Kritis", "Critical"),
    };

    public static (string Id, string En) Of(Agency a) => a switch
    {
        Agency.Bawaslu => ("Bawaslu", "Bawaslu (election supervisor)"),
        Agency.Police => ("Polri", "Police"),
        Agency.Army => ("TNI", "Army"),
        Agency.Bkn => ("BKN", "BKN (civil service agency)"),
        Agency.Kasn => ("KASN", "KASN (civil service commission)"),
        Agency.PpkInstansi => ("PPK instansi", "Staffing officer of the agency"),
        Agency.Kpu => ("KPU", "KPU (election commission)"),
        Agency.RegionalGovernment => ("Pemerintah daerah", "Regional government"),
        _ => ("Kominfo", "Kominfo (communications ministry)"),
    };

    public static (string Id, string En) Of(HoaxVerdict v) => v switch
    {
        HoaxVerdict.Hoaks => ("Hoaks", "Hoax"),
        HoaxVerdict.Disinformasi => ("Disinformasi", "Disinformation"),
        HoaxVerdict.Misinformasi => ("Misinformasi", "Misinformation"),
        HoaxVerdict.Benar => ("Benar", "True"),
        _ => ("Belum terverifikasi", "Not yet verified"),
    };

    public static (string Id, string En) Of(TpsRawanVariable v) => v switch
    {
        TpsRawanVariable.VotingRights => ("Penggunaan hak pilih", "Use of voting rights"),
        TpsRawanVariable.Security => ("Keamanan", "Security"),
        TpsRawanVariable.MoneyPolitics => ("Politik uang", "Money politics"),
        TpsRawanVariable.SaraHateSpeech => ("SARA / ujaran kebencian", "SARA / hate speech"),
        TpsRawanVariable.Neutrality => ("Netralitas", "Neutrality"),
        TpsRawanVariable.Logistics => ("Logistik", "Logistics"),
        TpsRawanVariable.TpsLocation => ("Lokasi TPS", "TPS location"),
        _ => ("Listrik / internet", "Electricity / internet"),
    };
}

/// <summary>Indonesia's bounding box (with its outermost islands) for map points.</summary>
public static class IndonesiaBounds
{
    public const double MinLat = -11.2, MaxLat = 6.3, MinLng = 94.7, MaxLng = 141.2;

    public static bool Contains(double lat, double lng) =>
        double.IsFinite(lat) && double.IsFinite(lng) && lat is >= MinLat and <= MaxLat && lng is >= MinLng and <= MaxLng;
}
