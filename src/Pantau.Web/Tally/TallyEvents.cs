using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tally;

/// <summary>Publishes "totals changed" events. The default does nothing; the live-updates infrastructure plugs in here.</summary>
public interface ITallyEvents
{
    void TotalsChanged(string contest, IReadOnlyCollection<string> regionCodes);
}

/// <summary>Publishes to the live-updates hub: topic <c>tally:{contest}</c>, type <c>totals</c>, payload <c>{contest, regions}</c>
/// (region codes down to kecamatan; browsers re-read the recap they show).</summary>
public sealed class LiveTallyEvents(ILiveUpdates live) : ITallyEvents
{
    public void TotalsChanged(string contest, IReadOnlyCollection<string> regionCodes)
    {
        var regions = regionCodes.Where(c => c.Contains('.') ? c.Length <= 8 : c.Length == 2).Distinct().Take(500).ToList();
        _ = live.PublishAsync("tally:" + contest, "totals", new { contest, regions });
    }
}
