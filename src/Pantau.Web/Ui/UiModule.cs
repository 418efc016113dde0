using Microsoft.AspNetCore.Http.HttpResults;
using Pantau.Core.Regions;
using Pantau.Core.Tally;
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
        app.MapGet("/api/tally/map/{contest}/{region}", ResultsMap).WithTags("Tally").RequireRateLimiting(RateLimits.PublicApi);
    }

    /// <summary>
    /// The results map of a region (map.js feed): per child region the leading paslon (band <c>p{index}</c>, the paslon's colour)
    /// with its share and the TPS reported; a child without a reported TPS is "belum ada TPS masuk" (band <c>none</c>), never 0%.
    /// </summary>
    internal static async Task<Results<Ok<MapValues>, NotFound>> ResultsMap(PantauDbContext db, Pantau.Web.Tally.TallyReference reference, Lang lang,
        string contest, string region, CancellationToken ct)
    {
        if (await Pantau.Web.Tally.TallyQueries.RecapAsync(db, reference, contest, region, ct) is not { } r) return TypedResults.NotFound();
        var index = r.Paslon.Select((p, i) => (p.Number, i)).ToDictionary(x => x.Number, x => x.i);
        string Name(int n) => r.Paslon.FirstOrDefault(p => p.Number == n) is { } p ? lang.Paslon(p.Number, p.Name) : n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var items = new Dictionary<string, MapValue>();
        foreach (var c in r.Children)
        {
            var progress = lang.T($"TPS masuk {Lang.N(c.TpsIn)} dari {Lang.N(c.TpsExpected)} ({Lang.Pct(c.Progress, 1)})",
                $"TPS reported {Lang.N(c.TpsIn)} of {Lang.N(c.TpsExpected)} ({Lang.Pct(c.Progress, 1)})");
            var lead = c.TpsIn == 0 ? null : Leaders.Of(c.Votes.Select(v => KeyValuePair.Create(int.Parse(v.Key, System.Globalization.CultureInfo.InvariantCulture), v.Value)));
            items[c.Code] = lead is null
                ? new MapValue(0, lang.T("Belum ada TPS masuk", "No TPS reported yet") + (c.TpsIn > 0 ? " · " + progress : ""), "none")
                : new MapValue(lead.Share, (lead.Tie ? lang.T("Seri: ", "Tie: ") : lang.T("Unggul: ", "Leading: ")) + $"{Name(lead.Number)} {Lang.Pct(lead.Share, 1)} · {progress}",
                    lead.Tie ? "tie" : "p" + index.GetValueOrDefault(lead.Number).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        var legend = r.Paslon.Select((p, i) => new MapLegend("p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            (p.Number == 0 ? "" : p.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) + ". ") + lang.Paslon(p.Number, p.Name))).ToList();
        if (items.Values.Any(v => v.Band == "tie")) legend.Add(new("tie", lang.T("Seri", "Tie")));
        legend.Add(new("none", lang.T("Belum ada TPS masuk", "No TPS reported yet")));
        return TypedResults.Ok(new MapValues(items, legend));
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
