using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Regions;
using Pantau.Data;
using Pantau.Web.Coordination;

namespace Pantau.Web.Pages.Coordination;

public sealed class IndexModel(DashboardService dashboard, PantauDbContext db, IConfiguration config) : CoordinationPage
{
    public DashboardDto? Dash { get; private set; }
    public List<(string Code, string Name)> Choices { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string? region, CancellationToken ct)
    {
        var code = RegionOrScope(region, config);
        Dash = await dashboard.BuildAsync(code, ct);
        if (Dash is null) return NotFound();
        var top = Actor.ScopeCode.Length > 0 ? Actor.ScopeCode : RegionCode.AncestorAt(code, RegionLevel.Provinsi);
        Choices = (await db.Regions.AsNoTracking().Where(r => r.Code == top || (r.ParentCode == top && r.Level <= RegionLevel.Kecamatan))
            .OrderBy(r => r.Code).Select(r => new { r.Code, r.Name }).ToListAsync(ct)).Select(r => (r.Code, Pantau.Core.Coordination.AgencyDirectory.Title(r.Name))).ToList();
        return Page();
    }
}
