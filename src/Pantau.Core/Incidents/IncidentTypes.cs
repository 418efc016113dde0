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

/// <summary>
/// Bawaslu's TPS-rawan mapping for the 2024 elections: eight variables, the indicators each one covers (as Bawaslu described them when it
/// published the mapping: 7 variables / 22 indicators for the Pemilu, collected 3-8 Feb 2024; 8 variables for the Pilkada, collected
/// 10-15 Nov 2024 — the <c>pendataan-tps-rawan</c> stage of the schedule), and where to read them.
/// </summary>
public static class TpsRawanIndicators
{
    public const string CollectionStage = "pendataan-tps-rawan";
    public static readonly DateOnly CollectionStart = new(2024, 11, 10);
    public static readonly DateOnly CollectionEnd = new(2024, 11, 15);

    public static (string Id, string En)[] Of(TpsRawanVariable v) => v switch
    {
        TpsRawanVariable.VotingRights =>
        [
            ("Pemilih DPT yang tidak memenuhi syarat (meninggal, pindah, TNI/Polri)", "Voters on the DPT who do not qualify (deceased, moved, military/police)"),
            ("Pemilih pindahan (DPTb) atau pemilih tambahan dalam jumlah besar", "Many moved-in (DPTb) or additional voters"),
            ("Pemilih yang memenuhi syarat tetapi tidak terdaftar; KPPS bertugas di luar domisili", "Qualified voters not on the list; KPPS serving outside their domicile"),
            ("Pemilih disabilitas, C-pemberitahuan tidak terdistribusi", "Voters with disabilities; voter notices not delivered"),
        ],
        TpsRawanVariable.Security => [("Riwayat kekerasan dan/atau intimidasi di sekitar TPS", "History of violence and/or intimidation around the TPS")],
        TpsRawanVariable.MoneyPolitics =>
        [
            ("Riwayat pemberian uang atau materi lain di sekitar TPS", "History of money or goods handed out around the TPS"),
            ("Relawan bayaran pasangan calon", "Paid volunteers of a candidate pair"),
        ],
        TpsRawanVariable.SaraHateSpeech => [("Praktik menghina/menghasut pemilih terkait isu SARA di sekitar TPS", "Insulting or inciting voters on ethnic, religious or racial lines around the TPS")],
        TpsRawanVariable.Neutrality =>
        [
            ("ASN, TNI/Polri, kepala desa atau perangkat desa yang menguntungkan/merugikan paslon", "Civil servants, military/police, village heads or staff favouring or harming a candidate pair"),
            ("Petugas KPPS berkampanye untuk paslon", "KPPS officers campaigning for a candidate pair"),
        ],
        TpsRawanVariable.Logistics => [("Riwayat kerusakan, kekurangan/kelebihan, tertukar atau terlambatnya logistik", "History of damaged, short, surplus, swapped or late logistics")],
        TpsRawanVariable.TpsLocation =>
        [
            ("TPS sulit dijangkau atau rawan bencana", "TPS hard to reach or exposed to disasters"),
            ("TPS dekat lembaga pendidikan, pabrik/perusahaan, atau posko/rumah tim kampanye", "TPS near a school, a factory/company, or a campaign post/house"),
            ("TPS di lokasi khusus (lapas, rumah sakit, dll.)", "TPS at a special location (prison, hospital, etc.)"),
        ],
        _ => [("Gangguan jaringan listrik dan/atau internet di lokasi TPS", "Power and/or internet outages at the TPS")],
    };
}

/// <summary>Indonesia's bounding box (with its outermost islands) for map points.</summary>
public static class IndonesiaBounds
{
    public const double MinLat = -11.2, MaxLat = 6.3, MinLng = 94.7, MaxLng = 141.2;

    public static bool Contains(double lat, double lng) =>
        double.IsFinite(lat) && double.IsFinite(lng) && lat is >= MinLat and <= MaxLat && lng is >= MinLng and <= MaxLng;
}
