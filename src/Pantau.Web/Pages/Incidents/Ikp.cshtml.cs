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
public sealed class IkpModel(KerawananService svc, PantauDbContext db, Web.Elections.ElectionCatalog catalog) : PageModel
{
    /// <summary>The election whose IKP edition is shown and imported into (<c>?election=CODE</c>, default the current one for the account's region).</summary>
    [BindProperty(SupportsGet = true, Name = "election")] public string? ElectionCode { get; set; }
    public KerawananElectionView? ElectionView { get; private set; }
    public string? Error { get; private set; }
    public IkpEdition Edition => svc.Edition;
    public List<IkpValue> Imported { get; private set; } = [];
    public IReadOnlyList<IkpImportError> Errors { get; private set; } = [];
    public int? ImportedCount { get; private set; }
    public bool CanImport { get; private set; }
    [BindProperty] public IFormFile? Upload { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await ChooseAsync(ct)) return Page();
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>The election (and so the edition) of the page; false with a 404 when the code names none.</summary>
    private async Task<bool> ChooseAsync(CancellationToken ct)
    {
        var home = HttpContext.GetActor().HomeRegion;
        if (!await svc.UseElectionAsync(ElectionCode, ct, home.Length > 0 ? home : null))
        {
            Error = "Pemilihan tidak ditemukan / election not found.";
            Response.StatusCode = 404;
            return false;
        }
        ElectionView = await KerawananElectionView.ForAsync(svc, catalog, "/kerawanan/ikp", ct);
        return true;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var actor = HttpContext.GetActor();
        if (!actor.IsIn(RoleGroups.Desk)) return Forbid();
        if (!await ChooseAsync(ct)) return Page();
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
