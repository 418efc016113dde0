using Pantau.Core.Regions;
using Pantau.Core.Tally;

namespace Pantau.Core.Tests.Tally;

public class NistResultsTests
{
    [Theory]
    [InlineData(3, 0, 0, false, "unofficial-partial")]
    [InlineData(3, 2, 0, true, "unofficial-partial")]
    [InlineData(3, 3, 1, true, "unofficial-partial")]
    [InlineData(3, 3, 0, false, "unofficial-complete")]
    [InlineData(3, 3, 0, true, "certified")]
    [InlineData(0, 0, 0, true, "unofficial-partial")]
    public void Status_follows_the_count_and_the_declaration(int total, int counted, int disputed, bool declared, string expected) =>
        Assert.Equal(expected, NistResults.Status(total, counted, disputed, declared));

    [Fact]
    public void Counts_roll_up_from_each_TPS_to_every_ancestor_within_the_contest_only()
    {
        var regions = new List<NistRegion>
        {
            new("16.71", "Kota Palembang", RegionLevel.KabKota), new("16.71.01", "Ilir Barat II", RegionLevel.Kecamatan),
            new("16.71.01.1001", "Desa A", RegionLevel.Desa), new("16.71.01.1002", "Desa B", RegionLevel.Desa),
            new("16.02", "Kab. Lain", RegionLevel.KabKota),
        };
        var tps = new List<NistTps> { new("1671011001001", "16.71.01.1001", 1, 200), new("1671011002001", "16.71.01.1002", 1, 300), new("1602011001001", "16.02.01.1001", 1, 100) };
        var counts = new List<NistTpsCount>
        {
            new("1671011001001", new Dictionary<int, long> { [1] = 10, [2] = 20 }, 30, 2),
            new("1671011002001", new Dictionary<int, long> { [1] = 5, [2] = 1 }, 6, 0, Disputed: true),
            new("1602011001001", new Dictionary<int, long> { [1] = 99, [2] = 99 }, 198, 0),
        };
        var r = NistResults.Build(new("PILWALKOT-16.71", "Walikota Palembang", "16.71", new DateOnly(2024, 11, 27), [(1, "A"), (2, "B")],
            regions, tps, counts, Declared: true, PublicationSequence: 7, GeneratedAt: new DateTimeOffset(2024, 11, 28, 1, 0, 0, TimeSpan.Zero)));
        Assert.Equal("unofficial-partial", (string?)r["Status"]); // one TPS under review
        var units = r["GpUnit"]!.AsArray();
        Assert.Equal(6, units.Count); // 4 regions + 2 TPS of Palembang, nothing of 16.02
        Assert.Equal("city", (string?)units.First(u => (string?)u!["@id"] == "gp-16.71")!["Type"]);
        var sel = r["Election"]![0]!["Contest"]![0]!["ContestSelection"]![0]!["VoteCounts"]!.AsArray()
            .ToDictionary(v => (string)v!["GpUnitId"]!, v => (long)v!["Count"]!);
        Assert.Equal(15, sel["gp-16.71"]);
        Assert.Equal(15, sel["gp-16.71.01"]);
        Assert.Equal(10, sel["gp-16.71.01.1001"]);
        Assert.Equal(5, sel["gp-1671011002001"]);
        Assert.False(sel.ContainsKey("gp-1602011001001"));
        Assert.Equal("7", (string?)r["ExternalIdentifier"]![0]!["Value"]);
        Assert.Equal(38L, (long)units.First(u => (string?)u!["@id"] == "gp-16.71")!["VotersParticipated"]!);
    }
}
