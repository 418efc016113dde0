using Pantau.Web.Admin;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Pantau.Data.Identity;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Pages;

[EnableRateLimiting(RateLimits.SignIn)]
public sealed class MasukModel(SignInManager<PantauUser> signIn, Lang lang) : PageModel
{
    [BindProperty] public string UserName { get; set; } = "";
    [BindProperty] public string Password { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Error { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(UserName) || string.IsNullOrEmpty(Password))
        {
            // Nothing to check (and no failed attempt counted against the account).
            Error = lang.T("Isi nama pengguna dan kata sandi.", "Fill in the user name and the password.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var result = await signIn.PasswordSignInAsync(UserName, Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            // A password an admin generated is changed first (FirstPasswordFilter keeps every other page closed until then).
            if (await signIn.UserManager.FindByNameAsync(UserName) is { MustChangePassword: true }) return LocalRedirect(FirstPasswordFilter.Page);
            if (Url.IsLocalUrl(ReturnUrl) && ReturnUrl != "/") return LocalRedirect(ReturnUrl!);
            // No page asked for: the user lands on their job (KPPS: the entry form; Desk: their region's dashboard; Bawaslu: the queue).
            var user = await signIn.UserManager.FindByNameAsync(UserName);
            return LocalRedirect(user is null ? "/" : RoleLabels.HomeFor(new Pantau.Core.Security.Actor(user.Id, user.UserName ?? "", user.Role, user.ScopeCode ?? "")));
        }
        Error = result.IsLockedOut
            ? lang.T("Akun dikunci sementara karena terlalu banyak percobaan gagal. Coba lagi dalam 15 menit.", "The account is locked after too many failed attempts. Try again in 15 minutes.")
            : lang.T("Nama pengguna atau kata sandi salah.", "Wrong user name or password.");
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Page();
    }
}
