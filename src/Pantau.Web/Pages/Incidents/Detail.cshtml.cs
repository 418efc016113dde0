using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pantau.Core.Incidents;
using Pantau.Core.Security;
using Pantau.Web.Incidents;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Pages.Incidents;

[Authorize(Policy = Access.Officers)]
public sealed class DetailModel(IncidentService svc, IFileStore store) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    [BindProperty] public IncidentAction? Action { get; set; }
    [BindProperty] public string? Note { get; set; }
    [BindProperty] public Agency? Agency { get; set; }
    [BindProperty] public RejectReason? RejectReason { get; set; }
    [BindProperty] public string? MergeInto { get; set; }
    [BindProperty] public long? Version { get; set; }
    [BindProperty] public Severity? Severity { get; set; }
    [BindProperty] public Urgency? Urgency { get; set; }
    [BindProperty] public Guid? ClaimId { get; set; }
    [BindProperty] public IFormFile? Upload { get; set; }

    public IncidentDetail? Detail { get; private set; }
    public List<IncidentService.HoaxClaimDto> Claims { get; private set; } = [];
    public string? Error { get; private set; }
    public Dictionary<string, string[]> Errors { get; private set; } = [];
    public string? Done { get; private set; }

    private async Task<IActionResult> Show(CancellationToken ct)
    {
        var actor = HttpContext.GetActor();
        var d = await svc.DetailAsync(Id, actor, ct);
        if (!d.Ok) { Response.StatusCode = d.Status; Error = d.Error; return Page(); }
        Detail = d.Value;
        if (Detail!.Summary.Category == IncidentCategory.Hoax) Claims = await svc.ClaimsAsync(actor, false, ct);
        return Page();
    }

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => Show(ct);

    private async Task<IActionResult> After<T>(ServiceResult<T> r, string done, CancellationToken ct)
    {
        if (r.Ok) return Redirect($"/insiden/{Id}?ok={Uri.EscapeDataString(done)}");
        Error = r.Error ?? "Periksa isian / please check the input.";
        Errors = r.Errors ?? [];
        var result = await Show(ct);
        Response.StatusCode = r.Status;
        return result;
    }

    public async Task<IActionResult> OnPostTransitionAsync(CancellationToken ct)
    {
        var actor = HttpContext.GetActor();
        return await After(await svc.TransitionAsync(Id, new TransitionRequest(Action, Note, Agency, RejectReason, MergeInto, Version), actor, ct), Action?.ToString() ?? "", ct);
    }

    public async Task<IActionResult> OnPostTriageAsync(CancellationToken ct)
    {
        var actor = HttpContext.GetActor();
        return await After(await svc.TriageAsync(Id, new TriageRequest(Severity, Urgency), actor, ct), "triage", ct);
    }

    public async Task<IActionResult> OnPostClaimAsync(CancellationToken ct)
    {
        var actor = HttpContext.GetActor();
        return await After(await svc.AttachClaimAsync(Id, new IncidentService.AttachClaimRequest(ClaimId), actor, ct), "claim", ct);
    }

    public async Task<IActionResult> OnPostEvidenceAsync(CancellationToken ct)
    {
        var actor = HttpContext.GetActor();
        if (Upload is null) return await After(ServiceResult<int>.Invalid(new() { ["file"] = ["Pilih berkas / choose a file."] }), "", ct);
        return await After(await svc.AddEvidenceAsync(Id, Upload, store, actor, ct), "evidence", ct);
    }
}
