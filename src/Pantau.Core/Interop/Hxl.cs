using System.Text.RegularExpressions;
using Pantau.Core.Regions;

namespace Pantau.Core.Interop;

/// <summary>
/// HXL, the Humanitarian Exchange Language (hxlstandard.org, HXL 1.1): a CSV gets a second row of hashtags under its header so that
/// humanitarian tools (HDX, HXL Proxy, OCHA dashboards) know what each column holds. Indonesian admin levels map onto HXL's:
/// provinsi = #adm1, kab/kota = #adm2, kecamatan = #adm3, desa/kelurahan = #adm4; a TPS is a #loc (a point without boundary).
/// </summary>
public static partial class Hxl
{
    /// <summary>The hashtag of a region level (#adm1..#adm4).</summary>
    public static string Admin(RegionLevel level) => "#adm" + (int)level;

    /// <summary>Country, and the code attribute that says the values are Kemendagri codes.</summary>
    public const string Country = "#country+code";
    public const string Tps = "#loc+tps+code";
    public const string Lat = "#geo+lat";
    public const string Lon = "#geo+lon";
    public const string Date = "#date";

    /// <summary>The ancestor columns of a row at <paramref name="level"/>: code and name for every level down to it (e.g. #adm1+code, #adm1+name, #adm2+code ...).</summary>
    public static IReadOnlyList<(RegionLevel Level, string CodeTag, string NameTag)> AdminColumns(RegionLevel level) =>
        Enumerable.Range(1, (int)level).Select(l => ((RegionLevel)l, Admin((RegionLevel)l) + "+code", Admin((RegionLevel)l) + "+name")).ToList();

    /// <summary>A valid HXL hashtag spec: #tag followed by +attributes, lower case letters, digits and underscores (HXL 1.1 §4).</summary>
    public static bool IsValid(string spec) => Spec().IsMatch(spec);

    [GeneratedRegex(@"^#[a-z][a-z0-9_]*(\s*\+[a-z][a-z0-9_]*)*$")]
    private static partial Regex Spec();
}
