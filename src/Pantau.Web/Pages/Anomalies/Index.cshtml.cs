using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pantau.Data;
using Pantau.Web.Infrastructure;
using Pantau.Web.Tally;
using Pantau.Web.Tally.Anomalies;

namespace Pantau.Web.Pages.Anomalies;

/// <summary>The anomaly queue: filters, reasons, links to the TPS history and the reviewer actions.</summary>
[Authorize(Policy = Access.Anomalies)]
public sealed class IndexModel(PantauDbContext db, TallyReference reference, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Contest { get; set; }
    [BindProperty(SupportsGet = true)] public string? Region { get; set; }
    [BindProperty(SupportsGet = true)] public string? Code { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; } = "active";
    [BindProperty(SupportsGet = true)] public string? Severity { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNo { get; set; } = 1;

    public AnomalyPage? Result { get; private set; }
    public IReadOnlyList<(string Code, string Name)> Contests { get; private set; } = [];
    public Dictionary<string, string[]> Errors { get; private set; } = [];
    public string? Message { get; private set; }
    public bool MessageIsError { get; private set; }
    public string Scope { get; private set; } = "";

    private IActionResult? Gate()
    {
        var actor = HttpContext.GetActor();
        if (actor.Role == Core.Security.Role.Public) return Challenge();
        if (!actor.IsIn(AnomalyQueries.Roles)) return StatusCode(403);
        return null;
    }

    public async Task<IActionResult> OnGetAsync(string? done, string? failed, CancellationToken ct)
    {
        if (Gate() is { } g) return g;
        Message = failed ?? done;
        MessageIsError = failed is not null;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long id, string act, string? note, CancellationToken ct)
    {
        if (Gate() is { } g) return g;
        var (outcome, _) = await AnomalyQueries.ChangeAsync(db, HttpContext.GetActor(), id, act ?? "", note, clock.GetUtcNow(), ct);
        var lang = HttpContext.RequestServices.GetRequiredService<Lang>();
        var query = new Dictionary<string, string?> { ["contest"] = Contest, ["region"] = Region, ["code"] = Code, ["status"] = Status, ["severity"] = Severity };
        if (outcome == AnomalyQueries.ActionOutcome.Ok) query["done"] = lang.T($"Anomali #{id} diperbarui.", $"Anomaly #{id} updated.");
        else query["failed"] = outcome switch
        {
            AnomalyQueries.ActionOutcome.NeedsReason => lang.T("Alasan wajib diisi untuk menutup anomali.", "A reason is required to dismiss an anomaly."),
            AnomalyQueries.ActionOutcome.Forbidden => lang.T("Di luar wilayah tugas Anda.", "Outside your region."),
            AnomalyQueries.ActionOutcome.NotFound => lang.T("Anomali tidak ditemukan.", "Anomaly not found."),
            AnomalyQueries.ActionOutcome.Concurrency => lang.T("Diubah orang lain, coba lagi.", "Changed by someone else, try again."),
            _ => lang.T("Tindakan tidak bisa dilakukan pada status ini.", "That action is not possible in this status."),
        };
        return Redirect(QueryHelpers("/anomali", query));
    }

    private static string QueryHelpers(string path, Dictionary<string, string?> q) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(path, q.Where(kv => !string.IsNullOrEmpty(kv.Value)));

    private async Task LoadAsync(CancellationToken ct)
    {
        var actor = HttpContext.GetActor();
        Scope = actor.ScopeCode;
        Contests = (await reference.ContestsAsync(ct)).Values.OrderBy(c => c.Code).Select(c => (c.Code, c.Name)).ToList();
        var f = new AnomalyFilter(Contest, Region, Code, Status, Severity, Math.Max(1, PageNo), 50);
        Errors = AnomalyQueries.Validate(f);
        if (Errors.Count > 0) return;
        var effective = AnomalyQueries.EffectiveRegion(actor, Region);
        if (effective is null) { Errors["region"] = ["Wilayah di luar wilayah tugas Anda / region outside your scope"]; return; }
        Result = await AnomalyQueries.PageAsync(db, effective, f, ct);
    }

    public string PageLink(int page) => QueryHelpers("/anomali", new()
    {
        ["contest"] = Contest, ["region"] = Region, ["code"] = Code, ["status"] = Status, ["severity"] = Severity, ["p"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    public string ExportLink => QueryHelpers("/api/tally/anomalies/export.csv", new()
    {
        ["contest"] = Contest, ["region"] = Region, ["code"] = Code, ["status"] = Status, ["severity"] = Severity,
    });

}
