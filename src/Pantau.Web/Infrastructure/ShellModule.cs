using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Pantau.Data.Identity;

namespace Pantau.Web.Infrastructure;

/// <summary>Language switch and sign-out.</summary>
public sealed class ShellModule : IPantauModule
{
    public void MapEndpoints(IEndpointRouteBuilder app)
    {
        app.MapGet("/bahasa", (HttpContext http, string? to, string? back) =>
        {
            http.Response.Cookies.Append(Lang.Cookie, to == "en" ? "en" : "id",
                new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, MaxAge = TimeSpan.FromDays(365), IsEssential = true });
            return TypedResults.LocalRedirect(back is { Length: > 0 } && back.StartsWith('/') && !back.StartsWith("//") ? back : "/");
        });
        app.MapPost("/keluar", async ([FromServices] SignInManager<PantauUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("/");
        }).RequireAuthorization();
    }
}
