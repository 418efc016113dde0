namespace Pantau.Core.Readiness;

/// <summary>One stage (tahapan) of the Pilkada schedule, with inclusive start and end dates.</summary>
public sealed record Stage(string Code, string NameId, string NameEn, DateOnly Start, DateOnly End)
{
    public bool Contains(DateOnly day) => day >= Start && day <= End;
}

/// <summary>Where a stage stands on a given day.</summary>
public enum StageState { Upcoming, Current, Past }

/// <summary>The official Pilkada 2024 schedule (PKPU 2/2024, as summarized in shared/GLOSSARY.md) and day arithmetic.</summary>
public static class Schedule
{
    public static readonly DateOnly VotingDay = new(2024, 11, 27);

    /// <summary>The election window: dates before or after it are "outside the schedule".</summary>
    public static readonly DateOnly WindowStart = new(2024, 1, 1);
    public static readonly DateOnly WindowEnd = new(2024, 12, 16);

    /// <summary>Logistics may move from when ballot numbers are fixed (23 Sep) up to voting day.</summary>
    public static readonly DateOnly LogisticsStart = new(2024, 9, 23);

    /// <summary>Sumatera Selatan is on WIB (UTC+7); "today" and deadlines are local days.</summary>
    public static readonly TimeSpan Wib = TimeSpan.FromHours(7);

    public static IReadOnlyList<Stage> Pilkada2024 { get; } =
    [
        new("pembentukan-badan-adhoc", "Pembentukan PPK, PPS dan KPPS", "Forming PPK, PPS and KPPS", new(2024, 4, 17), new(2024, 11, 5)),
        new("pemutakhiran-data-pemilih", "Pemutakhiran data dan penyusunan daftar pemilih", "Voter list update", new(2024, 5, 31), new(2024, 9, 23)),
        new("pendaftaran-paslon", "Pendaftaran pasangan calon", "Candidate registration", new(2024, 8, 27), new(2024, 8, 29)),
        new("penetapan-paslon", "Penetapan pasangan calon", "Candidates set", new(2024, 9, 22), new(2024, 9, 22)),
        new("pengundian-nomor-urut", "Pengundian nomor urut", "Ballot numbers drawn", new(2024, 9, 23), new(2024, 9, 23)),
        new("kampanye", "Kampanye", "Campaign", new(2024, 9, 25), new(2024, 11, 23)),
        new("pendataan-tps-rawan", "Pendataan TPS rawan (Bawaslu)", "Vulnerable-TPS data collection (Bawaslu)", new(2024, 11, 10), new(2024, 11, 15)),
        new("masa-tenang", "Masa tenang", "Quiet period", new(2024, 11, 24), new(2024, 11, 26)),
        new("pemungutan-suara", "Pemungutan dan penghitungan suara di TPS", "Voting and count at the TPS", new(2024, 11, 27), new(2024, 11, 27)),
        new("penyerahan-hasil-tps", "Penyerahan hasil TPS dari PPS ke PPK", "TPS results handed from PPS to PPK", new(2024, 11, 28), new(2024, 11, 30)),
        new("rekap-kecamatan", "Rekapitulasi tingkat kecamatan", "Kecamatan recapitulation", new(2024, 11, 28), new(2024, 12, 3)),
        new("rekap-kabkota", "Rekapitulasi tingkat kab/kota", "Regency/city recapitulation", new(2024, 11, 29), new(2024, 12, 6)),
        new("rekap-provinsi", "Rekapitulasi tingkat provinsi", "Province recapitulation", new(2024, 11, 30), new(2024, 12, 9)),
        new("penetapan-hasil", "Penetapan hasil (tanpa sengketa)", "Results declared (no dispute)", new(2024, 12, 15), new(2024, 12, 15)),
        new("akhir-tahapan", "Akhir rentang tahapan", "End of the schedule window", new(2024, 12, 16), new(2024, 12, 16)),
    ];

    /// <summary>The local (WIB) calendar day of an instant.</summary>
    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(now.ToOffset(Wib).DateTime);

    public static StageState StateOf(Stage s, DateOnly today) => today < s.Start ? StageState.Upcoming : today > s.End ? StageState.Past : StageState.Current;

    /// <summary>Stages that start or end within the next <paramref name="days"/> days (today included).</summary>
    public static IEnumerable<Stage> DueWithin(IEnumerable<Stage> stages, DateOnly today, int days = 7)
    {
        var until = today.AddDays(days);
        return stages.Where(s => (s.Start >= today && s.Start <= until) || (s.End >= today && s.End <= until)).OrderBy(s => s.Start);
    }

    /// <summary>Validates an edited stage: start ≤ end, both inside the election window. Returns an error text (id / en) or null.</summary>
    public static string? Validate(DateOnly start, DateOnly end)
    {
        if (end < start) return "Tanggal selesai sebelum tanggal mulai / the end date is before the start date.";
        if (start < WindowStart || end > WindowEnd)
            return $"Tanggal di luar rentang tahapan {WindowStart:yyyy-MM-dd}..{WindowEnd:yyyy-MM-dd} / date outside the election schedule window.";
        return null;
    }
}

/// <summary>What a target date is relative to.</summary>
public enum TargetAnchor { VotingDay, StageStart, StageEnd }

/// <summary>
/// A target-date rule: <c>H-10</c> (10 days before voting day, 27 Nov 2024), <c>H+1</c>, or relative to a stage:
/// <c>kampanye.start+3</c>, <c>masa-tenang.end-0</c>. The date follows the stage when the schedule is edited.
/// </summary>
public sealed record TargetRule(TargetAnchor Anchor, string? StageCode, int OffsetDays)
{
    public static bool TryParse(string? text, out TargetRule rule)
    {
        rule = null!;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        if (text.Length >= 2 && (text[0] is 'H' or 'h') && (text.Length == 1 || text[1] is '-' or '+'))
        {
            if (!int.TryParse(text[1..], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var h)) return false;
            rule = new TargetRule(TargetAnchor.VotingDay, null, h);
            return true;
        }
        var dot = text.LastIndexOf('.');
        if (dot <= 0) return false;
        var rest = text[(dot + 1)..];
        TargetAnchor anchor;
        if (rest.StartsWith("start", StringComparison.Ordinal)) { anchor = TargetAnchor.StageStart; rest = rest[5..]; }
        else if (rest.StartsWith("end", StringComparison.Ordinal)) { anchor = TargetAnchor.StageEnd; rest = rest[3..]; }
        else return false;
        var offset = 0;
        if (rest.Length > 0 && !int.TryParse(rest, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out offset)) return false;
        rule = new TargetRule(anchor, text[..dot], offset);
        return true;
    }

    public static TargetRule Parse(string text) => TryParse(text, out var r) ? r : throw new FormatException($"Invalid target rule '{text}'.");

    /// <summary>The target date under the given schedule; null when the rule names a stage that does not exist.</summary>
    public DateOnly? Resolve(IEnumerable<Stage> stages, DateOnly? votingDay = null)
    {
        if (Anchor == TargetAnchor.VotingDay)
        {
            var vd = votingDay ?? stages.FirstOrDefault(s => s.Code == "pemungutan-suara")?.Start ?? Schedule.VotingDay;
            return vd.AddDays(OffsetDays);
        }
        var stage = stages.FirstOrDefault(s => s.Code == StageCode);
        if (stage is null) return null;
        return (Anchor == TargetAnchor.StageStart ? stage.Start : stage.End).AddDays(OffsetDays);
    }

    public override string ToString() => Anchor == TargetAnchor.VotingDay
        ? (OffsetDays >= 0 ? $"H+{OffsetDays}" : $"H{OffsetDays}")
        : $"{StageCode}.{(Anchor == TargetAnchor.StageStart ? "start" : "end")}{(OffsetDays >= 0 ? "+" : "")}{OffsetDays}";
}
