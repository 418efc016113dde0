using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pantau.Data.Identity;
using Pantau.Web.Admin;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Pages.Account;

/// <summary>Every signed-in user changes their own password here.</summary>
public sealed class SandiModel(AccountService accounts, SignInManager<PantauUser> signIn, UserManager<PantauUser> users, Lang lang) : PageModel
{
    public string? Error { get; private set; }
    public bool Changed { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(string? currentPassword, string? newPassword, string? confirmPassword)
    {
        if (newPassword != confirmPassword) { Error = lang.T("Konfirmasi tidak sama.", "The confirmation does not match."); Response.StatusCode = 400; return Page(); }
        var r = await accounts.ChangeOwnPasswordAsync(HttpContext.GetActor(), currentPassword, newPassword);
        if (r.Outcome != Outcome.Ok) { Error = r.Message; Response.StatusCode = 400; return Page(); }
        if (await users.GetUserAsync(User) is { } u) await signIn.RefreshSignInAsync(u);
        Changed = true;
        return Page();
    }
}
