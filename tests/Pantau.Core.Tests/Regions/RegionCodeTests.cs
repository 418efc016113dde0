using Pantau.Core.Regions;
using Pantau.Core.Security;

namespace Pantau.Core.Tests.Regions;

public class RegionCodeTests
{
    [Theory]
    [InlineData("16", RegionLevel.Provinsi)]
    [InlineData("16.71", RegionLevel.KabKota)]
    [InlineData("16.71.01", RegionLevel.Kecamatan)]
    [InlineData("16.71.01.1001", RegionLevel.Desa)]
    public void Levels_follow_the_number_of_parts(string code, RegionLevel level) => Assert.Equal(level, RegionCode.LevelOf(code));

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("16.7")]
    [InlineData("16.71.1")]
    [InlineData("16.71.01.100")]
    [InlineData("16.71.01.1001.1")]
    [InlineData("1a.71")]
    [InlineData("16..01")]
    public void Malformed_codes_are_rejected(string code) => Assert.False(RegionCode.IsValid(code));

    [Fact]
    public void Numeric_and_dotted_forms_round_trip()
    {
        Assert.Equal("1671011001", RegionCode.ToNumeric("16.71.01.1001"));
        Assert.Equal("16.71.01.1001", RegionCode.FromNumeric("1671011001"));
        Assert.Equal("16.71", RegionCode.FromNumeric("1671"));
        Assert.Throws<FormatException>(() => RegionCode.FromNumeric("16710"));
    }

    [Fact]
    public void Tps_codes_add_three_digits_to_the_desa()
    {
        Assert.Equal("1671011001007", RegionCode.TpsCode("16.71.01.1001", 7));
        Assert.True(RegionCode.TryParseTpsCode("1671011001007", out var desa, out var n));
        Assert.Equal(("16.71.01.1001", 7), (desa, n));
        Assert.False(RegionCode.TryParseTpsCode("1671011001000", out _, out _));
        Assert.False(RegionCode.TryParseTpsCode("16710110010", out _, out _));
    }

    [Fact]
    public void Within_respects_code_boundaries_not_string_prefixes()
    {
        Assert.True(RegionCode.IsWithin("16.71.01.1001", "16.71"));
        Assert.True(RegionCode.IsWithin("16.71", "16.71"));
        Assert.False(RegionCode.IsWithin("16.7", "16.71"));
        Assert.False(RegionCode.IsWithin("16.71", "16.7"));
        Assert.False(RegionCode.IsWithin("16.72.01", "16.71"));
    }

    [Fact]
    public void Lineage_lists_every_ancestor()
    {
        Assert.Equal(["16", "16.71", "16.71.01", "16.71.01.1001"], RegionCode.Lineage("16.71.01.1001"));
        Assert.Equal("16.71", RegionCode.AncestorAt("16.71.01.1001", RegionLevel.KabKota));
        Assert.Null(RegionCode.ParentOf("16"));
    }

    [Fact]
    public void Actor_scope_covers_only_its_subtree()
    {
        var pps = new Actor("u", "pps", Role.PpsOperator, "16.71.01.1001");
        Assert.True(pps.Covers("16.71.01.1001"));
        Assert.False(pps.Covers("16.71.01.1002"));
        Assert.False(pps.Covers("16.71"));
        var admin = new Actor("a", "admin", Role.Admin, "");
        Assert.True(admin.Covers("32.01"));
    }
}
