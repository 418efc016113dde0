namespace Pantau.Core.Readiness;

/// <summary>A stage of a schedule template, placed relative to voting day: <c>H-10</c> is <c>StartOffset = -10</c>.</summary>
public sealed record StageTemplate(string Code, string NameId, string NameEn, int StartOffset, int EndOffset)
{
    public Stage On(DateOnly votingDay) => new(Code, NameId, NameEn, votingDay.AddDays(StartOffset), votingDay.AddDays(EndOffset));

    /// <summary>"H-10", "H", "H+3".</summary>
    public static string H(int offset) => offset == 0 ? "H" : offset < 0 ? $"H{offset}" : $"H+{offset}";
}

/// <summary>
/// The tahapan of an election as stages placed relative to its voting day (H-n), from which each election gets its own dates
/// (<see cref="Instantiate"/>). <see cref="Pilkada"/> is the 2024 Pilkada schedule (PKPU 2/2024) made relative: instantiated on
/// 27 Nov 2024 it gives <see cref="Schedule.Pilkada2024"/> exactly. <see cref="Psu"/> is the short schedule of a re-vote.
/// </summary>
public sealed record ScheduleTemplate(string Code, IReadOnlyList<StageTemplate> Stages)
{
    public const string VotingStage = "pemungutan-suara";
    public const string BallotDrawStage = "pengundian-nomor-urut";

    /// <summary>The stages of an election voting on <paramref name="votingDay"/>, in template order.</summary>
    public IReadOnlyList<Stage> Instantiate(DateOnly votingDay) => Stages.Select(s => s.On(votingDay)).ToList();

    /// <summary>A template from dated stages: each stage's offsets from <paramref name="votingDay"/>.</summary>
    public static ScheduleTemplate FromStages(string code, IEnumerable<Stage> stages, DateOnly votingDay) =>
        new(code, stages.Select(s => new StageTemplate(s.Code, s.NameId, s.NameEn, s.Start.DayNumber - votingDay.DayNumber, s.End.DayNumber - votingDay.DayNumber)).ToList());

    public static ScheduleTemplate Pilkada { get; } = FromStages("pilkada", Schedule.Pilkada2024, Schedule.VotingDay);

    /// <summary>
    /// A PSU (re-vote ordered by the Constitutional Court, usually within weeks): preparing KPPS and the voter list of the re-voting TPS,
    /// moving logistics, voting, and the recap. The offsets are Pantau's planning defaults, editable per election.
    /// </summary>
    public static ScheduleTemplate Psu { get; } = new("psu",
    [
        new("persiapan-psu", "Persiapan PSU (KPPS, daftar pemilih TPS)", "PSU preparation (KPPS, TPS voter list)", -30, -8),
        new("distribusi-logistik", "Distribusi logistik PSU", "PSU logistics distribution", -7, -1),
        new(VotingStage, "Pemungutan dan penghitungan suara ulang di TPS", "Re-vote and count at the TPS", 0, 0),
        new("rekap-kecamatan", "Rekapitulasi tingkat kecamatan", "Kecamatan recapitulation", 1, 3),
        new("rekap-kabkota", "Rekapitulasi tingkat kab/kota", "Regency/city recapitulation", 2, 5),
        new("penetapan-hasil", "Penetapan hasil PSU", "PSU results declared", 7, 7),
    ]);

    /// <summary>The template of an election kind (<c>pilkada</c>, <c>pemilu</c>, <c>psu</c>); Pemilu uses the Pilkada stages until its own are entered.</summary>
    public static ScheduleTemplate ForKind(string kind) => kind == Elections.ElectionKinds.Psu ? Psu : Pilkada;

    /// <summary>The window of a schedule: from its first start to its last end (dates outside are "outside the schedule").</summary>
    public static (DateOnly Start, DateOnly End) Window(IReadOnlyCollection<Stage> stages) => (stages.Min(s => s.Start), stages.Max(s => s.End));

    /// <summary>
    /// When logistics may move: from the ballot draw (the ballots can be printed) or, without that stage, from the first stage,
    /// up to voting day.
    /// </summary>
    public static (DateOnly Start, DateOnly End) LogisticsWindow(IReadOnlyCollection<Stage> stages, DateOnly votingDay) =>
        (stages.FirstOrDefault(s => s.Code == BallotDrawStage)?.Start ?? stages.Where(s => s.Start <= votingDay).Select(s => s.Start).DefaultIfEmpty(votingDay).Min(), votingDay);
}
