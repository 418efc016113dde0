using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pantau.Data;
using Pantau.Web.Tally;
using Pantau.Web.Tally.PublicLog;

namespace Pantau.Web.Pages.Check;

/// <summary>
/// Public receipt check (<c>/cek?kode=123-1A2B3C4D</c>): is the entry in the latest signed tree (the inclusion proof and the
/// checkpoint signature are checked again in the browser with WebCrypto, js/cek.js), does the sheet count now, and if not,
/// which later version replaced it, when and why.
/// </summary>
[AllowAnonymous]
public sealed class IndexModel(PantauDbContext db, PublicLogTree tree, TallyKeys keys) : PageModel
{
    public string? Code { get; private set; }
    public PublicLogModule.CheckResult? Result { get; private set; }
    public string PublicKeyPem => keys.Signer.PublicKeyPem;
    public string Origin => tree.Origin;

    public async Task OnGetAsync(string? kode, CancellationToken ct)
    {
        Code = kode?.Trim();
        if (string.IsNullOrEmpty(Code)) return;
        Result = await PublicLogModule.CheckAsync(db, tree, Code, ct);
        if (Result.Error is not null) Response.StatusCode = Result.Status;
    }
}
