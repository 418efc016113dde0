using Pantau.Core.Regions;
using Pantau.Core.Security;

namespace Pantau.Web.Infrastructure;

/// <summary>
/// The region a list or dashboard opens on when the address names none: the user's own scope region (the desa of a TPS-scoped
/// KPPS account), no deeper than the page shows (<paramref name="deepest"/>), and the first configured province for a national
/// scope or the anonymous public.
/// </summary>
public static class HomeRegion
{
    public static string For(Actor actor, IConfiguration config, RegionLevel deepest = RegionLevel.Desa)
    {
        var home = actor.HomeRegion;
        if (!RegionCode.TryGetLevel(home, out var level)) return Startup.Provinces(config)[0];
        return level > deepest ? RegionCode.AncestorAt(home, deepest) : home;
    }

    public static string For(HttpContext http, RegionLevel deepest = RegionLevel.Desa) =>
        For(http.GetActor(), http.RequestServices.GetRequiredService<IConfiguration>(), deepest);
}
