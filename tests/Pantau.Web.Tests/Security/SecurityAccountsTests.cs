using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Security;
using Pantau.TestKit;
using Pantau.Web.Admin;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tests.Security;

public class SecurityAccountsTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;

    private static async Task<JsonElement> Json(HttpResponseMessage res) => JsonDocument.Parse(await res.Content.ReadAsStringAsync()).RootElement;

    [Theory, MemberData(nameof(Providers))]
    public async Task A_scoped_admin_manages_only_accounts_inside_the_scope_and_never_grants_a_wider_one(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var admin = await app.ClientForAsync(Role.Admin, "16.71");
        var outsider = await app.CreateUserAsync(Role.PpsOperator, "16.72.01", "pps-lahat");

        var created = await admin.PostAsJsonAsync("/api/admin/users", new NewUser("pps-ilir", "PPS Ilir", Role.PpsOperator, "16.71.01", "PPS Ilir Barat"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await Json(created);
        var password = body.GetProperty("password").GetString()!;
        var id = body.GetProperty("user").GetProperty("id").GetString()!;
        Assert.Equal("16.71.01", body.GetProperty("user").GetProperty("scopeCode").GetString());
        // The generated password works once shown: the user signs in with it.
        await app.CookieClientAsync("pps-ilir", password);

        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PostAsJsonAsync("/api/admin/users", new NewUser("pps-x", null, Role.PpsOperator, "16.72", null))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PostAsJsonAsync("/api/admin/users", new NewUser("adm-x", null, Role.Admin, "", null))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PostAsJsonAsync("/api/admin/users", new NewUser("adm-y", null, Role.Admin, "16", null))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/api/admin/users", new NewUser("pps-y", null, Role.PpsOperator, "16.71.99", null))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/api/admin/users", new NewUser("x", null, Role.PpsOperator, "16.71.01", null))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PostAsync($"/api/admin/users/{outsider.User.Id}/disable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PostAsync($"/api/admin/users/{outsider.User.Id}/reset-password", null)).StatusCode);

        var list = await Json(await admin.GetAsync("/api/admin/users?pageSize=200"));
        var names = list.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("userName").GetString()).ToList();
        Assert.Contains("pps-ilir", names);
        Assert.DoesNotContain("pps-lahat", names);
        var filtered = await Json(await admin.GetAsync("/api/admin/users?role=PpsOperator&scope=16.71.01&q=ilir"));
        Assert.Equal(1, filtered.GetProperty("total").GetInt32());

        // A national admin sees both.
        var national = await app.ClientForAsync(Role.Admin, "");
        var all = await Json(await national.GetAsync("/api/admin/users?pageSize=200&role=PpsOperator"));
        Assert.Equal(2, all.GetProperty("total").GetInt32());
        _ = id;
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Disable_blocks_sign_in_and_tokens_enable_restores_and_reset_replaces_the_password(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var admin = await app.ClientForAsync(Role.Admin, "16");
        var (user, password) = await app.CreateUserAsync(Role.Camat, "16.71.01", "camat-ib1");
        var tokenRes = await admin.PostAsJsonAsync($"/api/admin/users/{user.Id}/tokens", new NewToken("importer", 30));
        Assert.Equal(HttpStatusCode.Created, tokenRes.StatusCode);
        var token = (await Json(tokenRes)).GetProperty("token").GetString()!;
        var asUser = app.AnonymousClient();
        asUser.DefaultRequestHeaders.Authorization = new("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await asUser.GetAsync("/api/account/me")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/admin/users/{user.Id}/disable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await asUser.GetAsync("/api/account/me")).StatusCode);
        await Assert.ThrowsAsync<InvalidOperationException>(() => app.CookieClientAsync("camat-ib1", password));
        var disabled = await Json(await admin.GetAsync("/api/admin/users?disabled=true"));
        Assert.Equal("camat-ib1", disabled.GetProperty("items")[0].GetProperty("userName").GetString());

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/admin/users/{user.Id}/enable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await asUser.GetAsync("/api/account/me")).StatusCode);
        await app.CookieClientAsync("camat-ib1", password);

        var reset = await admin.PostAsync($"/api/admin/users/{user.Id}/reset-password", null);
        var newPassword = (await Json(reset)).GetProperty("password").GetString()!;
        Assert.NotEqual(password, newPassword);
        await Assert.ThrowsAsync<InvalidOperationException>(() => app.CookieClientAsync("camat-ib1", password));
        await app.CookieClientAsync("camat-ib1", newPassword);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Api_tokens_are_shown_once_stored_as_sha256_listed_without_secrets_and_revocable(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var admin = await app.ClientForAsync(Role.Admin, "");
        var (user, _) = await app.CreateUserAsync(Role.KpuOperator, "16.71", "kpu-plg");
        var created = await Json(await admin.PostAsJsonAsync($"/api/admin/users/{user.Id}/tokens", new NewToken("bulk", null)));
        var token = created.GetProperty("token").GetString()!;
        var tokenId = created.GetProperty("info").GetProperty("id").GetInt32();
        Assert.StartsWith("pt_", token);
        await using (var db = app.NewDbContext())
        {
            var row = await db.ApiTokens.SingleAsync(t => t.Id == tokenId);
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token))), row.TokenHash);
            Assert.DoesNotContain(await db.AuditEntries.Select(a => a.After ?? "").ToListAsync(), a => a.Contains(token) || a.Contains(row.TokenHash));
        }
        var listing = await (await admin.GetAsync($"/api/admin/users/{user.Id}/tokens")).Content.ReadAsStringAsync();
        Assert.Contains("bulk", listing);
        Assert.DoesNotContain(token, listing);
        Assert.DoesNotContain("hash", listing, StringComparison.OrdinalIgnoreCase);

        var client = app.AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/account/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/admin/tokens/{tokenId}/revoke", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/account/me")).StatusCode);
        // Expired tokens stop working too.
        var expiring = (await Json(await admin.PostAsJsonAsync($"/api/admin/users/{user.Id}/tokens", new NewToken("short", 1)))).GetProperty("token").GetString()!;
        client.DefaultRequestHeaders.Authorization = new("Bearer", expiring);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/account/me")).StatusCode);
        app.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/account/me")).StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_valid_token_is_remembered_briefly_and_any_account_change_in_the_process_forgets_it_at_once(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var admin = await app.ClientForAsync(Role.Admin, "");
        var (user, _) = await app.CreateUserAsync(Role.KpuOperator, "16.71", "kpu-cache");
        async Task<(string Token, int Id)> NewTokenAsync(string name)
        {
            var created = await Json(await admin.PostAsJsonAsync($"/api/admin/users/{user.Id}/tokens", new NewToken(name, null)));
            return (created.GetProperty("token").GetString()!, created.GetProperty("info").GetProperty("id").GetInt32());
        }
        var (token, id) = await NewTokenAsync("cached");
        var client = app.AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/account/me")).StatusCode);

        // Deleted behind the application's back (as another instance's revocation would look from here): the check is remembered
        // for the cache's lifetime (5 s by default), then read again.
        await using (var db = app.NewDbContext())
            Assert.Equal(1, await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM \"ApiTokens\" WHERE \"Id\" = {id}"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/account/me")).StatusCode);
        app.Clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/account/me")).StatusCode);
        app.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/account/me")).StatusCode);

        // A change made through this process is seen by the very next request, within the lifetime: a revocation, and a disabled owner.
        var (second, secondId) = await NewTokenAsync("revoked");
        client.DefaultRequestHeaders.Authorization = new("Bearer", second);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/account/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/admin/tokens/{secondId}/revoke", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/account/me")).StatusCode);
        var (third, _) = await NewTokenAsync("owner-disabled");
        client.DefaultRequestHeaders.Authorization = new("Bearer", third);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/account/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/admin/users/{user.Id}/disable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/account/me")).StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Users_change_their_own_password_under_the_policy_and_cookie_api_writes_need_the_csrf_header(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var (user, password) = await app.CreateUserAsync(Role.DeskKabKota, "16.71", "desk-plg");
        var cookie = await app.CookieClientAsync(user.UserName!, password);

        // Cookie-authenticated API write without the antiforgery header: refused.
        var noHeader = await cookie.PostAsJsonAsync("/api/account/password", new AdminModule.PasswordChange(password, "Baru-Sekali-2024"));
        Assert.Equal(HttpStatusCode.Forbidden, noHeader.StatusCode);
        Assert.Contains("CSRF", await noHeader.Content.ReadAsStringAsync());
        var csrf = await Json(await cookie.GetAsync("/api/account/csrf"));
        Assert.Equal(RequestProtection.CsrfHeader, csrf.GetProperty("headerName").GetString());
        cookie.DefaultRequestHeaders.Add(RequestProtection.CsrfHeader, csrf.GetProperty("token").GetString());

        foreach (var weak in new[] { "short1A", "alllowercase2024", "ALLUPPERCASE2024", "NoDigitsAtAllHere" })
            Assert.Equal(HttpStatusCode.BadRequest, (await cookie.PostAsJsonAsync("/api/account/password", new AdminModule.PasswordChange(password, weak))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await cookie.PostAsJsonAsync("/api/account/password", new AdminModule.PasswordChange("wrong", "Baru-Sekali-2024"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await cookie.PostAsJsonAsync("/api/account/password", new AdminModule.PasswordChange(password, "Baru-Sekali-2024"))).StatusCode);
        await Assert.ThrowsAsync<InvalidOperationException>(() => app.CookieClientAsync(user.UserName!, password));
        await app.CookieClientAsync(user.UserName!, "Baru-Sekali-2024");

        // Bearer-token requests carry no ambient authority: no CSRF header needed.
        var bearer = await app.ClientForAsync(Role.DeskKabKota, "16.71");
        Assert.Equal(HttpStatusCode.BadRequest, (await bearer.PostAsJsonAsync("/api/account/password", new AdminModule.PasswordChange("x", "y"))).StatusCode);
        // Razor forms without their antiforgery token are refused as well.
        var page = await cookie.PostAsync("/akun/sandi", new FormUrlEncodedContent(new Dictionary<string, string> { ["currentPassword"] = "x", ["newPassword"] = "y", ["confirmPassword"] = "y" }));
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
    }

    [Fact]
    public async Task Session_cookie_is_secure_httponly_and_samesite_strict_over_https()
    {
        await using var app = await PantauApp.StartAsync();
        var (user, password) = await app.CreateUserAsync(Role.Camat, "16.71.01");
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri("https://localhost") });
        var page = await client.GetStringAsync("/masuk");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var res = await client.PostAsync("/masuk", new FormUrlEncodedContent(new Dictionary<string, string>
            { ["UserName"] = user.UserName!, ["Password"] = password, ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, res.StatusCode);
        var auth = res.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("pantau.auth="));
        Assert.Contains("secure", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", auth, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("expires", auth, StringComparison.OrdinalIgnoreCase); // a session cookie, not persisted
        Assert.Contains("strict-transport-security", res.Headers.Select(h => h.Key.ToLowerInvariant()));
    }

    [Fact]
    public async Task Admin_pages_are_for_admins_only()
    {
        await using var app = await PantauApp.StartAsync();
        var (admin, pw) = await app.CreateUserAsync(Role.Admin, "16", "adm-sumsel");
        var (desk, dpw) = await app.CreateUserAsync(Role.DeskProvinsi, "16", "desk-sumsel");
        var a = await app.CookieClientAsync(admin.UserName!, pw);
        var users = await a.GetAsync("/admin/pengguna");
        Assert.Equal(HttpStatusCode.OK, users.StatusCode);
        Assert.Contains("desk-sumsel", await users.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync("/admin/audit")).StatusCode);
        var d = await app.CookieClientAsync(desk.UserName!, dpw);
        var denied = await d.GetAsync("/admin/pengguna");
        Assert.NotEqual(HttpStatusCode.OK, denied.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await d.GetAsync("/akun/sandi")).StatusCode);
    }
}
