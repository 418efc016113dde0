using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pantau.Core.Security;
using Pantau.Web.Admin;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Pages.Admin;

/// <summary>Account administration: list with filters, create, disable/enable, reset password, API tokens.</summary>
public sealed class PenggunaModel(AccountService accounts, Lang lang) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public Role? FilterRole { get; set; }
    [BindProperty(SupportsGet = true)] public string? Scope { get; set; }
    [BindProperty(SupportsGet = true)] public bool? Disabled { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public Page<UserDto> Users { get; private set; } = new([], 0, 1, 50);
    /// <summary>A secret shown once (a new password or API token).</summary>
    public string? Secret { get; private set; }
    public string? SecretFor { get; private set; }
    public string? Error { get; private set; }
    public string? Info { get; private set; }
    public string? TokensFor { get; private set; }
    public List<TokenDto> Tokens { get; private set; } = [];

    public async Task OnGetAsync() => await LoadAsync();

    private async Task LoadAsync() =>
        Users = await accounts.ListAsync(HttpContext.GetActor(), new UserFilter(Q, FilterRole, Scope, Disabled, PageNumber, 50), HttpContext.RequestAborted);

    private async Task<IActionResult> Done<T>(AccountResult<T> r, Action<T> ok)
    {
        if (r.Outcome == Outcome.Ok) ok(r.Value!);
        else { Error = r.Message; Response.StatusCode = r.Outcome switch { Outcome.Forbidden => 403, Outcome.NotFound => 404, _ => 400 }; }
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostCreateAsync(string? userName, string? displayName, Role? role, string? scopeCode, string? agency) =>
        await Done(await accounts.CreateAsync(HttpContext.GetActor(), new NewUser(userName, displayName, role, scopeCode, agency)),
            v => { Secret = v.Password; SecretFor = v.User.UserName; Info = lang.T("Akun dibuat.", "Account created."); });

    public async Task<IActionResult> OnPostDisableAsync(string id) =>
        await Done(await accounts.SetDisabledAsync(HttpContext.GetActor(), id, true), v => Info = lang.T($"{v.UserName} dinonaktifkan.", $"{v.UserName} disabled."));

    public async Task<IActionResult> OnPostEnableAsync(string id) =>
        await Done(await accounts.SetDisabledAsync(HttpContext.GetActor(), id, false), v => Info = lang.T($"{v.UserName} diaktifkan.", $"{v.UserName} enabled."));

    public async Task<IActionResult> OnPostResetAsync(string id, string? userName) =>
        await Done(await accounts.ResetPasswordAsync(HttpContext.GetActor(), id), v => { Secret = v; SecretFor = userName; Info = lang.T("Kata sandi baru dibuat.", "New password generated."); });

    public async Task<IActionResult> OnPostTokensAsync(string id, string? userName)
    {
        var r = await accounts.TokensAsync(HttpContext.GetActor(), id);
        return await Done(r, v => { Tokens = v; TokensFor = id; SecretFor = userName; });
    }

    public async Task<IActionResult> OnPostNewTokenAsync(string id, string? userName, string? tokenName, int? days) =>
        await Done(await accounts.CreateTokenAsync(HttpContext.GetActor(), id, new NewToken(tokenName, days)),
            v => { Secret = v.Token; SecretFor = userName; Info = lang.T("Token API dibuat.", "API token created."); });

    public async Task<IActionResult> OnPostRevokeAsync(int tokenId) =>
        await Done(await accounts.RevokeTokenAsync(HttpContext.GetActor(), tokenId), v => Info = lang.T($"Token {v.Name} dicabut.", $"Token {v.Name} revoked."));
}
