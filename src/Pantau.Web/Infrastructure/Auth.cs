using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Pantau.Core.Security;
using Pantau.Data;
using Pantau.Data.Identity;

namespace Pantau.Web.Infrastructure;

public static class AuthSetup
{
    public const string ApiTokenScheme = "ApiToken";
    public const string SmartScheme = "Smart";

    public static IServiceCollection AddPantauAuth(this IServiceCollection services)
    {
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = SmartScheme;
                o.DefaultChallengeScheme = SmartScheme;
            })
            .AddPolicyScheme(SmartScheme, "Cookie or API token", o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? ApiTokenScheme : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenHandler>(ApiTokenScheme, null)
            .AddIdentityCookies();

        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/masuk";
            o.AccessDeniedPath = "/masuk";
            o.Cookie.Name = "pantau.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(12);
            // APIs answer 401/403 instead of redirecting to the sign-in page.
            o.Events.OnRedirectToLogin = ctx => RedirectOrStatus(ctx, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => RedirectOrStatus(ctx, StatusCodes.Status403Forbidden);
        });

        services.AddIdentityCore<PantauUser>(o =>
            {
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = true;
                o.Password.RequireLowercase = true;
                o.Password.RequireDigit = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = false;
            })
            .AddSignInManager()
            .AddEntityFrameworkStores<PantauDbContext>()
            .AddDefaultTokenProviders()
            .AddClaimsPrincipalFactory<PantauClaimsFactory>();

        services.AddAuthorizationBuilder()
            .AddPolicy("SignedIn", p => p.RequireAuthenticatedUser());
        return services;
    }

    private static Task RedirectOrStatus(RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api"))
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>Restricts an endpoint to signed-in users holding one of <paramref name="roles"/>. Region scope is checked in the handler.</summary>
    public static TBuilder RequireRoles<TBuilder>(this TBuilder builder, params Role[] roles) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(p => p.RequireAuthenticatedUser().RequireClaim(PantauClaims.Role, roles.Select(r => r.ToString())));

    public static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static string NewToken() => "pt_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
}

/// <summary>Adds the Pantau role and region scope to the sign-in cookie.</summary>
public sealed class PantauClaimsFactory(UserManager<PantauUser> users, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<PantauUser>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(PantauUser user)
    {
        var id = await base.GenerateClaimsAsync(user);
        id.AddClaim(new Claim(PantauClaims.Role, user.Role.ToString()));
        id.AddClaim(new Claim(PantauClaims.Scope, user.ScopeCode));
        id.AddClaim(new Claim(PantauClaims.DisplayName, user.DisplayName));
        return id;
    }
}

/// <summary>Authenticates bulk importers with <c>Authorization: Bearer pt_...</c>; only the token's SHA-256 is stored.</summary>
public sealed class ApiTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    PantauDbContext db, TimeProvider time) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var hash = AuthSetup.HashToken(header["Bearer ".Length..].Trim());
        var now = time.GetUtcNow();
        // One query per request (the token with its owner): every sheet sent through the API passes here.
        var found = await (from t in db.ApiTokens.AsNoTracking()
                           where t.TokenHash == hash
                           join u in db.Users.AsNoTracking() on t.UserId equals u.Id into owners
                           from u in owners.DefaultIfEmpty()
                           select new { t.RevokedAt, t.ExpiresAt, User = u }).FirstOrDefaultAsync();
        if (found is null || found.RevokedAt is not null || (found.ExpiresAt is { } exp && exp < now))
            return AuthenticateResult.Fail("Invalid or expired API token.");
        var user = found.User;
        if (user is null || (user.LockoutEnd is { } end && end > now)) return AuthenticateResult.Fail("Token owner is disabled.");
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, user.Id), new Claim(ClaimTypes.Name, user.UserName ?? ""),
            new Claim(PantauClaims.Role, user.Role.ToString()), new Claim(PantauClaims.Scope, user.ScopeCode),
            new Claim(PantauClaims.DisplayName, user.DisplayName),
        ], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }
}
