using Pantau.Core.Incidents;

namespace Pantau.Core.Tests.Incidents;

public class IkpImportTests
{
    private static readonly HashSet<string> Regions = ["16.01", "16.04", "16.06", "16.71", "16.71.01", "16.71.02", "16.02", "16.02.01"];

    private static IkpImportResult Parse(string csv, string scope = "") =>
        IkpImport.Parse("ikp.csv", csv, IkpEditions.Pilkada2024, Regions.Contains, c => scope.Length == 0 || c == scope || c.StartsWith(scope + "."), "impor uji");

    [Fact]
    public void Reads_Bawaslus_table_with_totals_bands_and_dimensions_in_both_separators_and_decimal_styles()
    {
        var r = Parse("kode,nama,skor,kategori,pencalonan,kategori_sosial-politik\n16.01,KAB. OGAN KOMERING ULU,\"55,10\",tinggi,60.5,\n1604,KAB. LAHAT,,,,\n16.71.01,Ilir Barat II,12.00,rendah,,sedang\n"
            .Replace("1604,KAB. LAHAT,,,,\n", "1604,KAB. LAHAT,40,sedang,,\n"));
        Assert.True(r.Ok, string.Join("\n", r.Errors));
        Assert.Equal(["16.01", "16.04", "16.71.01"], r.Rows.Select(x => x.Code));
        Assert.Equal(55.10, r.Rows[0].Total);
        Assert.Equal(KerawananBand.High, r.Rows[0].Band);
        Assert.Equal(60.5, r.Rows[0].Dimensions["pencalonan"]);
        Assert.Equal(KerawananBand.Medium, r.Rows[2].DimensionBands["sosial-politik"]);
        Assert.True(r.Rows.All(x => x.Imported && x.Source == "impor uji"));

        var semi = Parse("\uFEFFKode;Nama;IKP;Kategori\r\n16.06;KAB. MUSI BANYUASIN;48,9;sedang\r\n");
        Assert.True(semi.Ok, string.Join("\n", semi.Errors));
        Assert.Equal(48.9, Assert.Single(semi.Rows).Total);
    }

    [Fact]
    public void Every_bad_row_is_reported_as_file_line_message_and_no_row_is_returned()
    {
        var r = Parse(string.Join("\n",
            "kode,nama,skor,kategori",
            "16.01,OKU,30,sedang",          // 2 fine
            "16.71,Palembang,101,",         // 3 out of range
            "16.99,Nowhere,20,",            // 4 unknown region
            "16,Sumsel,55.32,sedang",       // 5 province level is not imported
            "16.04,Lahat,40,tinggi",        // 6 40 is medium for a kab/kota
            "16.01,OKU lagi,31,",           // 7 repeated
            "16.06,Muba,,",                 // 8 no value
            "16.71.01,IB II,abc,",          // 9 not a number
            "16.71.02,IB I,20,parah",       // 10 unknown band
            "16.02,\"OKI,30"));             // 11 unbalanced quote
        Assert.False(r.Ok);
        Assert.Empty(r.Rows);
        var lines = r.Errors.Select(e => e.ToString()).ToList();
        Assert.Equal([3, 4, 5, 6, 7, 8, 9, 10, 11], r.Errors.Select(e => e.Line));
        Assert.All(lines, l => Assert.Matches(@"^ikp\.csv:\d+: ", l));
        Assert.Contains("0–100", lines[0]);
        Assert.Contains("tidak ada", lines[1]);
        Assert.Contains("16.04: skor 40,00 termasuk 'sedang' pada tingkat kab/kota", lines[3]);
        Assert.Contains("baris 2", lines[4]);
    }

    [Fact]
    public void Bands_are_checked_at_the_level_of_the_row()
    {
        // 30 is medium for a kab/kota and for a kecamatan (kab/kota thresholds, not published), 12 is low for both
        Assert.True(Parse("kode,skor,kategori\n16.71,30,sedang\n16.71.01,12,rendah\n").Ok);
        var r = Parse("kode,skor,kategori\n16.71.01,50,sedang\n");
        Assert.Equal("ikp.csv:2: 16.71.01: skor 50,00 termasuk 'tinggi' pada tingkat kecamatan (tinggi ≥ 49,33, sedang ≥ 13,47), bukan 'sedang' / 16.71.01: skor 50.00 is 'high' at kecamatan level (high ≥ 49.33, medium ≥ 13.47), not 'medium'",
            Assert.Single(r.Errors).ToString());
        // A page shows one language.
        Assert.Equal("ikp.csv:2: 16.71.01: skor 50.00 is 'high' at kecamatan level (high ≥ 49.33, medium ≥ 13.47), not 'medium'", r.Errors[0].Text(english: true));
        Assert.Equal("ikp.csv:2: 16.71.01: skor 50,00 termasuk 'tinggi' pada tingkat kecamatan (tinggi ≥ 49,33, sedang ≥ 13,47), bukan 'sedang'", r.Errors[0].Text(english: false));
    }

    [Fact]
    public void Regions_outside_the_importers_scope_are_refused_line_by_line()
    {
        var r = Parse("kode,skor\n16.71.01,20\n16.02.01,20\n", scope: "16.71");
        Assert.Equal("ikp.csv:3: 16.02.01: di luar cakupan wilayah Anda / 16.02.01: outside your region scope", Assert.Single(r.Errors).ToString());
        Assert.Empty(r.Rows);
    }

    [Theory]
    [InlineData("", "ikp.csv:1: berkas kosong")]
    [InlineData("nama,skor\nOKU,20\n", "ikp.csv:1: kolom 'kode' wajib ada")]
    [InlineData("kode,skor,kontestasi\n16.01,20,20\n", "ikp.csv:1: kolom tidak dikenal 'kontestasi'")] // a Pemilu dimension is not in the Pilkada edition
    [InlineData("kode,skor\n", "ikp.csv:1: tidak ada baris data")]
    public void Header_problems_are_reported_on_line_1(string csv, string expected) =>
        Assert.StartsWith(expected, Assert.Single(Parse(csv).Errors).ToString());
}
