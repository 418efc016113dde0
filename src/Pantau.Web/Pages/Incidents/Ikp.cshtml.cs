using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Incidents;
using Pantau.Core.Security;
using Pantau.Data;
using Pantau.Data.Incidents;
using Pantau.Web.Incidents;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Pages.Incidents;

/// <summary>The IKP edition in use (dimensions, Pantau's weights, bands per level, Bawaslu's published values) and the Desk's CSV import.</summary>
public sealed class IkpModel(KerawananService svc, PantauDbContext db) : PageModel
{
    public IkpEdition Edition => svc.Edition;
    public List<IkpValue> Imported { get; private set; } = [];
    public IReadOnlyList<IkpImportError> Errors { get; private set; } = [];
    public int? ImportedCount { get; private set; }
    public bool CanImport { get; private set; }
    [BindProperty] public IFormFile? Upload { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var actor = HttpContext.GetActor();
        if (!actor.IsIn(RoleGroups.Desk)) return Forbid();
        if (Upload is null || Upload.Length == 0) Errors = [new IkpImportError("-", 0, L.T("Pilih berkas CSV.", "Choose a CSV file."))];
        else if (Upload.Length > 2_000_000) Errors = [new IkpImportError(Upload.FileName, 0, L.T("Berkas terlalu besar (maks. 2 MB).", "File too large (max 2 MB)."))];
        else
        {
            string text;
            using (var reader = new StreamReader(Upload.OpenReadStream(), System.Text.Encoding.UTF8)) text = await reader.ReadToEndAsync(ct);
            var result = await svc.ImportAsync(Upload.FileName, text, actor.ScopeCode, actor.UserName, ct);
            Errors = result.Errors;
            if (result.Ok) ImportedCount = result.Rows.Count;
        }
        if (Errors.Count > 0) Response.StatusCode = 422;
        await LoadAsync(ct);
        return Page();
    }

    private Lang L => HttpContext.RequestServices.GetRequiredService<Lang>();

    private async Task LoadAsync(CancellationToken ct)
    {
        CanImport = HttpContext.GetActor().IsIn(RoleGroups.Desk);
        var key = Edition.Key;
        Imported = await db.IkpValues.AsNoTracking().Where(v => v.Edition == key).OrderBy(v => v.RegionCode).ToListAsync(ct);
    }
}
