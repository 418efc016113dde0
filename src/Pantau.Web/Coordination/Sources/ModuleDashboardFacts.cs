using Pantau.Core.Incidents;
using Pantau.Core.Regions;
using Pantau.Web.Incidents;
using Inc = Pantau.Web.Incidents;
using Pantau.Web.Readiness;

namespace Pantau.Web.Coordination.Sources;

/// <summary>Readiness score and late tasks from the Readiness module's summary service.</summary>
public sealed class ReadinessDashboardFacts(ReadinessService readiness, TimeProvider time) : IReadinessFacts
{
    public async Task<ReadinessSummary?> GetAsync(string regionCode, CancellationToken ct)
    {
        var s = await readiness.SummaryAsync(regionCode, time.GetUtcNow(), 0, ct);
        return s is null ? null : new ReadinessSummary(s.Score, (int)s.Late, $"/kesiapan/{regionCode}", $"/kesiapan/{regionCode}");
    }
}

/// <summary>Open incidents by severity and the kerawanan bands from the Incidents module's <see cref="IIncidentSummary"/>.</summary>
public sealed class IncidentDashboardFacts(IIncidentSummary incidents) : IIncidentFacts, IKerawananFacts
{
    private Inc.IncidentSummary? _cached;
    private string? _cachedFor;

    private async Task<Inc.IncidentSummary> Get(string regionCode, CancellationToken ct)
    {
        if (_cached is null || _cachedFor != regionCode) { _cached = await incidents.GetAsync(regionCode, ct); _cachedFor = regionCode; }
        return _cached;
    }

    private static string Label(Severity s) => s switch
    {
        Severity.Critical => "kritis", Severity.High => "tinggi", Severity.Medium => "sedang", _ => "rendah",
    };

    async Task<Coordination.IncidentSummary?> IIncidentFacts.GetAsync(string regionCode, CancellationToken ct)
    {
        var s = await Get(regionCode, ct);
        return new Coordination.IncidentSummary(s.Open,
            s.OpenBySeverity.OrderByDescending(x => x.Key).Select(x => new SeverityCount(x.Key.ToString(), "insiden " + Label(x.Key), x.Value, $"/insiden?region={regionCode}&open=true")).ToList(),
            $"/insiden?region={regionCode}&open=true");
    }

    async Task<Coordination.KerawananSummary?> IKerawananFacts.GetAsync(string regionCode, CancellationToken ct)
    {
        var s = await Get(regionCode, ct);
        if (s.Kerawanan is not { } k) return null;
        // The dashboard map draws the child regions; below kab/kota kerawanan is scored per TPS, so the action map is shown there.
        var values = RegionCode.LevelOf(regionCode) switch
        {
            RegionLevel.Provinsi => $"/api/kerawanan/map?parent={regionCode}&level=kabkota",
            RegionLevel.KabKota => $"/api/kerawanan/map?parent={regionCode}&level=kecamatan",
            _ => $"/api/coordination/map?region={regionCode}",
        };
        return new Coordination.KerawananSummary(k.High, k.Medium, k.Low, values, $"/kerawanan?parent={regionCode}");
    }
}

/// <summary>Tahapan dates from the Readiness module's schedule (editable there), replacing the built-in PKPU 2/2024 table.</summary>
public sealed class ReadinessTahapanCalendar(IServiceScopeFactory scopes) : ITahapanCalendar
{
    public async Task<DateOnly?> StartOfAsync(string code, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var stages = await scope.ServiceProvider.GetRequiredService<ReadinessService>().StagesAsync(ct);
        return stages.FirstOrDefault(s => s.Code == code)?.Start ?? (Core.Coordination.PilkadaSchedule.Tahapan.TryGetValue(code, out var t) ? t.Start : null);
    }
}
