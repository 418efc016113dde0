namespace Pantau.Data.Elections;

public enum ElectionKind
{
    Pilkada = 1,
    Pemilu = 2,
    /// <summary>Pemungutan suara ulang: a re-vote at chosen TPS of another election's contests.</summary>
    Psu = 3,
}

/// <summary>An election (a Pilkada, a Pemilu, a PSU) holding its contests; several live side by side (docs/elections.md).</summary>
public class Election
{
    public int Id { get; set; }
    /// <summary>Stable code such as <c>PILKADA-2024-16</c>.</summary>
    public required string Code { get; set; }
    public required string Name { get; set; }
    public ElectionKind Kind { get; set; }
    public DateOnly VotingDate { get; set; }
    /// <summary>The province or kab/kota whose Desk runs it (scope for editing); null for a national election (Admin only).</summary>
    public string? RegionCode { get; set; }
    /// <summary>For a PSU: the election it re-votes.</summary>
    public int? ReVotesElectionId { get; set; }
    /// <summary>
    /// The key of the IKP edition Bawaslu published for this election (<see cref="Core.Incidents.IkpEditions"/>): the kerawanan pages of the
    /// election use its dimensions, bands and imported values. Set from the file's <c>ikp</c> or the default of its kind
    /// (<see cref="Core.Elections.ElectionRules.IkpEditionFor"/>).
    /// </summary>
    public string IkpEdition { get; set; } = Core.Incidents.IkpEditions.Pilkada2024Key;
    public string? Source { get; set; }
    public string? Notes { get; set; }
    public long Version { get; set; }
    public List<Contest> Contests { get; set; } = [];

    public static ElectionKind ParseKind(string kind) => kind switch
    {
        Core.Elections.ElectionKinds.Pemilu => ElectionKind.Pemilu,
        Core.Elections.ElectionKinds.Psu => ElectionKind.Psu,
        _ => ElectionKind.Pilkada,
    };

    public static string KindText(ElectionKind kind) => kind switch
    {
        ElectionKind.Pemilu => Core.Elections.ElectionKinds.Pemilu,
        ElectionKind.Psu => Core.Elections.ElectionKinds.Psu,
        _ => Core.Elections.ElectionKinds.Pilkada,
    };

    public static ContestKind ParseContestKind(string kind) => kind switch
    {
        Core.Elections.ContestKinds.Gubernur => ContestKind.Gubernur,
        Core.Elections.ContestKinds.Walikota => ContestKind.Walikota,
        Core.Elections.ContestKinds.Presiden => ContestKind.Presiden,
        _ => ContestKind.Bupati,
    };

    public static string ContestKindText(ContestKind kind) => kind switch
    {
        ContestKind.Gubernur => Core.Elections.ContestKinds.Gubernur,
        ContestKind.Walikota => Core.Elections.ContestKinds.Walikota,
        ContestKind.Presiden => Core.Elections.ContestKinds.Presiden,
        _ => Core.Elections.ContestKinds.Bupati,
    };
}

/// <summary>
/// A TPS that re-votes a contest in a PSU election: from the PSU's voting day on, its PSU sheet replaces the TPS's counted result of
/// that contest (as a correction does: the original stays in the history and the log).
/// </summary>
public class PsuTps
{
    public long Id { get; set; }
    /// <summary>The PSU election.</summary>
    public int ElectionId { get; set; }
    /// <summary>The re-voted contest (of the election the PSU re-votes).</summary>
    public required string ContestCode { get; set; }
    public required string TpsCode { get; set; }
}
