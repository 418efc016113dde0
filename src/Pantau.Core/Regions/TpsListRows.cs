using System.Globalization;

namespace Pantau.Core.Regions;

/// <summary>One row of an official TPS list in KPU's layout (issue 21 point 3).</summary>
/// <param name="Dpt">DPT total, L and P; null when the file has no DPT for the TPS (it is then synthesized and marked so).</param>
public sealed record TpsListRow(int Line, string Code, string DesaCode, int Number, int? Dpt, int? DptL, int? DptP);

/// <summary>
/// Reads KPU's TPS list: the TPS code (<c>kode_tps</c>, 13 digits) or the desa code (<c>kode_desa</c>, 10 digits or dotted) and the
/// TPS number (<c>no_tps</c>); DPT as <c>dpt_l</c>, <c>dpt_p</c>, <c>dpt</c> (all three or none). Column names are case-insensitive.
/// </summary>
public static class TpsListRows
{
    public static (Dictionary<string, int> Index, string? Problem) Bind(IReadOnlyList<string> header)
    {
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++) index.TryAdd(header[i].Trim().TrimStart('\uFEFF'), i);
        if (!index.ContainsKey("kode_tps") && !(index.ContainsKey("kode_desa") && index.ContainsKey("no_tps")))
            return (index, "kolom 'kode_tps' atau 'kode_desa' + 'no_tps' wajib / a 'kode_tps' column, or 'kode_desa' and 'no_tps', is required");
        return (index, null);
    }

    /// <param name="dptErrorIsAbsent">A DPT whose L + P is not its total is left out (the TPS gets a synthesized DPT) and reported in
    /// <c>Warning</c> instead of refusing the file: for lists copied from a source with entry errors (SIREKAP), never for KPU's list.</param>
    public static (TpsListRow? Row, string? Error) Read(int line, IReadOnlyDictionary<string, int> index, IReadOnlyList<string> cells) =>
        Read(line, index, cells, false, out _);

    public static (TpsListRow? Row, string? Error) Read(int line, IReadOnlyDictionary<string, int> index, IReadOnlyList<string> cells, bool dptErrorIsAbsent, out string? warning)
    {
        warning = null;
        string Cell(string name) => index.TryGetValue(name, out var i) && i < cells.Count ? cells[i].Trim() : "";
        string desa;
        int number;
        var code = Cell("kode_tps");
        if (code.Length > 0)
        {
            if (code.Length != 13 || !code.All(char.IsAsciiDigit)) return (null, $"kode TPS '{code}' harus 13 angka / TPS code '{code}' must be 13 digits");
            desa = code[..10];
            number = int.Parse(code[10..], CultureInfo.InvariantCulture);
            if (Cell("kode_desa") is { Length: > 0 } d && d.Replace(".", "", StringComparison.Ordinal) != desa)
                return (null, $"kode desa '{d}' tidak cocok dengan kode TPS {code} / desa code '{d}' does not match TPS code {code}");
        }
        else
        {
            desa = Cell("kode_desa").Replace(".", "", StringComparison.Ordinal);
            if (desa.Length != 10 || !desa.All(char.IsAsciiDigit)) return (null, $"kode desa '{Cell("kode_desa")}' tidak sah / invalid desa code '{Cell("kode_desa")}'");
            if (!int.TryParse(Cell("no_tps"), NumberStyles.None, CultureInfo.InvariantCulture, out number)) return (null, $"nomor TPS '{Cell("no_tps")}' tidak sah / invalid TPS number");
        }
        if (number is < 1 or > 999) return (null, $"nomor TPS {number} harus 1-999 / TPS number {number} must be 1-999");
        string l = Cell("dpt_l"), p = Cell("dpt_p"), t = Cell("dpt");
        int? dl = null, dp = null, dt = null;
        if (l.Length + p.Length + t.Length > 0)
        {
            if (!TryCount(l, out var vl) || !TryCount(p, out var vp) || !TryCount(t, out var vt))
                return (null, $"DPT laki-laki/perempuan/jumlah harus bilangan bulat tidak negatif ('{l}', '{p}', '{t}') / DPT male/female/total must be non-negative whole numbers");
            var lp = $"DPT laki-laki + perempuan ({vl + vp}) tidak sama dengan jumlah ({vt}) / DPT male + female ({vl + vp}) differ from the total ({vt})";
            if (vl + vp != vt && !dptErrorIsAbsent) return (null, lp);
            if (vl + vp != vt) warning = lp + "; DPT disintesis / DPT synthesized";
            else (dl, dp, dt) = (vl, vp, vt);
        }
        var dotted = RegionCode.FromNumeric(desa);
        return (new TpsListRow(line, RegionCode.TpsCode(dotted, number), dotted, number, dt, dl, dp), null);
    }

    private static bool TryCount(string s, out int v) => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out v) && v <= 100_000;
}
