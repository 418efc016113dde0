using Pantau.Core.Tally;
using Pantau.Core.Tally.Anomalies;

namespace Pantau.Web.Infrastructure;

/// <summary>Codes of the results pages as people read them: intake markers, C.Hasil rule codes, scanner anomalies, sources, paslon.</summary>
public static class TallyLabels
{
    /// <summary>One marker or rule code in words (an unknown code is returned as it is, so it is never hidden).</summary>
    public static string Marker(this Lang l, string code) => code.Trim() switch
    {
        AnomalyCodes.TurnoutOver100 => l.T("partisipasi di atas 100%", "turnout above 100%"),
        AnomalyCodes.PaslonNear100 => l.T("satu paslon hampir 100%", "one paslon near 100%"),
        AnomalyCodes.InvalidShareHigh => l.T("suara tidak sah lebih dari 25%", "invalid votes above 25%"),
        AnomalyCodes.PhotoReused => l.T("foto sama dengan lembar lain", "same photo as another sheet"),
        AnomalyCodes.LargeChange => l.T("perubahan besar dari versi sebelumnya", "large change from the previous version"),
        RuleCodes.Negative => l.T("angka negatif", "negative number"),
        RuleCodes.SumPaslonNeSah => l.T("jumlah suara paslon ≠ suara sah", "paslon votes ≠ valid votes"),
        RuleCodes.SahTidakSahNeUsed => l.T("sah + tidak sah ≠ surat suara digunakan", "valid + invalid ≠ ballots used"),
        RuleCodes.UsedNeUsers => l.T("surat suara digunakan ≠ pengguna hak pilih", "ballots used ≠ voters who voted"),
        RuleCodes.LpNeTotal => l.T("laki-laki + perempuan ≠ jumlah", "male + female ≠ total"),
        RuleCodes.UsersGtRegistered => l.T("pengguna hak pilih melebihi pemilih terdaftar", "voters who voted exceed registered voters"),
        RuleCodes.DisabledGtUsers => l.T("pemilih disabilitas melebihi pengguna hak pilih", "disabled voters exceed voters who voted"),
        RuleCodes.ReceivedNeDptReserve => l.T("surat suara diterima ≠ DPT + 2,5% cadangan", "ballots received ≠ DPT + 2.5% reserve"),
        RuleCodes.ReceivedNeUsedReturnedUnused => l.T("surat suara diterima ≠ digunakan + dikembalikan + tidak digunakan", "ballots received ≠ used + returned + unused"),
        RuleCodes.PaslonUnknown => l.T("nomor urut tidak ada dalam pemilihan ini", "ballot number not in this contest"),
        RuleCodes.PaslonMissing => l.T("suara paslon belum diisi", "paslon votes missing"),
        var c when AnomalyCodes.All.Contains(c) => l.T(AnomalyCodes.Describe(c).Id, AnomalyCodes.Describe(c).En),
        var c => c,
    };

    /// <summary>Comma-separated codes (as stored on a version or a recap row) in words.</summary>
    public static IReadOnlyList<string> Markers(this Lang l, string? codes) =>
        string.IsNullOrWhiteSpace(codes) ? [] : codes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().Select(l.Marker).ToList();

    /// <summary>Where a sheet came from.</summary>
    public static string TallySource(this Lang l, string? source) => source switch
    {
        "form" => l.T("formulir", "form"),
        "api" => "API",
        "batch" => l.T("unggahan CSV", "CSV upload"),
        "correction" => l.T("koreksi", "correction"),
        null or "" => "",
        _ => source,
    };

    /// <summary>A paslon as people read it: the names, or "kolom kosong" in the page's language.</summary>
    public static string Paslon(this Lang l, int number, string name) => number == 0 ? l.T("Kolom kosong", "Empty box") : name;
}
