using Pantau.Core.Interop;

namespace Pantau.Core.Tests.Interop;

public class HxlTests
{
    [Fact]
    public void The_HXL_hashtag_rule_accepts_the_standards_shape_only()
    {
        Assert.True(Hxl.IsValid("#adm2+code"));
        Assert.True(Hxl.IsValid("#indicator+tasks+at_risk+num"));
        Assert.False(Hxl.IsValid("adm2"));
        Assert.False(Hxl.IsValid("#Adm2"));
        Assert.False(Hxl.IsValid("#adm2+"));
        Assert.False(Hxl.IsValid("#adm2 code"));
        Assert.Equal(["#adm1+code", "#adm2+code", "#adm3+code"], Hxl.AdminColumns(Pantau.Core.Regions.RegionLevel.Kecamatan).Select(c => c.CodeTag));
    }
}
