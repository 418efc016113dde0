using Pantau.Core.Regions;
using Pantau.Core.Tally;

namespace Pantau.Core.Tests.Tally;

public class SourceRowsTests
{
    private static readonly SourceMapping Map = new(new Dictionary<string, string> { ["tps"] = "kode", ["p1"] = "a", ["p2"] = "b", ["suaraSah"] = "sah", ["dpt"] = "dpt" });

    [Fact]
    public void A_row_reads_as_a_partial_sheet_with_empty_cells_absent()
    {
        var (index, problems) = SourceRows.Bind(Map, ["kode", "a", "b", "sah", "dpt", "extra"]);
        Assert.Empty(problems);
        var row = SourceRows.Read(2, "PPWP-17", index, ["1701012001001", "3", "4", "7", "", "x"]);
        Assert.Empty(row.Errors);
        Assert.NotNull(row.Sheet);
        Assert.True(row.Sheet!.Has("suaraSah"));
        Assert.False(row.Sheet.Has("dpt"));
        Assert.False(row.Sheet.Has("ballotsUsed"));
        Assert.Equal(7, row.Sheet.SuaraSah);
    }

    [Fact]
    public void Missing_columns_unknown_targets_bad_values_and_rows_without_votes()
    {
        Assert.Contains(SourceRows.Bind(Map, ["kode", "a"]).Problems, p => p.Contains("'sah'", StringComparison.Ordinal));
        Assert.NotEmpty(new SourceMapping(new Dictionary<string, string> { ["tps"] = "k", ["suara_sah"] = "s" }).Problems());
        Assert.NotEmpty(new SourceMapping(new Dictionary<string, string> { ["p1"] = "a" }).Problems()); // no TPS key
        var (index, _) = SourceRows.Bind(Map, ["kode", "a", "b", "sah", "dpt"]);
        Assert.Contains("p2", Assert.Single(SourceRows.Read(3, "C", index, ["1701012001001", "1", "1,5", "", ""]).Errors));
        Assert.NotEmpty(SourceRows.Read(4, "C", index, ["17010120", "1", "1", "", ""]).Errors);
        var noVotes = SourceRows.Read(5, "C", index, ["1701012001001", "", "", "120", "200"]);
        Assert.Empty(noVotes.Errors);
        Assert.Null(noVotes.Sheet); // a voter section without votes is no result: missing
    }

    [Fact]
    public void Desa_code_and_TPS_number_make_the_TPS_code()
    {
        var map = new SourceMapping(new Dictionary<string, string> { ["desa"] = "desa", ["tpsNumber"] = "no", ["p1"] = "a" });
        var (index, problems) = SourceRows.Bind(map, ["desa", "no", "a"]);
        Assert.Empty(problems);
        Assert.Equal("1701012001004", SourceRows.Read(2, "C", index, ["17.01.01.2001", "4", "9"]).Tps);
    }

    [Fact]
    public void TPS_list_rows_in_KPU_layout()
    {
        var (index, problem) = TpsListRows.Bind(["kode_tps", "kode_desa", "no_tps", "dpt_l", "dpt_p", "dpt"]);
        Assert.Null(problem);
        var (row, error) = TpsListRows.Read(2, index, ["1701012001001", "1701012001", "001", "118", "115", "233"]);
        Assert.Null(error);
        Assert.Equal(("17.01.01.2001", 1, 233), (row!.DesaCode, row.Number, row.Dpt!.Value));
        Assert.Contains("(234)", TpsListRows.Read(3, index, ["1701012001001", "", "", "118", "116", "233"]).Error!);
        Assert.NotNull(TpsListRows.Read(4, index, ["1701012001001", "", "", "-1", "0", "-1"]).Error);
        Assert.NotNull(TpsListRows.Read(5, index, ["1701012001001", "1701012002", "", "", "", ""]).Error); // desa does not match the code
        var (lenient, e2) = TpsListRows.Read(6, index, ["1701012001001", "", "", "118", "116", "233"], dptErrorIsAbsent: true, out var warning);
        Assert.Null(e2);
        Assert.Null(lenient!.Dpt);
        Assert.NotNull(warning);
        Assert.NotNull(TpsListRows.Bind(["dpt"]).Problem);
    }
}
