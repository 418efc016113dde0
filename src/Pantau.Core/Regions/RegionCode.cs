namespace Pantau.Core.Regions;

/// <summary>Administrative level of a Kemendagri region code.</summary>
public enum RegionLevel
{
    Provinsi = 1,
    KabKota = 2,
    Kecamatan = 3,
    Desa = 4,
}

/// <summary>
/// Helpers for Kemendagri dotted region codes (<c>16</c>, <c>16.71</c>, <c>16.71.01</c>, <c>16.71.01.1001</c>)
/// and KPU TPS codes (numeric desa code + 3 digits).
/// </summary>
public static class RegionCode
{
    private static readonly int[] PartLengths = [2, 2, 2, 4];

    /// <summary>True when <paramref name="code"/> is a well-formed dotted code of any level.</summary>
    public static bool IsValid(string? code) => TryGetLevel(code, out _);

    public static bool TryGetLevel(string? code, out RegionLevel level)
    {
        level = default;
        if (string.IsNullOrEmpty(code)) return false;
        var parts = code.Split('.');
        if (parts.Length is < 1 or > 4) return false;
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length != PartLengths[i]) return false;
            foreach (var c in parts[i]) if (c is < '0' or > '9') return false;
        }
        level = (RegionLevel)parts.Length;
        return true;
    }

    public static RegionLevel LevelOf(string code) =>
        TryGetLevel(code, out var level) ? level : throw new FormatException($"Invalid region code '{code}'.");

    /// <summary>Parent code, or null for a province.</summary>
    public static string? ParentOf(string code)
    {
        var i = code.LastIndexOf('.');
        return i < 0 ? null : code[..i];
    }

    /// <summary>The ancestor of <paramref name="code"/> at <paramref name="level"/> (or the code itself).</summary>
    public static string AncestorAt(string code, RegionLevel level)
    {
        var parts = code.Split('.');
        if ((int)level > parts.Length) throw new ArgumentException($"'{code}' has no ancestor at level {level}.");
        return string.Join('.', parts.Take((int)level));
    }

    /// <summary>All codes from the province down to <paramref name="code"/> itself.</summary>
    public static IReadOnlyList<string> Lineage(string code)
    {
        var parts = code.Split('.');
        var result = new string[parts.Length];
        for (var i = 0; i < parts.Length; i++) result[i] = string.Join('.', parts.Take(i + 1));
        return result;
    }

    /// <summary>True when <paramref name="code"/> is <paramref name="scope"/> or lies beneath it.</summary>
    public static bool IsWithin(string code, string scope) =>
        code == scope || (code.Length > scope.Length && code.StartsWith(scope, StringComparison.Ordinal) && code[scope.Length] == '.');

    public static string ToNumeric(string dotted) => dotted.Replace(".", "", StringComparison.Ordinal);

    public static string FromNumeric(string numeric)
    {
        int[] cuts = [2, 4, 6, 10];
        var parts = new List<string>();
        var start = 0;
        foreach (var cut in cuts)
        {
            if (numeric.Length < cut) break;
            parts.Add(numeric[start..cut]);
            start = cut;
        }
        if (start != numeric.Length) throw new FormatException($"Invalid numeric region code '{numeric}'.");
        return string.Join('.', parts);
    }

    /// <summary>KPU TPS code: numeric desa code followed by the 3-digit TPS number.</summary>
    public static string TpsCode(string desaCode, int number) => $"{ToNumeric(desaCode)}{number:000}";

    public static bool TryParseTpsCode(string tpsCode, out string desaCode, out int number)
    {
        desaCode = ""; number = 0;
        if (tpsCode.Length != 13 || !tpsCode.All(char.IsAsciiDigit)) return false;
        desaCode = FromNumeric(tpsCode[..10]);
        number = int.Parse(tpsCode[10..], System.Globalization.CultureInfo.InvariantCulture);
        return number > 0;
    }
}
