using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Incidents;
using Pantau.Core.Security;
using Pantau.Data;
using Pantau.Web.Incidents;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Pages.Incidents;

/// <summary>Officers record the eight TPS-rawan variables of one TPS and see its explained score.</summary>
[Authorize(Policy = Access.Officers)]
public sealed class TpsRawanModel(PantauDbContext db, KerawananService svc, TimeProvider time, Web.Elections.ElectionCatalog catalog) : PageModel
{
    /// <summary>The election whose IKP edition scores (<c>?election=CODE</c>, default the current one for the TPS).</summary>
    [BindProperty(SupportsGet = true, Name = "election")] public string? ElectionCode { get; set; }
    public KerawananElectionView? ElectionView { get; private set; }
    [BindProperty(SupportsGet = true)] public string Code { get; set; } = "";
    [BindProperty] public List<TpsRawanVariable> Variables { get; set; } = [];
    [BindProperty] public string? Note { get; set; }
    /// <summary>Ticked to say that none of the variables applies (an unticked form is otherwise an empty submission).</summary>
    [BindProperty] public bool NoneApply { get; set; }
    public Data.Regions.Tps? Tps { get; private set; }
    public KerawananScore? Score { get; private set; }
    /// <summary>The score's parts and baseline source.</summary>
    public ScoreParts? Parts { get; private set; }
    public IkpEdition Edition => svc.Edition;
    public string? Error { get; private set; }
    public bool Saved { get; private set; }

    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        var actor = HttpContext.GetActor();
        Tps = await db.Tps.AsNoTracking().FirstOrDefaultAsync(t => t.Code == Code, ct);
        if (Tps is null) { Error = "TPS tidak ditemukan / TPS not found."; Response.StatusCode = 404; return Page(); }
        if (!actor.Covers(Tps.Code)) { Error = "TPS di luar cakupan Anda / TPS outside your scope."; Tps = null; Response.StatusCode = 403; return Page(); }
        if (!await svc.UseElectionAsync(ElectionCode, ct, Tps.DesaCode)) { Error = "Pemilihan tidak ditemukan / election not found."; Tps = null; Response.StatusCode = 404; return Page(); }
        ElectionView = await KerawananElectionView.ForAsync(svc, catalog, "/kerawanan/tps/" + Tps.Code, ct);
        return null;
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } stop) return stop;
        var row = await db.TpsRawan.AsNoTracking().FirstOrDefaultAsync(t => t.TpsCode == Code, ct);
        Variables = row?.Flags().ToList() ?? [];
        NoneApply = row is not null && Variables.Count == 0;
        Note = row?.Note;
        SetScore((await svc.ScoreAsync(Tps!.DesaCode, ScoreLevel.Tps, ct)).First(s => s.Code == Code));
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } stop) return stop;
        var invalid = (Note?.Length ?? 0) > 1000 || Variables.Any(v => !Enum.IsDefined(v)) ? "Catatan maksimal 1000 karakter / note at most 1000 characters."
            : Variables.Count == 0 && !NoneApply ? "Centang variabel yang berlaku di TPS ini, atau centang \"Tidak ada variabel kerawanan\" / tick the variables that apply, or tick \"No vulnerability variable\"."
            : Variables.Count > 0 && NoneApply ? "\"Tidak ada variabel kerawanan\" dicentang bersama variabel lain; pilih salah satu / \"No vulnerability variable\" is ticked together with variables; choose one."
            : null;
        if (invalid is not null)
        {
            Error = invalid;
            Response.StatusCode = 400;
            SetScore((await svc.ScoreAsync(Tps!.DesaCode, ScoreLevel.Tps, ct)).First(s => s.Code == Code));
            return Page();
        }
        var row = await db.TpsRawan.FirstOrDefaultAsync(t => t.TpsCode == Code, ct);
        if (row is null) db.TpsRawan.Add(row = new Data.Incidents.TpsRawan { TpsCode = Code, KecamatanCode = Tps!.KecamatanCode, KabKotaCode = Tps.KabKotaCode });
        row.Set(Variables.ToHashSet());
        row.Note = string.IsNullOrWhiteSpace(Note) ? null : Note.Trim();
        row.UpdatedAt = time.GetUtcNow();
        row.UpdatedBy = HttpContext.GetActor().UserName;
        row.Version++;
        await db.SaveChangesAsync(ct);
        Saved = true;
        SetScore((await svc.ScoreAsync(Tps!.DesaCode, ScoreLevel.Tps, ct)).First(s => s.Code == Code));
        return Page();
    }

    private void SetScore(ScoredRegion row) { Score = row.Score; Parts = row.Parts; }
}
