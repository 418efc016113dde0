using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Regions;
using Pantau.Data;
using Pantau.Web.Incidents;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Pages.Incidents;

/// <summary>Public vulnerability map and table, drilling down province → kab/kota → kecamatan → TPS.</summary>
[EnableRateLimiting(RateLimits.PublicApi)]
public sealed class KerawananModel(KerawananService svc, PantauDbContext db, Web.Elections.ElectionCatalog catalog) : PageModel
{
    /// <summary>The election whose IKP edition scores (<c>?election=CODE</c>, default the current one for the region).</summary>
    [BindProperty(SupportsGet = true, Name = "election")] public string? ElectionCode { get; set; }
    public KerawananElectionView? ElectionView { get; private set; }
    [BindProperty(SupportsGet = true)] public string? Parent { get; set; }
    /// <summary>Only the child regions in this band (the Desk dashboard links high/medium/low counts here).</summary>
    [BindProperty(SupportsGet = true)] public Pantau.Core.Incidents.KerawananBand? Band { get; set; }
    public ScoreLevel Level { get; private set; }
    public Pantau.Core.Incidents.IkpLevel ParentLevel { get; private set; }
    public Pantau.Core.Incidents.IkpEdition Edition => svc.Edition;
    public string GeoLevel { get; private set; } = "";
    public string ParentName { get; private set; } = "";
    public ScoredRegion? Self { get; private set; }
    public List<ScoredRegion> Rows { get; private set; } = [];
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Parent = string.IsNullOrWhiteSpace(Parent) ? HomeRegion.For(HttpContext, RegionLevel.Kecamatan) : Parent.Trim(); // own region (down to its kecamatan) when none is given
        if (!RegionCode.TryGetLevel(Parent, out var l) || l > RegionLevel.Kecamatan || !await db.Regions.AnyAsync(r => r.Code == Parent, ct))
        {
            Error = "Wilayah tidak ditemukan / region not found.";
            Response.StatusCode = 404;
            return Page();
        }
        if (!await svc.UseElectionAsync(ElectionCode, ct, Parent))
        {
            Error = "Pemilihan tidak ditemukan / election not found.";
            Response.StatusCode = 404;
            return Page();
        }
        ElectionView = await KerawananElectionView.ForAsync(svc, catalog, "/kerawanan", ct, ("parent", Parent), ("band", Band?.ToString()));
        ParentName = await db.Regions.Where(r => r.Code == Parent).Select(r => r.Name).FirstAsync(ct);
        ParentLevel = (Pantau.Core.Incidents.IkpLevel)(int)l;
        (Level, GeoLevel) = l switch { RegionLevel.Provinsi => (ScoreLevel.KabKota, "kabkota"), RegionLevel.KabKota => (ScoreLevel.Kecamatan, "kecamatan"), _ => (ScoreLevel.Tps, "") };
        Rows = (await svc.ScoreAsync(Parent, Level, ct)).Where(r => Band is null || r.Score.Band == Band).OrderByDescending(r => r.Score.Score).ToList();
        Self = await svc.ScoreOneAsync(Parent, ct);
        return Page();
    }
}
