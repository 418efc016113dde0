using Microsoft.AspNetCore.Http.HttpResults;
using Pantau.Core.Regions;
using Pantau.Data;
using Pantau.Web.Infrastructure;
using Pantau.Web.Regions;

namespace Pantau.Web.Ui;

/// <summary>Cross-cutting UI: the Wilayah (regions) page and the small JSON feeds its chart and map read.</summary>
public sealed class UiModule : IPantauModule
{
    /// <summary>Tally publishes "totals changed" through <see cref="ITallyEvents"/>; this forwards them to browsers
    /// (server-sent events, topic <c>tally:{contest}</c>, event <c>totals</c>) for js/live.js.</summary>
    public void AddServices(IServiceCollection services, IConfiguration configuration) =>
        services.AddSingleton<Pantau.Web.Tally.ITallyEvents, LiveTallyEvents>(); // registered after Tally's TryAdd default: this one wins

    public IEnumerable<NavItem> Nav => [new(5, "Wilayah", "Regions", "/wilayah")]; // a top-level link (no group): maps and figures of every region

    public void MapEndpoints(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/regions/{code}/chart", Chart).WithTags("Regions");
        app.MapGet("/api/regions/{code}/map", Map).WithTags("Regions");
    }

    public sealed record ChartPoint(string Label, long Value);

    /// <summary>DPT per child region (chart.js feed for charts.js).</summary>
    internal static async Task<Results<Ok<List<ChartPoint>>, NotFound>> Chart(PantauDbContext db, string code, CancellationToken ct)
    {
        if (!RegionCode.IsValid(code) || await RegionsModule.Detail(db, code, ct) is not { } d) return TypedResults.NotFound();
        return TypedResults.Ok(d.Children.Select(c => new ChartPoint(c.Name, c.Dpt)).ToList());
    }

    public sealed record MapValue(double Value, string Label, string Band);
    public sealed record MapLegend(string Band, string Label);
    public sealed record MapValues(Dictionary<string, MapValue> Items, List<MapLegend> Legend);

    /// <summary>Average DPT per TPS of each child region, banded in terciles (map.js feed).</summary>
    internal static async Task<Results<Ok<MapValues>, NotFound>> Map(PantauDbContext db, Lang lang, string code, CancellationToken ct)
    {
        if (!RegionCode.IsValid(code) || await RegionsModule.Detail(db, code, ct) is not { } d) return TypedResults.NotFound();
        var avg = d.Children.Where(c => c.Tps > 0).Select(c => (c.Code, Avg: (double)c.Dpt / c.Tps, c.Tps)).ToList();
        var sorted = avg.Select(a => a.Avg).Order().ToList();
        double Q(double p) => sorted.Count == 0 ? 0 : sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];
        var (q1, q2) = (Q(1 / 3.0), Q(2 / 3.0));
        var items = avg.ToDictionary(a => a.Code, a => new MapValue(a.Avg,
            lang.T($"{Lang.N(a.Avg, 0)} pemilih per TPS ({Lang.N(a.Tps)} TPS)", $"{Lang.N(a.Avg, 0)} voters per TPS ({Lang.N(a.Tps)} TPS)"),
            a.Avg < q1 ? "low" : a.Avg < q2 ? "medium" : "high"));
        return TypedResults.Ok(new MapValues(items, [
            new("low", lang.T($"< {Lang.N(q1, 0)} pemilih/TPS", $"< {Lang.N(q1, 0)} voters/TPS")),
            new("medium", lang.T($"{Lang.N(q1, 0)}–{Lang.N(q2, 0)}", $"{Lang.N(q1, 0)}–{Lang.N(q2, 0)}")),
            new("high", lang.T($"≥ {Lang.N(q2, 0)} pemilih/TPS", $"≥ {Lang.N(q2, 0)} voters/TPS")),
            new("none", lang.T("tanpa TPS", "no TPS")),
        ]));
    }
}

/// <summary>Forwards tally "totals changed" notices to the live-updates hub (non-private: contest and region codes only).</summary>
public sealed class LiveTallyEvents(ILiveUpdates live) : Pantau.Web.Tally.ITallyEvents
{
    public void TotalsChanged(string contest, IReadOnlyCollection<string> regionCodes) =>
        _ = live.PublishAsync("tally:" + contest, "totals", new { contest, regions = regionCodes.Take(50).ToArray() }).AsTask();
}
