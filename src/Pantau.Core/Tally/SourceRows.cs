using System.Globalization;

namespace Pantau.Core.Tally;

/// <summary>
/// A column mapping for results published elsewhere (issue 21 point 6): which column of the source's CSV holds the TPS code (or the
/// desa code and TPS number) and which holds each sheet field (<c>p1</c>, <c>suaraSah</c>, <c>usersDpph</c>, ...). A field the
/// mapping does not name, or an empty cell, is absent from the sheet (a <em>partial sheet</em>), never 0.
/// </summary>
public sealed record SourceMapping(IReadOnlyDictionary<string, string> Columns)
{
    /// <summary>The keys besides sheet fields: <c>tps</c> (13-digit TPS code) or <c>desa</c> + <c>tpsNumber</c>.</summary>
    public static readonly string[] KeyFields = ["tps", "desa", "tpsNumber"];

    /// <summary>The mapping's problems (unknown target fields, no TPS key), empty when usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var list = new List<string>();
        foreach (var target in Columns.Keys)
            if (!KeyFields.Contains(target) && SheetFields.Find(target) is null && !(SheetFields.TryParseVoteField(target, out var n) && TallyGrammar.IsBallotNumber(n)))
                list.Add($"kolom tujuan '{target}' tidak dikenal / unknown target field '{target}'");
        if (!Columns.ContainsKey("tps") && !(Columns.ContainsKey("desa") && Columns.ContainsKey("tpsNumber")))
            list.Add("pemetaan harus menyebut 'tps' atau 'desa' + 'tpsNumber' / the mapping needs 'tps' or 'desa' + 'tpsNumber'");
        return list;
    }
}

/// <summary>One row of a source file read through a <see cref="SourceMapping"/>.</summary>
/// <param name="Sheet">The partial sheet, or null when the row has no votes for any paslon (it is not a result: counted as missing)
/// or has errors.</param>
public sealed record SourceRow(int Line, string Tps, CHasilSheet? Sheet, IReadOnlyList<string> Errors);

public static class SourceRows
{
    /// <summary>Column indexes of the mapping in a header row; the missing columns as problems.</summary>
    public static (Dictionary<string, int> Index, List<string> Problems) Bind(SourceMapping mapping, IReadOnlyList<string> header)
    {
        var byName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++) byName.TryAdd(header[i].Trim().TrimStart('\uFEFF'), i);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var problems = new List<string>(mapping.Problems());
        foreach (var (target, column) in mapping.Columns)
            if (byName.TryGetValue(column, out var i)) index[target] = i;
            else problems.Add($"kolom '{column}' (untuk {target}) tidak ada di berkas / column '{column}' (for {target}) is not in the file");
        return (index, problems);
    }

    /// <summary>Reads one data row: the TPS code and the partial sheet of <paramref name="contest"/>. Errors name the field and value.</summary>
    public static SourceRow Read(int line, string contest, IReadOnlyDictionary<string, int> index, IReadOnlyList<string> cells)
    {
        string Cell(string target) => index.TryGetValue(target, out var i) && i < cells.Count ? cells[i].Trim() : "";
        var errors = new List<string>();
        var tps = Cell("tps");
        if (tps.Length == 0 && index.ContainsKey("desa"))
        {
            var desa = Cell("desa").Replace(".", "", StringComparison.Ordinal);
            if (desa.Length == 10 && desa.All(char.IsAsciiDigit) && int.TryParse(Cell("tpsNumber"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and < 1000)
                tps = desa + n.ToString("000", CultureInfo.InvariantCulture);
        }
        if (tps.Length != 13 || !TallyGrammar.IsTpsCode(tps))
            return new SourceRow(line, tps, null, [$"kode TPS '{Safe(tps)}' tidak sah / '{Safe(tps)}' is not a TPS code"]);
        var votes = new Dictionary<int, long>();
        var fields = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (target, _) in index)
        {
            if (SourceMapping.KeyFields.Contains(target)) continue;
            var raw = Cell(target);
            if (raw.Length == 0) continue; // absent, not zero
            if (!long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) || !TallyGrammar.IsCount(v))
            { errors.Add($"{target}: '{Safe(raw)}' bukan bilangan bulat yang sah / is not a valid whole number"); continue; }
            if (SheetFields.TryParseVoteField(target, out var number)) votes[number] = v;
            else fields[SheetFields.Find(target)!.Name] = v;
        }
        if (errors.Count > 0) return new SourceRow(line, tps, null, errors);
        // No votes at all: not a result of the contest (SIREKAP has rows with only a voter section): missing, like an empty row.
        if (votes.Count == 0) return new SourceRow(line, tps, null, []);
        return new SourceRow(line, tps, SheetFields.FromNamed(contest, tps, votes, fields, partial: true), []);
    }

    private static string Safe(string s) => s.Length > 40 ? s[..40] + "…" : s;
}
