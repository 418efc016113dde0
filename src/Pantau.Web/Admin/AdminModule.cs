using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pantau.Core.Security;
using Pantau.Data;
using Pantau.Data.Identity;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Admin;

/// <summary>
/// Account administration (users, API tokens), one's own password, and the audit trail viewer/export.
/// API under <c>/api/admin</c> (admins, region-scoped) and <c>/api/account</c> (any signed-in user); pages under <c>/admin</c> and <c>/akun</c>.
/// </summary>
public sealed class AdminModule : IPantauModule
{
    public const string AdminPolicy = "Admin";

    public IEnumerable<NavItem> Nav =>
    [
        new(90, "Pengguna", "Users", "/admin/pengguna", NavGroups.Admin),
        new(91, "Jejak audit", "Audit trail", "/admin/audit", NavGroups.Admin),
        new(92, "Catatan notifikasi", "Notification record", "/admin/notifikasi", NavGroups.Admin),
    ];

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<AccountService>();
        services.AddScoped<AuditLog>();
        services.AddAuthorization(o => o.AddPolicy(AdminPolicy, p => p.RequireAuthenticatedUser().RequireClaim(PantauClaims.Role, nameof(Role.Admin))));
        services.Configure<RazorPagesOptions>(o =>
        {
            o.Conventions.AuthorizeFolder("/Admin", AdminPolicy);
            o.Conventions.AuthorizeFolder("/Account");
            o.Conventions.ConfigureFilter(new FirstPasswordFilter());
        });
        // A disabled account or a reset password signs the user out within a minute.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
    }

    public void MapEndpoints(IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").WithTags("Admin").RequireRoles(Role.Admin);

        admin.MapGet("/users", async (AccountService svc, HttpContext http, string? q, Role? role, string? scope, bool? disabled, int? page, int? pageSize, CancellationToken ct) =>
            TypedResults.Ok(await svc.ListAsync(http.GetActor(), new UserFilter(q, role, scope, disabled, page ?? 1, pageSize ?? 50), ct)));

        admin.MapPost("/users", async (AccountService svc, HttpContext http, NewUser body, CancellationToken ct) =>
                (await svc.CreateAsync(http.GetActor(), body, ct)).ToHttp(v => TypedResults.Created($"/api/admin/users/{v.User.Id}", v)))
            .WithScopeProbe(Role.Admin, "16.71",
                new ProbeRequest("POST", "/api/admin/users", new NewUser("probe-in-" + Guid.NewGuid().ToString("N")[..6], null, Role.PpsOperator, "16.71.01", null)),
                new ProbeRequest("POST", "/api/admin/users", new NewUser("probe-out-" + Guid.NewGuid().ToString("N")[..6], null, Role.PpsOperator, "16.72", null)))
            .Produces<CreatedUser>(201).ProducesValidationProblem().ProducesProblem(409);

        admin.MapPost("/users/{id}/disable", async (AccountService svc, HttpContext http, string id, CancellationToken ct) =>
                (await svc.SetDisabledAsync(http.GetActor(), id, true, ct)).ToHttp(v => TypedResults.Ok(v)))
            .WithScopeProbe(UserProbe(id => $"/api/admin/users/{id}/disable"));
        admin.MapPost("/users/{id}/enable", async (AccountService svc, HttpContext http, string id, CancellationToken ct) =>
                (await svc.SetDisabledAsync(http.GetActor(), id, false, ct)).ToHttp(v => TypedResults.Ok(v)))
            .WithScopeProbe(UserProbe(id => $"/api/admin/users/{id}/enable"));
        admin.MapPost("/users/{id}/reset-password", async (AccountService svc, HttpContext http, string id, CancellationToken ct) =>
                (await svc.ResetPasswordAsync(http.GetActor(), id, ct)).ToHttp(v => TypedResults.Ok(new { password = v })))
            .WithScopeProbe(UserProbe(id => $"/api/admin/users/{id}/reset-password"));

        admin.MapGet("/users/{id}/tokens", async (AccountService svc, HttpContext http, string id, CancellationToken ct) =>
            (await svc.TokensAsync(http.GetActor(), id, ct)).ToHttp(v => TypedResults.Ok(v)));
        admin.MapPost("/users/{id}/tokens", async (AccountService svc, HttpContext http, string id, NewToken body, CancellationToken ct) =>
                (await svc.CreateTokenAsync(http.GetActor(), id, body, ct)).ToHttp(v => TypedResults.Created($"/api/admin/tokens/{v.Info.Id}", v)))
            .WithScopeProbe(UserProbe(id => $"/api/admin/users/{id}/tokens", new NewToken("probe", 30)))
            .Produces<CreatedToken>(201).ProducesValidationProblem().ProducesProblem(404);
        admin.MapPost("/tokens/{id:int}/revoke", async (AccountService svc, HttpContext http, int id, CancellationToken ct) =>
                (await svc.RevokeTokenAsync(http.GetActor(), id, ct)).ToHttp(v => TypedResults.Ok(v)))
            .WithScopeProbe(new ScopeProbe(Role.Admin, "16.71", sp => TokenProbe(sp, "16.71.01"), sp => TokenProbe(sp, "16.72")));

        admin.MapGet("/audit", async (AuditLog log, HttpContext http, string? user, string? entity, string? key, DateOnly? from, DateOnly? to, int? page, int? pageSize, CancellationToken ct) =>
            TypedResults.Ok(await log.ListAsync(http.GetActor(), new AuditFilter(user, entity, key, from, to, page ?? 1, pageSize ?? 50), ct)));
        admin.MapGet("/audit/export", async (AuditLog log, HttpContext http, string? user, string? entity, string? key, DateOnly? from, DateOnly? to, string? format, CancellationToken ct) =>
            AuditLog.Export(await log.ExportRowsAsync(http.GetActor(), new AuditFilter(user, entity, key, from, to), ct), format));

        var account = app.MapGroup("/api/account").WithTags("Account").RequireAuthorization();
        account.MapGet("/me", (HttpContext http) => { var a = http.GetActor(); return TypedResults.Ok(new { a.UserId, a.UserName, a.Role, a.ScopeCode }); });
        account.MapGet("/csrf", (IAntiforgery af, HttpContext http) =>
        {
            var tokens = af.GetAndStoreTokens(http);
            return TypedResults.Ok(new { headerName = RequestProtection.CsrfHeader, token = tokens.RequestToken });
        });
        account.MapPost("/password", async (AccountService svc, HttpContext http, PasswordChange body, CancellationToken ct) =>
                (await svc.ChangeOwnPasswordAsync(http.GetActor(), body.CurrentPassword, body.NewPassword, ct)).ToHttp(_ => TypedResults.NoContent()))
            .WithoutRegionScope("changes the caller's own password");
    }

    public sealed record PasswordChange(string? CurrentPassword, string? NewPassword);

    private static ScopeProbe UserProbe(Func<string, string> url, object? body = null) => new(Role.Admin, "16.71",
        async sp => new ProbeRequest("POST", url(await ProbeUserAsync(sp, "16.71.01")), body),
        async sp => new ProbeRequest("POST", url(await ProbeUserAsync(sp, "16.72")), body));

    private static async Task<string> ProbeUserAsync(IServiceProvider sp, string scope)
    {
        var users = sp.GetRequiredService<UserManager<PantauUser>>();
        var u = new PantauUser { UserName = "probe-" + Guid.NewGuid().ToString("N")[..10], Role = Role.PpsOperator, ScopeCode = scope, DisplayName = "probe" };
        var r = await users.CreateAsync(u, Commands.GeneratePassword());
        if (!r.Succeeded) throw new InvalidOperationException(string.Join("; ", r.Errors.Select(e => e.Description)));
        return u.Id;
    }

    private static async Task<ProbeRequest> TokenProbe(IServiceProvider sp, string scope)
    {
        var id = await ProbeUserAsync(sp, scope);
        var db = sp.GetRequiredService<PantauDbContext>();
        var t = new ApiToken { UserId = id, Name = "probe", TokenHash = AuthSetup.HashToken(AuthSetup.NewToken()) };
        db.ApiTokens.Add(t);
        await db.SaveChangesAsync();
        return new ProbeRequest("POST", $"/api/admin/tokens/{t.Id}/revoke");
    }
}
