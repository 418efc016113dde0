using Pantau.Core.Regions;

namespace Pantau.Core.Coordination;

/// <summary>Status of a follow-up action (tindak lanjut).</summary>
public enum ActionStatus
{
    Open = 0,
    InProgress = 1,
    Done = 2,
    Cancelled = 3,
}

/// <summary>Kind of an agency in the coordination directory.</summary>
public enum AgencyKind
{
    Pemda = 0,
    Dprd = 1,
    Police = 2,
    Army = 3,
    Prosecutor = 4,
    Kpu = 5,
    Bawaslu = 6,
    Kesbangpol = 7,
    Diskominfo = 8,
    Bkn = 9,
    Camat = 10,
    Ppk = 11,
    Panwascam = 12,
    Other = 99,
}

public static class ActionRules
{
    public static bool IsClosed(ActionStatus s) => s is ActionStatus.Done or ActionStatus.Cancelled;

    /// <summary>An action is overdue when it is still open or in progress after its due time.</summary>
    public static bool IsOverdue(ActionStatus status, DateTimeOffset due, DateTimeOffset now) => !IsClosed(status) && due < now;

    /// <summary>Allowed status changes: open ↔ in progress, either to done or cancelled; done/cancelled may be reopened.</summary>
    public static bool CanMove(ActionStatus from, ActionStatus to) => from != to && (from, to) switch
    {
        (ActionStatus.Done, ActionStatus.Cancelled) or (ActionStatus.Cancelled, ActionStatus.Done) => false,
        _ => true,
    };
}

/// <summary>Key dates of Pilkada serentak 2024 (PKPU 2/2024), all in WIB.</summary>
public static class PilkadaSchedule
{
    public static readonly TimeSpan Wib = TimeSpan.FromHours(7);
    public static readonly DateOnly VotingDay = new(2024, 11, 27);

    /// <summary>Whole days from the local (WIB) date of <paramref name="now"/> to voting day; 0 on the day, negative after it.</summary>
    public static int DaysToVoting(DateTimeOffset now) => VotingDay.DayNumber - DateOnly.FromDateTime(now.ToOffset(Wib).DateTime).DayNumber;

    /// <summary>The tahapan of the schedule, by code: (start, end) as local dates. Used until the Readiness module supplies its own.</summary>
    public static readonly IReadOnlyDictionary<string, (string Name, DateOnly Start, DateOnly End)> Tahapan = new Dictionary<string, (string, DateOnly, DateOnly)>
    {
        ["pembentukan-badan-adhoc"] = ("Pembentukan PPK/PPS/KPPS", new(2024, 4, 17), new(2024, 11, 5)),
        ["daftar-pemilih"] = ("Pemutakhiran daftar pemilih", new(2024, 5, 31), new(2024, 9, 23)),
        ["pendaftaran"] = ("Pendaftaran paslon", new(2024, 8, 27), new(2024, 8, 29)),
        ["penetapan-paslon"] = ("Penetapan paslon", new(2024, 9, 22), new(2024, 9, 22)),
        ["nomor-urut"] = ("Pengundian nomor urut", new(2024, 9, 23), new(2024, 9, 23)),
        ["kampanye"] = ("Kampanye", new(2024, 9, 25), new(2024, 11, 23)),
        ["masa-tenang"] = ("Masa tenang", new(2024, 11, 24), new(2024, 11, 26)),
        ["pemungutan"] = ("Pemungutan dan penghitungan suara", new(2024, 11, 27), new(2024, 11, 27)),
        ["rekap-kecamatan"] = ("Rekapitulasi kecamatan", new(2024, 11, 28), new(2024, 12, 3)),
        ["rekap-kabkota"] = ("Rekapitulasi kab/kota", new(2024, 11, 29), new(2024, 12, 6)),
        ["rekap-provinsi"] = ("Rekapitulasi provinsi", new(2024, 11, 30), new(2024, 12, 9)),
        ["penetapan"] = ("Penetapan hasil", new(2024, 12, 15), new(2024, 12, 15)),
    };

    /// <summary>End of the local day <paramref name="date"/> + <paramref name="offsetDays"/> (23:59:59 WIB) as UTC.</summary>
    public static DateTimeOffset EndOfDay(DateOnly date, int offsetDays = 0) =>
        new DateTimeOffset(date.AddDays(offsetDays).ToDateTime(new TimeOnly(23, 59, 59)), Wib).ToUniversalTime();
}

/// <summary>An entry generated for the agency directory.</summary>
public sealed record AgencySeed(string Code, string Name, AgencyKind Kind, string RegionCode, bool IsForkopim);

/// <summary>
/// Generates the coordination directory: the Forkopimda of a province and of each kab/kota (head of region, DPRD, police, army,
/// prosecutor) plus KPU, Bawaslu, Kesbangpol, Diskominfo and the regional BKN office, and the camat and Forkopimcam of each kecamatan.
/// Codes are stable (<c>REGION:KIND</c>) so re-running is idempotent.
/// </summary>
public static class AgencyDirectory
{
    public sealed record Place(string Code, string Name, string? Type = null);

    public static IEnumerable<AgencySeed> ForProvince(Place province)
    {
        var (kodam, korem, bknOffice) = province.Code == "16"
            ? ("Kodam II/Sriwijaya", "Korem 044/Garuda Dempo", "Kantor Regional VII BKN Palembang")
            : ((string?)null, (string?)null, (string?)null);
        var n = Title(province.Name);
        var c = province.Code;
        yield return new($"{c}:PEMDA", $"Pemerintah Provinsi {n}", AgencyKind.Pemda, c, true);
        yield return new($"{c}:DPRD", $"DPRD Provinsi {n}", AgencyKind.Dprd, c, true);
        yield return new($"{c}:POLDA", $"Polda {n}", AgencyKind.Police, c, true);
        yield return new($"{c}:KODAM", kodam ?? $"Kodam wilayah {n}", AgencyKind.Army, c, true);
        yield return new($"{c}:KOREM", korem ?? $"Korem wilayah {n}", AgencyKind.Army, c, false);
        yield return new($"{c}:KEJATI", $"Kejaksaan Tinggi {n}", AgencyKind.Prosecutor, c, true);
        yield return new($"{c}:KPU", $"KPU Provinsi {n}", AgencyKind.Kpu, c, false);
        yield return new($"{c}:BAWASLU", $"Bawaslu Provinsi {n}", AgencyKind.Bawaslu, c, false);
        yield return new($"{c}:KESBANGPOL", $"Badan Kesbangpol Provinsi {n}", AgencyKind.Kesbangpol, c, false);
        yield return new($"{c}:DISKOMINFO", $"Dinas Kominfo Provinsi {n}", AgencyKind.Diskominfo, c, false);
        yield return new($"{c}:BKN", bknOffice ?? $"Kantor Regional BKN wilayah {n}", AgencyKind.Bkn, c, false);
    }

    public static IEnumerable<AgencySeed> ForKabKota(Place kab)
    {
        var isKota = kab.Type?.Contains("kota", StringComparison.OrdinalIgnoreCase) == true || kab.Name.StartsWith("KOTA ", StringComparison.OrdinalIgnoreCase);
        var bare = Title(StripPrefix(kab.Name));
        var full = (isKota ? "Kota " : "Kabupaten ") + bare;
        var c = kab.Code;
        yield return new($"{c}:PEMDA", (isKota ? "Pemerintah Kota " : "Pemerintah Kabupaten ") + bare, AgencyKind.Pemda, c, true);
        yield return new($"{c}:DPRD", $"DPRD {full}", AgencyKind.Dprd, c, true);
        yield return new($"{c}:POLRES", (isKota && bare == "Palembang" ? "Polrestabes " : "Polres ") + bare, AgencyKind.Police, c, true);
        yield return new($"{c}:KODIM", $"Kodim {full}", AgencyKind.Army, c, true);
        yield return new($"{c}:KEJARI", $"Kejaksaan Negeri {full}", AgencyKind.Prosecutor, c, true);
        yield return new($"{c}:KPU", $"KPU {full}", AgencyKind.Kpu, c, false);
        yield return new($"{c}:BAWASLU", $"Bawaslu {full}", AgencyKind.Bawaslu, c, false);
        yield return new($"{c}:KESBANGPOL", $"Kesbangpol {full}", AgencyKind.Kesbangpol, c, false);
        yield return new($"{c}:DISKOMINFO", $"Diskominfo {full}", AgencyKind.Diskominfo, c, false);
    }

    public static IEnumerable<AgencySeed> ForKecamatan(Place kec)
    {
        var n = Title(kec.Name);
        var c = kec.Code;
        yield return new($"{c}:CAMAT", $"Camat {n}", AgencyKind.Camat, c, true);
        yield return new($"{c}:POLSEK", $"Polsek {n}", AgencyKind.Police, c, true);
        yield return new($"{c}:KORAMIL", $"Koramil {n}", AgencyKind.Army, c, true);
        yield return new($"{c}:PPK", $"PPK {n}", AgencyKind.Ppk, c, false);
        yield return new($"{c}:PANWASCAM", $"Panwascam {n}", AgencyKind.Panwascam, c, false);
    }

    /// <summary>"KAB. MUARA ENIM" → "MUARA ENIM", "KOTA PALEMBANG" → "PALEMBANG".</summary>
    public static string StripPrefix(string name)
    {
        foreach (var p in new[] { "KABUPATEN ", "KAB. ", "KAB ", "KOTA " })
            if (name.StartsWith(p, StringComparison.OrdinalIgnoreCase)) return name[p.Length..];
        return name;
    }

    /// <summary>"OGAN KOMERING ULU" → "Ogan Komering Ulu"; roman numerals stay upper case ("ILIR BARAT II" → "Ilir Barat II").</summary>
    public static string Title(string s) => string.Join(' ', s.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w =>
        w.Length <= 1 || w.All(c => c is 'I' or 'V' or 'X') ? w : char.ToUpperInvariant(w[0]) + w[1..].ToLowerInvariant()));
}
