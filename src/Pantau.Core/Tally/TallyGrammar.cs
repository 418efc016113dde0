using System.Globalization;

namespace Pantau.Core.Tally;

/// <summary>
/// The one grammar of a C.Hasil sheet, shared by the intake (JSON, CSV, form), the canonical encoding
/// (<see cref="CHasilSheet.Canonical"/>) and the verifier's parsers: whatever the intake stores and logs can be read back by the
/// verifier, and what this grammar cannot express is refused (4xx) before anything is stored.
/// <list type="bullet">
/// <item>ballot numbers 0 (kolom kosong) to <see cref="MaxBallotNumber"/>;</item>
/// <item>every count (votes and the numeric fields) between -<see cref="MaxCount"/> and <see cref="MaxCount"/> (negatives stay
/// expressible so rule 7 can flag them; with this bound no sum of a sheet, nor of every TPS of a province, can overflow Int64);</item>
/// <item>contest codes of 1 to <see cref="MaxContestLength"/> characters from <c>A-Z a-z 0-9 . - _</c>; TPS codes of 1 to
/// <see cref="MaxTpsLength"/> digits (a known TPS code has 13).</item>
/// </list>
/// A sheet that fits the grammar is then checked for plausibility against the TPS's master DPT (<see cref="PlausibleMax"/>).
/// </summary>
public static class TallyGrammar
{
    public const int MaxBallotNumber = 99;
    public const long MaxCount = 1_000_000;
    public const int MaxContestLength = 40;
    public const int MaxTpsLength = 20;

    /// <summary>Stable code of a sheet outside the grammar.</summary>
    public const string OutOfGrammar = "SHEET_OUT_OF_GRAMMAR";
    /// <summary>Stable code of a count no TPS can hold.</summary>
    public const string Implausible = "COUNT_IMPLAUSIBLE";

    /// <summary>Margin over the ballots of a TPS (DPT + 2.5% reserve): 10% of the DPT plus 50, for DPTb/DPPh voters and a DPT that
    /// changed after the master data was loaded.</summary>
    public static long PlausibleMax(long masterDpt)
    {
        var dpt = Math.Clamp(masterDpt, 0, MaxCount);
        return SheetValidator.BallotsFor(dpt) + dpt / 10 + 50;
    }

    public static bool IsContestCode(ReadOnlySpan<char> s)
    {
        if (s.Length is 0 or > MaxContestLength) return false;
        foreach (var c in s)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')) return false;
        return true;
    }

    public static bool IsTpsCode(ReadOnlySpan<char> s)
    {
        if (s.Length is 0 or > MaxTpsLength) return false;
        foreach (var c in s) if (!char.IsAsciiDigit(c)) return false;
        return true;
    }

    public static bool IsBallotNumber(long n) => n is >= 0 and <= MaxBallotNumber;
    public static bool IsCount(long v) => v is >= -MaxCount and <= MaxCount;

    /// <summary>The first thing of <paramref name="s"/> this grammar cannot express (field name, message id/en), or null.</summary>
    public static (string Field, string Id, string En)? Check(CHasilSheet s)
    {
        if (!IsContestCode(s.Contest))
            return ("contest", $"kode pemilihan harus 1-{MaxContestLength} huruf/angka/.-_", $"a contest code is 1-{MaxContestLength} letters, digits, '.', '-' or '_'");
        if (!IsTpsCode(s.Tps))
            return ("tps", $"kode TPS harus 1-{MaxTpsLength} angka", $"a TPS code is 1-{MaxTpsLength} digits");
        foreach (var (n, v) in s.Votes)
        {
            if (!IsBallotNumber(n))
                return (SheetFields.VoteField(n), $"nomor urut harus 0-{MaxBallotNumber}", $"a ballot number is 0 to {MaxBallotNumber}");
            if (!IsCount(v)) return (SheetFields.VoteField(n), CountId, CountEn);
        }
        foreach (var f in SheetFields.Numeric)
            if (!IsCount(f.Get(s))) return (f.Name, CountId, CountEn);
        return null;
    }

    private static readonly string CountId = $"nilai harus antara -{MaxCount.ToString("N0", CultureInfo.GetCultureInfo("id-ID"))} dan {MaxCount.ToString("N0", CultureInfo.GetCultureInfo("id-ID"))}";
    private static readonly string CountEn = $"a count must be between -{MaxCount.ToString("N0", CultureInfo.InvariantCulture)} and {MaxCount.ToString("N0", CultureInfo.InvariantCulture)}";

    /// <summary>The first count of <paramref name="s"/> above what its TPS can hold (<see cref="PlausibleMax"/>), or null.</summary>
    public static (string Field, long Value, long Max)? CheckPlausible(CHasilSheet s, long masterDpt)
    {
        var max = PlausibleMax(masterDpt);
        foreach (var (n, v) in s.Votes) if (v > max) return (SheetFields.VoteField(n), v, max);
        foreach (var f in SheetFields.Numeric) if (f.Get(s) > max) return (f.Name, f.Get(s), max);
        return null;
    }
}
