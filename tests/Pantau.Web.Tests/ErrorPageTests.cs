using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Headers;
using Pantau.Core.Security;
using Pantau.TestKit;

namespace Pantau.Web.Tests;

/// <summary>Browsers get error pages in the UI's language that say what happened and where to go; the API keeps problem details.</summary>
public class ErrorPageTests
{
    private static HttpRequestMessage Html(string url)
    {
        var r = new HttpRequestMessage(HttpMethod.Get, url);
        r.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        return r;
    }

    [Fact]
    public async Task A_bad_address_is_a_page_in_the_chosen_language_and_the_api_stays_json()
    {
        await using var app = await PantauApp.StartAsync();
        var anon = app.AnonymousClient();
        foreach (var url in new[] { "/hasil/PILGUB-16/99", "/tidak-ada-halaman", "/kesiapan/tugas/tidak-ada/16.71" })
        {
            var r = await anon.SendAsync(Html(url));
            var body = await r.Content.ReadAsStringAsync();
            Assert.True(r.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Redirect, $"{url}: {(int)r.StatusCode}");
            if (r.StatusCode == HttpStatusCode.Redirect) continue; // a signed-in page sends a visitor to sign in first
            Assert.Equal("text/html", r.Content.Headers.ContentType?.MediaType);
            Assert.Contains("<html lang=\"id\">", body);
            Assert.True(body.Contains("Halaman tidak ditemukan"), url + ": " + body[..Math.Min(body.Length, 1500)]);
            Assert.Contains("data-status=\"404\"", body);
            Assert.DoesNotContain("Page not found", body);
        }
        var en = await anon.SendAsync(Html("/hasil/PILGUB-16/99?lang=en"));
        var enBody = await en.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.NotFound, en.StatusCode);
        Assert.Contains("Page not found", enBody);
        Assert.DoesNotContain("Halaman tidak ditemukan", enBody);

        var api = await anon.GetAsync("/api/tidak-ada");
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        var asksJson = new HttpRequestMessage(HttpMethod.Get, "/hasil/PILGUB-16/99");
        asksJson.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        Assert.NotEqual("text/html", (await anon.SendAsync(asksJson)).Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_signed_in_user_without_the_role_is_told_so_and_sent_to_their_own_work()
    {
        await using var app = await PantauApp.StartAsync();
        var (user, pw) = await app.CreateUserAsync(Role.KppsOperator, "16.71.01.1001");
        var kpps = await app.CookieClientAsync(user.UserName!, pw);
        foreach (var url in new[] { "/anomali", "/admin/pengguna", "/koordinasi" })
        {
            var r = await kpps.SendAsync(Html(url));
            var body = await r.Content.ReadAsStringAsync();
            Assert.True(r.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"{url}: {(int)r.StatusCode} {r.Headers.Location}");
            Assert.Equal("text/html", r.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain("\"title\":", body);
            if (r.StatusCode == HttpStatusCode.Forbidden)
            {
                Assert.Contains("Halaman ini bukan untuk peran Anda", body);
                Assert.Contains("Operator KPPS", body);
            }
            Assert.Contains("href=\"/hasil/input\"", body); // where their work is
        }
    }

    // A Razor form posted without its antiforgery token (an expired page, a form built by hand) gets the readable page, re-executed as a
    // POST to the error page, which must not ask for the token itself.
    [Fact]
    public async Task A_form_sent_without_its_token_answers_a_readable_page()
    {
        await using var app = await PantauApp.StartAsync();
        var citizen = app.AnonymousClient();
        var req = new HttpRequestMessage(HttpMethod.Post, "/lapor") { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Title"] = "x" }) };
        req.Headers.Accept.ParseAdd("text/html");
        var r = await citizen.SendAsync(req);
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.BadRequest, $"{(int)r.StatusCode} {r.Content.Headers.ContentType}: {body[..Math.Min(body.Length, 800)]}");
        Assert.True(body.Contains("Muat ulang halaman"), body[..Math.Min(body.Length, 1500)]);
        Assert.Contains("<html lang=\"id\">", body);
    }

    // The guard beside the test above: no page runs a POST without its antiforgery token, for a signed-in Admin (who passes every
    // authorization policy) on every Razor page without route parameters, so a page-level [IgnoreAntiforgeryToken] or a missing
    // global check cannot slip through. The error page is the one exception (it only shows the error of the request re-executed there).
    [Fact]
    public async Task No_page_runs_a_post_without_its_antiforgery_token()
    {
        await using var app = await PantauApp.StartAsync();
        var (user, password) = await app.CreateUserAsync(Role.Admin, "16");
        var admin = await app.CookieClientAsync(user.UserName!, password);
        var pages = app.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.RazorPages.PageActionDescriptor>() is not null)
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Where(r => !r.Contains('{') && !r.StartsWith("/galat", StringComparison.Ordinal))
            .Distinct().Order().ToList();
        Assert.True(pages.Count > 20, string.Join(", ", pages));
        var ran = new List<string>();
        foreach (var path in pages)
        {
            var req = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["x"] = "1" }) };
            req.Headers.Accept.ParseAdd("text/html");
            var r = await admin.SendAsync(req);
            if (r.StatusCode != HttpStatusCode.BadRequest) ran.Add($"{path}: {(int)r.StatusCode}");
        }
        Assert.True(ran.Count == 0, "POST without a token not refused: " + string.Join(", ", ran));
    }
}
