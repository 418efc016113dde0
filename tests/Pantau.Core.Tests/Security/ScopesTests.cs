using Pantau.Core.Security;

namespace Pantau.Core.Tests.Security;

public sealed class ScopesTests
{
    private const string Tps = "1671011001001", OtherTpsSameDesa = "1671011001002", Desa = "16.71.01.1001";

    [Fact]
    public void A_tps_scope_covers_its_tps_only_and_reads_its_desa()
    {
        var kpps = new Actor("k", "kpps", Role.KppsOperator, Tps);
        Assert.True(kpps.IsTpsScoped);
        Assert.True(kpps.Covers(Tps));
        Assert.False(kpps.Covers(OtherTpsSameDesa));
        Assert.False(kpps.Covers(Desa)); // no desa-level writes
        Assert.False(kpps.Covers("16.71"));
        Assert.Equal(Desa, kpps.HomeRegion);
        Assert.True(kpps.Reads(Desa));
        Assert.True(kpps.Reads(Tps));
        Assert.False(kpps.Reads(OtherTpsSameDesa)); // another TPS's private data stays closed
        Assert.False(kpps.Reads("16.71.01.1002"));
        Assert.False(kpps.Reads("16.71.01"));
    }

    [Fact]
    public void A_region_scope_covers_the_tps_of_its_desa_and_nothing_outside()
    {
        var pps = new Actor("p", "pps", Role.PpsOperator, Desa);
        Assert.False(pps.IsTpsScoped);
        Assert.Equal(Desa, pps.HomeRegion);
        Assert.True(pps.Covers(Tps));
        Assert.True(pps.Covers(OtherTpsSameDesa));
        Assert.False(pps.Covers("1671011002001"));
        var kab = new Actor("d", "desk", Role.DeskKabKota, "16.71");
        Assert.True(kab.Covers(Tps));
        Assert.False(kab.Covers("1672011001001"));
        Assert.True(new Actor("a", "admin", Role.Admin, "").Covers(Tps));
        Assert.False(new Actor("", "anonymous", Role.Public, "-").Covers(Tps));
        Assert.False(new Actor("", "anonymous", Role.Public, "-").Reads("16"));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("16.71", true)]
    [InlineData(Tps, true)]
    [InlineData("1671011001000", false)] // TPS number 0
    [InlineData("167101100100", false)]
    [InlineData("16.7", false)]
    [InlineData("-", false)]
    public void Valid_scopes_are_national_a_region_or_a_tps(string scope, bool valid) => Assert.Equal(valid, Scopes.IsValid(scope));

    [FsCheck.Xunit.Property]
    public bool A_tps_is_covered_exactly_when_its_desa_is_within_a_region_scope(byte kab, byte desa, byte n)
    {
        var kabCode = $"16.{kab % 20 + 1:00}";
        var desaCode = $"{kabCode}.01.{1001 + desa % 5}";
        var tps = Pantau.Core.Regions.RegionCode.TpsCode(desaCode, n % 30 + 1);
        return Scopes.Covers("16.71", tps) == Pantau.Core.Regions.RegionCode.IsWithin(desaCode, "16.71")
            && Scopes.Covers(desaCode, tps) && Scopes.Covers(tps, tps) && !Scopes.Covers(tps, desaCode);
    }
}
