namespace Pantau.Data.Elections;

public enum ContestKind
{
    Gubernur = 1,
    Bupati = 2,
    Walikota = 3,
    /// <summary>Pemilu: the president/vice-president race (PPWP), national, held per region here.</summary>
    Presiden = 4,
}

/// <summary>One race of an election: the governor race of a province, the bupati/walikota race of a kab/kota, or the PPWP (presiden) count of a province.</summary>
public class Contest
{
    public int Id { get; set; }
    /// <summary>The election the contest belongs to.</summary>
    public int ElectionId { get; set; }
    /// <summary>Stable code, unique across elections, such as <c>PILGUB-16</c> or <c>PILBUP-16.01</c>.</summary>
    public required string Code { get; set; }
    public ContestKind Kind { get; set; }
    /// <summary>The region that elects: province for a governor race, kab/kota otherwise.</summary>
    public required string RegionCode { get; set; }
    public required string Name { get; set; }
    /// <summary>The voting day of its election (kept in step with <see cref="Election.VotingDate"/>).</summary>
    public DateOnly VotingDate { get; set; }
    /// <summary>True when the paslon list had gaps that were filled with synthetic entries.</summary>
    public bool HasSyntheticPaslon { get; set; }
    public string? Notes { get; set; }
    public List<Paslon> Paslon { get; set; } = [];
}

/// <summary>A ballot column: a candidate pair (paslon), or the kolom kosong of a single-paslon race.</summary>
public class Paslon
{
    public int Id { get; set; }
    public int ContestId { get; set; }
    /// <summary>Ballot number; 0 for the kolom kosong column.</summary>
    public int Number { get; set; }
    public required string Candidate { get; set; }
    public string? RunningMate { get; set; }
    public string? Alias { get; set; }
    public bool IsKolomKosong { get; set; }
    public bool IsSynthetic { get; set; }

    public string DisplayName => IsKolomKosong ? "Kolom kosong" : RunningMate is null ? Candidate : $"{Candidate} – {RunningMate}";
}
