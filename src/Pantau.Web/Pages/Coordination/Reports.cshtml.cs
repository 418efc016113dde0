using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Regions;
using Pantau.Data;
using Pantau.Web.Coordination;

namespace Pantau.Web.Pages.Coordination;

[Microsoft.AspNetCore.Authorization.Authorize(Policy = Pantau.Web.Infrastructure.Access.Desk)]
public sealed class ReportsModel(PantauDbContext db, SituationReportService reports, IConfiguration config) : CoordinationPage
{
    [BindProperty(SupportsGet = true)] public string? Region { get; set; }
    public List<ReportDto> Reports { get; private set; } = [];
    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await Load(ct);

    private async Task Load(CancellationToken ct)
    {
        Region = RegionOrScope(Region, config);
        Reports = (await db.SituationReports.AsNoTracking().Where(CoordinationService.Within<Data.Coordination.SituationReport>(Region, r => r.RegionCode))
            .OrderByDescending(r => r.GeneratedAt).Take(100).ToListAsync(ct)).Select(CoordinationModule.ToDto).ToList();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!IsDesk) return Forbid();
        if (!RegionCode.TryGetLevel(Region, out var level) || level > RegionLevel.Kecamatan || !Actor.Covers(Region!))
        {
            Problem = "Pilih wilayah provinsi, kab/kota atau kecamatan dalam cakupan Anda / choose a province, kab/kota or kecamatan within your scope.";
            Response.StatusCode = 400;
            var keep = Region;
            await Load(ct);
            Region = keep;
            return Page();
        }
        await reports.GenerateAsync(Region!, false, Actor.UserName, ct);
        return Redirect(Pantau.Web.Infrastructure.SavedNotice.With($"/koordinasi/laporan?region={Region}", "laporan"));
    }
}
