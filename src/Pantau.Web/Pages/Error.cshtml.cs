using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Pantau.Web.Pages;

/// <summary>
/// The error page browsers get (re-executed by <see cref="Infrastructure.ErrorPages"/> for exceptions and bare 4xx/5xx answers):
/// what happened in the UI's language and where to go. Any method: a failed POST is re-executed here as a POST.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public int Status { get; private set; }
    public string? OriginalPath { get; private set; }

    public IActionResult OnGet(int? code) => Show(code);
    public IActionResult OnPost(int? code) => Show(code);
    public IActionResult OnPut(int? code) => Show(code);
    public IActionResult OnDelete(int? code) => Show(code);

    private PageResult Show(int? code)
    {
        Status = code is >= 400 and <= 599 ? code.Value : Response.StatusCode is >= 400 ? Response.StatusCode : 500;
        Response.StatusCode = Status;
        OriginalPath = HttpContext.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalPath
            ?? HttpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path;
        return Page();
    }
}
