using Microsoft.EntityFrameworkCore;
using Pantau.Core.Coordination;
using Pantau.Core.Regions;
using Pantau.Data;
using Pantau.Data.Auditing;
using Pantau.Data.Coordination;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Coordination;

/// <summary>
/// Fills the agency directory from the region tree: Forkopimda and election bodies of each configured province (<c>Pantau:Provinces</c>)
/// and its kab/kota, camat and Forkopimcam of each kecamatan. Idempotent: only missing codes are added; hand edits are kept.
/// </summary>
public sealed class AgencySeeder(PantauDbContext db)
{
    public async Task<int> EnsureAsync(string regionCode, CancellationToken ct)
    {
        var rows = await db.Regions.AsNoTracking()
            .Where(r => r.Code == regionCode || r.Code.StartsWith(regionCode + "."))
            .Where(r => r.Level <= RegionLevel.Kecamatan)
            .Select(r => new { r.Code, r.Name, r.Level, r.Type }).ToListAsync(ct);
        var seeds = new List<AgencySeed>();
        foreach (var r in rows.OrderBy(r => r.Code, StringComparer.Ordinal))
        {
            var place = new AgencyDirectory.Place(r.Code, r.Name, r.Type);
            seeds.AddRange(r.Level switch
            {
                RegionLevel.Provinsi => AgencyDirectory.ForProvince(place),
                RegionLevel.KabKota => AgencyDirectory.ForKabKota(place),
                _ => AgencyDirectory.ForKecamatan(place),
            });
        }
        if (seeds.Count == 0) return 0;
        var prefix = regionCode + ".";
        var existing = (await db.Agencies.AsNoTracking().Where(a => a.RegionCode == regionCode || a.RegionCode.StartsWith(prefix)).Select(a => a.Code).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        var missing = seeds.Where(s => !existing.Contains(s.Code)).ToList();
        if (missing.Count == 0) return 0;
        var audit = db.AuditEnabled;
        db.AuditEnabled = false;
        try
        {
            foreach (var s in missing)
                db.Agencies.Add(new Agency { Code = s.Code, Name = s.Name, Kind = s.Kind, RegionCode = s.RegionCode, IsForkopim = s.IsForkopim, IsGenerated = true, Version = 1 });
            var who = db.Actor.Current;
            db.AuditEntries.Add(new AuditEntry
            {
                At = db.Clock.GetUtcNow(), UserId = who.UserId, UserName = who.UserName, RemoteIp = db.Actor.RemoteIp, Action = "Added",
                EntityType = nameof(Agency), EntityKey = regionCode, After = $"{{\"generated\":{missing.Count}}}",
            });
            await db.SaveChangesAsync(ct);
        }
        finally { db.AuditEnabled = audit; }
        return missing.Count;
    }
}

/// <summary>Seeds the directory once at start-up for the configured provinces (after the first-start import).</summary>
/// <remarks>In the <c>Testing</c> environment it only runs when <c>Pantau:Coordination:SeedAgencies=true</c>, so other features' tests stay fast.</remarks>
public sealed class AgencySeedOnStart(IServiceProvider services, IConfiguration config, IHostEnvironment env, ILogger<AgencySeedOnStart> log) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        if (!config.GetValue("Pantau:Coordination:SeedAgencies", !env.IsEnvironment("Testing"))) return;
        try
        {
            using var scope = services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<PantauDbContext>();
            if (await db.Agencies.AnyAsync(a => a.IsGenerated, ct)) return;
            var seeder = new AgencySeeder(db);
            foreach (var p in Startup.Provinces(config))
            {
                var n = await seeder.EnsureAsync(p, ct);
                if (n > 0) log.LogInformation("Agency directory: generated {Count} entries for {Province}", n, p);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogWarning(ex, "Agency directory seeding skipped");
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
