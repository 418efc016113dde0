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
        services.AddSingleton<ApiTokenCache>();
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
            // A signed-in user without the role is told so on the error page (403, in the UI's language), not sent back to sign-in.
            o.Events.OnRedirectToAccessDenied = ctx => { ctx.Response.StatusCode = StatusCodes.Status403Forbidden; return Task.CompletedTask; };
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
            .AddPolicy("SignedIn", p => p.RequireAuthenticatedUser())
            .AddPantauPolicies();
        services.AddSingleton<NavAccess>();
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
        if (user.MustChangePassword) id.AddClaim(new Claim(PantauClaims.MustChangePassword, "1"));
        return id;
    }
}

/// <summary>
/// Authenticates bulk importers and apps with <c>Authorization: Bearer pt_...</c>; only the token's SHA-256 is stored.
/// A token found valid is remembered for <see cref="ApiTokenCache.Lifetime"/> (every sheet sent through the API passes here, and the
/// lookup with its DbContext was a quarter of a single sheet's server time); a change to any account or token in this process
/// forgets every remembered token at once.
/// </summary>
public sealed class ApiTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiTokenCache cache, TimeProvider time) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var hash = AuthSetup.HashToken(header["Bearer ".Length..].Trim());
        var now = time.GetUtcNow();
        if (cache.TryGet(hash, now) is not { } owner)
        {
            var epoch = cache.Epoch;
            var db = Context.RequestServices.GetRequiredService<PantauDbContext>();
            var found = await (from t in db.ApiTokens.AsNoTracking()
                               where t.TokenHash == hash
                               join u in db.Users.AsNoTracking() on t.UserId equals u.Id into owners
                               from u in owners.DefaultIfEmpty()
                               select new { t.RevokedAt, t.ExpiresAt, User = u }).FirstOrDefaultAsync();
            if (found is null || found.RevokedAt is not null || (found.ExpiresAt is { } exp && exp < now))
                return AuthenticateResult.Fail("Invalid or expired API token.");
            var user = found.User;
            if (user is null || (user.LockoutEnd is { } end && end > now)) return AuthenticateResult.Fail("Token owner is disabled.");
            owner = new ApiTokenCache.Owner(user.Id, user.UserName ?? "", user.Role, user.ScopeCode, user.DisplayName, found.ExpiresAt);
            cache.Add(hash, owner, now, epoch);
        }
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, owner.UserId), new Claim(ClaimTypes.Name, owner.UserName),
            new Claim(PantauClaims.Role, owner.Role.ToString()), new Claim(PantauClaims.Scope, owner.ScopeCode),
            new Claim(PantauClaims.DisplayName, owner.DisplayName),
        ], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }
}

/// <summary>
/// Valid API tokens (by SHA-256) with their owners, each kept for at most <see cref="Lifetime"/> (<c>Pantau:Auth:TokenCacheSeconds</c>,
/// default 5; 0 turns the cache off), never past the token's own expiry, and only while no account or token of this database has changed
/// in this process since it was read (<see cref="Pantau.Data.Identity.AccountEpochs"/>). On a deployment of several instances, a token
/// revoked or an account disabled on one instance stops working on the others within <see cref="Lifetime"/>. Invalid tokens are never kept.
/// </summary>
public sealed class ApiTokenCache(IConfiguration config, DatabaseInfo database, Pantau.Data.Identity.AccountEpochs epochs)
{
    public sealed record Owner(string UserId, string UserName, Role Role, string ScopeCode, string DisplayName, DateTimeOffset? ExpiresAt);

    private sealed record Entry(Owner Owner, DateTimeOffset Until, long Epoch);

    private const int MaxEntries = 10_000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly string _database = database.ConnectionString;

    public TimeSpan Lifetime { get; } = TimeSpan.FromSeconds(config.GetValue("Pantau:Auth:TokenCacheSeconds", 5.0));

    /// <summary>The current accounts epoch of this instance's database.</summary>
    public long Epoch => epochs.Current(_database);

    public Owner? TryGet(string hash, DateTimeOffset now)
    {
        if (!_entries.TryGetValue(hash, out var e)) return null;
        if (e.Until > now && e.Epoch == Epoch) return e.Owner;
        _entries.TryRemove(new KeyValuePair<string, Entry>(hash, e));
        return null;
    }

    /// <param name="epoch">The accounts epoch read before the token was looked up.</param>
    public void Add(string hash, Owner owner, DateTimeOffset now, long epoch)
    {
        if (Lifetime <= TimeSpan.Zero || epoch != Epoch) return;
        var until = now + Lifetime;
        if (owner.ExpiresAt is { } exp && exp < until) until = exp;
        if (_entries.Count >= MaxEntries) _entries.Clear();
        _entries[hash] = new Entry(owner, until, epoch);
    }
}
