using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Admin;

/// <summary>
/// A signed-in user whose password an admin generated (new account, reset) opens only the password page until they have chosen
/// their own: every other page redirects there (sign-out, sign-in and the error pages stay open). API tokens are not affected.
/// </summary>
public sealed class FirstPasswordFilter : IAsyncPageFilter
{
    public const string Page = "/akun/sandi?wajib=1";

    private static readonly string[] Open = ["/akun/sandi", "/masuk", "/keluar", "/galat"];

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        if (http.User.HasClaim(PantauClaims.MustChangePassword, "1")
            && !Open.Any(p => http.Request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)))
        {
            context.Result = new RedirectResult(Page);
            return;
        }
        await next();
    }
}
