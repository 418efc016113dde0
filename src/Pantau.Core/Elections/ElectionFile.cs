using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Pantau.Core.Regions;

namespace Pantau.Core.Elections;

/// <summary>
/// An election with its contests and paslon, in the documented file format <c>pantau-election/1</c> (docs/elections.md). The same
/// format is read by <c>election import FILE</c>, <c>POST /api/elections/import</c> and the setup page, and written by the export.
/// Kinds are the lower-case words of the file (<see cref="ElectionKinds"/>, <see cref="ContestKinds"/>).
/// </summary>
public sealed record ElectionFile
{
    public const string CurrentFormat = "pantau-election/1";

    public string? Format { get; init; }
    public string? Code { get; init; }
    public string? Name { get; init; }
    /// <summary><c>pilkada</c>, <c>pemilu</c> or <c>psu</c>.</summary>
    public string? Kind { get; init; }
    /// <summary>Voting day, <c>yyyy-MM-dd</c>.</summary>
    public string? VotingDate { get; init; }
    /// <summary>The region whose Desk runs the election (a province or kab/kota code); empty or absent for a national one (Admin only).</summary>
    public string? Region { get; init; }
    /// <summary>For a PSU: the code of the election whose contests it re-votes.</summary>
    public string? ReVotes { get; init; }
    /// <summary>
    /// The key of the IKP edition Bawaslu published for this election (<see cref="Incidents.IkpEditions"/>); optional: absent is the default of
    /// its kind (<see cref="ElectionRules.IkpEditionFor"/>), a PSU takes its re-voted election's.
    /// </summary>
    public string? Ikp { get; init; }
    /// <summary>Where the data comes from (free text; kept with the election).</summary>
    public string? Source { get; init; }
    public string? Notes { get; init; }
    public List<ContestEntry>? Contests { get; init; }

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Parses the text of a file. Returns null with an error (<c>line N: message</c>) when it is not JSON of this shape.</summary>
    public static ElectionFile? Parse(string text, out string? error)
    {
        error = null;
        try
        {
            var file = JsonSerializer.Deserialize<ElectionFile>(text, Json);
            if (file is null) error = "file is empty (null)";
            return file;
        }
        catch (JsonException ex)
        {
            error = $"line {(ex.LineNumber ?? 0) + 1}: {ex.Message.Split(" Path:")[0]}";
            return null;
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

/// <summary>One contest of an election file.</summary>
public sealed record ContestEntry
{
    /// <summary>Stable, unique across elections: <c>PILGUB-16</c>, <c>PILBUP-17.06-2029</c>, <c>PPWP-17-2024</c>.</summary>
    public string? Code { get; init; }
    /// <summary><c>gubernur</c>, <c>bupati</c>, <c>walikota</c> or <c>presiden</c> (PPWP).</summary>
    public string? Kind { get; init; }
    /// <summary>The electing region: the province for gubernur and presiden (the part this Desk counts), the kab/kota otherwise.</summary>
    public string? Region { get; init; }
    /// <summary>Optional; defaults to "Pemilihan Bupati &lt;region name&gt;" and the like.</summary>
    public string? Name { get; init; }
    public string? Notes { get; init; }
    /// <summary>For a contest of a PSU (the code of the re-voted contest): the TPS codes that re-vote (empty for a contest of another election).</summary>
    public List<string>? Tps { get; init; }
    public List<PaslonEntry>? Paslon { get; init; }
}

/// <summary>One paslon of a contest; number 1.. (the kolom kosong of a single-paslon race is added, number 0).</summary>
public sealed record PaslonEntry
{
    public int? Number { get; init; }
    public string? Candidate { get; init; }
    public string? RunningMate { get; init; }
    public string? Alias { get; init; }
    /// <summary>An entry made up to fill a gap in an incomplete source list (shown as <i>sintetis</i>).</summary>
    public bool Synthetic { get; init; }
}

public static class ElectionKinds
{
    public const string Pilkada = "pilkada", Pemilu = "pemilu", Psu = "psu";
    public static readonly IReadOnlyList<string> All = [Pilkada, Pemilu, Psu];
}

public static class ContestKinds
{
    public const string Gubernur = "gubernur", Bupati = "bupati", Walikota = "walikota", Presiden = "presiden";
    public static readonly IReadOnlyList<string> All = [Gubernur, Bupati, Walikota, Presiden];

    /// <summary>The level of the electing region of a contest kind.</summary>
    public static RegionLevel RegionLevelOf(string kind) => kind is Bupati or Walikota ? RegionLevel.KabKota : RegionLevel.Provinsi;

    /// <summary>The default contest name from the region's name ("KAB. LAHAT"): "Pemilihan Bupati Lahat", "Pemilihan Presiden dan Wakil Presiden (Bengkulu)".</summary>
    public static string DefaultName(string kind, string regionName) => Named(kind, Coordination.AgencyDirectory.Title(Coordination.AgencyDirectory.StripPrefix(regionName)));

    private static string Named(string kind, string regionName) => kind switch
    {
        Gubernur => $"Pemilihan Gubernur {regionName}",
        Walikota => $"Pemilihan Walikota {regionName}",
        Presiden => $"Pemilihan Presiden dan Wakil Presiden ({regionName})",
        _ => $"Pemilihan Bupati {regionName}",
    };
}

/// <summary>An error in an election file or form: the field (<c>contests[2].paslon[0].candidate</c>) and a message (Indonesian / English).</summary>
public sealed record ElectionFileError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}

/// <summary>The rules of an election file (pure; the region names and the known elections are passed in).</summary>
public static partial class ElectionRules
{
    public const int MaxPaslon = 20;

    [GeneratedRegex("^[A-Z0-9][A-Z0-9.-]{1,39}$")]
    private static partial Regex CodePattern();

    public static bool IsCode(string? code) => code is not null && CodePattern().IsMatch(code);

    public static bool TryDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>
    /// Every error of the file: the election fields, then each contest (its region must be known and of the level of its kind, inside the
    /// election's region when it has one), then each paslon (numbers 1.. unique, a candidate name). A PSU names the election it re-votes
    /// (<paramref name="electionExists"/>) and each of its contests lists its TPS inside the contest's region; other kinds list none.
    /// </summary>
    public static List<ElectionFileError> Validate(ElectionFile file, Func<string, bool> regionExists, Func<string, bool> electionExists,
        Func<string, string?>? reVotedContestRegion = null, Func<string, string?>? reVotedIkp = null)
    {
        var e = new List<ElectionFileError>();
        void Err(string field, string message) => e.Add(new(field, message));
        if (file.Format is not null && file.Format != ElectionFile.CurrentFormat)
            Err("format", $"Format '{file.Format}' tidak dikenal, harus '{ElectionFile.CurrentFormat}' / unknown format.");
        if (!IsCode(file.Code)) Err("code", "Kode wajib: huruf besar, angka, titik atau tanda hubung (2–40) / code required: A-Z, 0-9, '.', '-' (2–40).");
        if (string.IsNullOrWhiteSpace(file.Name) || file.Name.Length > 200) Err("name", "Nama wajib (maks. 200) / name required (max 200).");
        if (file.Kind is null || !ElectionKinds.All.Contains(file.Kind)) Err("kind", "Jenis wajib: pilkada, pemilu atau psu / kind must be pilkada, pemilu or psu.");
        if (!TryDate(file.VotingDate, out _)) Err("votingDate", "Tanggal pemungutan wajib (yyyy-MM-dd) / voting date required (yyyy-MM-dd).");
        var region = string.IsNullOrEmpty(file.Region) ? null : file.Region;
        if (region is not null && (!RegionCode.TryGetLevel(region, out var rl) || rl is not (RegionLevel.Provinsi or RegionLevel.KabKota) || !regionExists(region)))
            Err("region", $"Wilayah '{region}' bukan provinsi/kab-kota yang dikenal / not a known province or kab/kota.");
        var psu = file.Kind == ElectionKinds.Psu;
        if (psu && (string.IsNullOrEmpty(file.ReVotes) || !electionExists(file.ReVotes)))
            Err("reVotes", "PSU harus menyebut kode pemilihan yang diulang / a PSU names the election it re-votes.");
        if (!psu && !string.IsNullOrEmpty(file.ReVotes)) Err("reVotes", "Hanya PSU yang mengulang pemilihan lain / only a PSU re-votes another election.");
        if (!string.IsNullOrWhiteSpace(file.Ikp) && Incidents.IkpEditions.Find(file.Ikp.Trim()) is null)
            Err("ikp", $"Edisi IKP '{file.Ikp}' tidak dikenal; yang dikenal: {string.Join(", ", Incidents.IkpEditions.All.Select(x => x.Key))} / unknown IKP edition.");
        else if (psu && !string.IsNullOrWhiteSpace(file.Ikp) && reVotedIkp?.Invoke(file.ReVotes ?? "") is { } own && !string.Equals(own, file.Ikp.Trim(), StringComparison.OrdinalIgnoreCase))
            Err("ikp", $"PSU memakai edisi IKP pemilihan yang diulang ({own}) / a PSU uses the IKP edition of the election it re-votes ({own}).");
        if (file.Source?.Length > 2000) Err("source", "Sumber terlalu panjang (maks. 2000) / source too long.");
        if (file.Notes?.Length > 2000) Err("notes", "Catatan terlalu panjang (maks. 2000) / notes too long.");
        var contests = file.Contests ?? [];
        var codes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < contests.Count; i++)
        {
            var c = contests[i];
            var at = $"contests[{i}]";
            if (c is null) { Err(at, "Kosong / empty."); continue; }
            if (!IsCode(c.Code)) Err($"{at}.code", "Kode pemilihan wajib (A-Z, 0-9, '.', '-') / contest code required.");
            else if (!codes.Add(c.Code!)) Err($"{at}.code", $"Kode '{c.Code}' ganda / duplicate code.");
            if (psu && c.Code is not null && reVotedContestRegion is not null)
            {
                // A PSU contest is a contest of the re-voted election, at the same region.
                var original = reVotedContestRegion(c.Code);
                if (original is null) Err($"{at}.code", $"'{c.Code}' bukan pemilihan dari {file.ReVotes} / not a contest of the re-voted election.");
                else if (c.Region is not null && c.Region != original) Err($"{at}.region", $"Wilayah {c.Code} adalah {original} / the contest's region is {original}.");
            }
            e.AddRange(ValidateContest(c, at, region, psu, regionExists));
        }
        return e;
    }

    /// <summary>The errors of one contest (its code is checked by the caller), fields prefixed with <paramref name="at"/>.</summary>
    public static List<ElectionFileError> ValidateContest(ContestEntry c, string at, string? electionRegion, bool psu, Func<string, bool> regionExists)
    {
        var e = new List<ElectionFileError>();
        void Err(string field, string message) => e.Add(new($"{at}.{field}".TrimStart('.'), message));
        var kindOk = c.Kind is not null && ContestKinds.All.Contains(c.Kind);
        if (!kindOk) Err("kind", "Jenis wajib: gubernur, bupati, walikota atau presiden / kind must be gubernur, bupati, walikota or presiden.");
        if (c.Region is null || !RegionCode.TryGetLevel(c.Region, out var level) || !regionExists(c.Region))
            Err("region", $"Wilayah '{c.Region}' tidak dikenal / unknown region.");
        else if (kindOk && level != ContestKinds.RegionLevelOf(c.Kind!))
            Err("region", $"Pemilihan {c.Kind} dipilih oleh {(ContestKinds.RegionLevelOf(c.Kind!) == RegionLevel.KabKota ? "kab/kota" : "provinsi")}, bukan '{c.Region}' / wrong region level for the kind.");
        else if (electionRegion is not null && !RegionCode.IsWithin(c.Region, electionRegion) && !RegionCode.IsWithin(electionRegion, c.Region))
            Err("region", $"Wilayah '{c.Region}' di luar wilayah pemilihan '{electionRegion}' / outside the election's region.");
        if (c.Name?.Length > 200) Err("name", "Nama terlalu panjang (maks. 200) / name too long.");
        if (c.Notes?.Length > 2000) Err("notes", "Catatan terlalu panjang (maks. 2000) / notes too long.");
        var tps = c.Tps ?? [];
        if (psu && tps.Count == 0) Err("tps", "PSU wajib menyebut TPS yang mengulang / a PSU lists the TPS that re-vote.");
        if (!psu && tps.Count > 0) Err("tps", "Hanya pemilihan PSU yang menyebut TPS / only a PSU contest lists TPS.");
        var seenTps = new HashSet<string>(StringComparer.Ordinal);
        for (var j = 0; j < tps.Count; j++)
        {
            var t = tps[j];
            if (!RegionCode.TryParseTpsCode(t ?? "", out var desa, out _) || c.Region is null || !RegionCode.IsWithin(desa, c.Region))
                Err($"tps[{j}]", $"'{t}' bukan kode TPS di wilayah pemilihan / not a TPS code inside the contest's region.");
            else if (!seenTps.Add(t!)) Err($"tps[{j}]", $"TPS '{t}' ganda / duplicate TPS.");
        }
        // A PSU re-votes the contest's own paslon: a list given is ignored.
        List<PaslonEntry> paslon = psu ? [] : c.Paslon ?? [];
        if (!psu && paslon.Count == 0) Err("paslon", "Minimal satu paslon / at least one paslon.");
        if (paslon.Count > MaxPaslon) Err("paslon", $"Paling banyak {MaxPaslon} paslon / at most {MaxPaslon} paslon.");
        var numbers = new HashSet<int>();
        for (var j = 0; j < paslon.Count; j++)
        {
            var p = paslon[j];
            var pat = $"paslon[{j}]";
            if (p is null) { Err(pat, "Kosong / empty."); continue; }
            if (p.Number is not { } n || n < 1 || n > 99) Err($"{pat}.number", "Nomor urut 1–99 wajib / ballot number 1–99 required.");
            else if (!numbers.Add(n)) Err($"{pat}.number", $"Nomor urut {n} ganda / duplicate ballot number.");
            if (string.IsNullOrWhiteSpace(p.Candidate) || p.Candidate.Length > 200) Err($"{pat}.candidate", "Nama calon wajib (maks. 200) / candidate name required (max 200).");
            if (p.RunningMate?.Length > 200) Err($"{pat}.runningMate", "Nama wakil terlalu panjang / running mate too long.");
            if (p.Alias?.Length > 100) Err($"{pat}.alias", "Alias terlalu panjang (maks. 100) / alias too long.");
        }
        return e;
    }

    /// <summary>
    /// The IKP edition of an election: the one its file names (<paramref name="ikp"/>, a known key), else the default of its kind: a Pilkada the
    /// Pilkada edition, a Pemilu the Pemilu edition (Dec 2022), a PSU the edition of the election it re-votes (<paramref name="reVotedIkp"/>,
    /// the Pilkada edition when unknown). A PSU always keeps its re-voted election's edition: it re-votes that election's contests.
    /// </summary>
    public static string IkpEditionFor(string? kind, string? ikp, string? reVotedIkp = null)
    {
        if (kind == ElectionKinds.Psu && !string.IsNullOrWhiteSpace(reVotedIkp)) return Incidents.IkpEditions.Find(reVotedIkp)?.Key ?? reVotedIkp;
        if (!string.IsNullOrWhiteSpace(ikp) && Incidents.IkpEditions.Find(ikp.Trim()) is { } named) return named.Key;
        return kind == ElectionKinds.Pemilu ? Incidents.IkpEditions.Pemilu2024Key : Incidents.IkpEditions.Pilkada2024Key;
    }

    /// <summary>A single-paslon race gets the kolom kosong (ballot column 0) besides its paslon.</summary>
    public static bool HasKolomKosong(int paslonCount) => paslonCount == 1;
}

/// <summary>Which election pages and APIs show when none is chosen.</summary>
public static class CurrentElection
{
    /// <summary>
    /// The next election whose voting day is <paramref name="today"/> or later (the nearest one; by code on a tie); when every
    /// voting day is past, the latest one. Null when there is none.
    /// </summary>
    public static T? Choose<T>(IEnumerable<T> elections, Func<T, DateOnly> votingDate, Func<T, string> code, DateOnly today) where T : class
    {
        var list = elections.ToList();
        return list.Where(x => votingDate(x) >= today).OrderBy(votingDate).ThenBy(code, StringComparer.Ordinal).FirstOrDefault()
            ?? list.OrderByDescending(votingDate).ThenBy(code, StringComparer.Ordinal).FirstOrDefault();
    }
}
