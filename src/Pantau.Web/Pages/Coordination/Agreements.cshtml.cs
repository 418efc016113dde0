using Microsoft.AspNetCore.Mvc;
using Pantau.Web.Coordination;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Pages.Coordination;

[Microsoft.AspNetCore.Authorization.Authorize(Policy = Pantau.Web.Infrastructure.Access.Desk)]
public sealed class AgreementsModel(CoordinationService coord, IFileStore files, Lang lang, IConfiguration config) : CoordinationPage
{
    [BindProperty(SupportsGet = true)] public string? Region { get; set; }
    public List<AgreementDto> Agreements { get; private set; } = [];
    public List<AgencyDto> Agencies { get; private set; } = [];
    [BindProperty] public string? Title { get; set; }
    [BindProperty] public string? SignedAt { get; set; }
    [BindProperty] public string? Scope { get; set; }
    [BindProperty] public List<int> Parties { get; set; } = [];
    [BindProperty] public IFormFile? Document { get; set; }
    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await Load(ct);

    private async Task Load(CancellationToken ct)
    {
        Region = RegionOrScope(Region, config);
        Agreements = await coord.ListAgreementsAsync(Region, ct);
        Agencies = (await coord.AgenciesAsync(Region, null, true, ct)).Where(a => a.RegionCode.Length <= Region.Length).ToList();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!IsDesk) return Forbid();
        FileSaveResult? doc = null;
        if (Document is { Length: > 0 })
        {
            doc = await files.SaveAsync(Document, FileKinds.Pdf, ct);
            if (!doc.Ok) Errors["document"] = [doc.Error!];
        }
        if (Errors.Count == 0)
        {
            var o = await coord.CreateAgreementAsync(Actor, new AgreementInput(Title, Region, ParseLocal(SignedAt), Scope, Parties, null), ct);
            if (o.Ok)
            {
                if (doc?.File is { } f) await coord.AttachDocumentAsync(Actor, o.Value!.Id, f.Id, ct);
                return Redirect(Pantau.Web.Infrastructure.SavedNotice.With($"/koordinasi/kesepakatan/{o.Value!.Id}", "kesepakatan"));
            }
            foreach (var (k, v) in o.Errors ?? []) Errors[k] = v;
            Problem = o.Message;
            Response.StatusCode = o.Status;
        }
        else Response.StatusCode = 400;
        Problem ??= lang.T("Periksa isian yang ditandai.", "Check the marked fields.");
        var keep = Region;
        await Load(ct);
        Region = keep;
        return Page();
    }
}
