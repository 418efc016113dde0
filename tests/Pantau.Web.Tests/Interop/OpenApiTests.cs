using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Pantau.Core.Security;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;
using Pantau.Web.Tests.Security;

namespace Pantau.Web.Tests.Interop;

/// <summary>
/// The OpenAPI document against the app's real behaviour. Endpoints are enumerated from the app (like the security matrix), so an endpoint
/// added later is checked too: it must be in the document, and every status the matrix's requests get from it (anonymous, every role,
/// the scope probes in and out of scope) must be documented.
/// </summary>
public partial class OpenApiTests
{
    [GeneratedRegex(@"\{(\*?)([^}:=?]+)[^}]*\}")]
    private static partial Regex RouteParameter();

    /// <summary>The document's path for a route pattern: constraints and defaults dropped (<c>{id:long}</c> → <c>{id}</c>).</summary>
    public static string DocPath(string pattern)
    {
        var p = RouteParameter().Replace(pattern, m => "{" + m.Groups[2].Value + "}");
        return p.Length > 1 ? p.TrimEnd('/') : p;   // the document drops a trailing slash
    }

    private static async Task<JsonElement> DocumentAsync(PantauApp app)
    {
        var res = await app.AnonymousClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        return JsonDocument.Parse(await res.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static HashSet<int>? Documented(JsonElement doc, ApiEndpoint e)
    {
        if (!doc.GetProperty("paths").TryGetProperty(DocPath(e.Pattern), out var path)) return null;
        if (!path.TryGetProperty(e.Method.ToLowerInvariant(), out var op)) return null;
        return op.GetProperty("responses").EnumerateObject().Select(r => int.Parse(r.Name, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
    }

    [Fact]
    public async Task Document_is_OpenAPI_3_1_with_every_API_endpoint_and_the_cookie_csrf_and_bearer_schemes()
    {
        await using var app = await PantauApp.StartAsync();
        var doc = await DocumentAsync(app);
        Assert.StartsWith("3.1", doc.GetProperty("openapi").GetString());
        var schemes = doc.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("bearer").GetProperty("scheme").GetString());
        Assert.Equal("X-CSRF-TOKEN", schemes.GetProperty("csrf").GetProperty("name").GetString());
        Assert.Equal("header", schemes.GetProperty("csrf").GetProperty("in").GetString());
        Assert.Equal("cookie", schemes.GetProperty("cookie").GetProperty("in").GetString());
        var api = EndpointCatalog.All(app.Services).Where(e => e.IsApi).ToList();
        Assert.True(api.Count > 40, $"{api.Count} API endpoints");
        var missing = api.Where(e => Documented(doc, e) is null).Select(e => e.ToString()).ToList();
        Assert.True(missing.Count == 0, "not in the OpenAPI document:\n" + string.Join("\n", missing));
        var failures = new List<string>();
        foreach (var e in api)
        {
            var (requiresAuth, _, _) = await EndpointCatalog.PolicyAsync(app.Services, e);
            var op = doc.GetProperty("paths").GetProperty(DocPath(e.Pattern)).GetProperty(e.Method.ToLowerInvariant());
            var codes = Documented(doc, e)!;
            if (!codes.Any(c => c is >= 200 and < 300)) failures.Add($"{e}: no success response documented");
            if (requiresAuth && !(codes.Contains(401) && codes.Contains(403))) failures.Add($"{e}: authenticated but 401/403 not documented");
            if (requiresAuth && !op.TryGetProperty("security", out _)) failures.Add($"{e}: authenticated but no security requirement");
            if (!requiresAuth && op.TryGetProperty("security", out _)) failures.Add($"{e}: public but documents a security requirement");
            if (codes.Contains(400) && op.GetProperty("responses").GetProperty("400").GetProperty("content").TryGetProperty("application/problem+json", out _) is false)
                failures.Add($"{e}: 400 is not a problem-details response");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        // Typed results give the success schemas: the recap is described, not an empty object.
        var recap = doc.GetProperty("paths").GetProperty("/api/tally/recap/{contest}/{region}").GetProperty("get").GetProperty("responses").GetProperty("200");
        Assert.Contains("RecapDto", recap.GetRawText());
    }

    [Theory, MemberData(nameof(SecurityMatrixTests.Providers), MemberType = typeof(SecurityMatrixTests))]
    public async Task Every_status_the_security_matrix_gets_is_documented(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider, settings: new Dictionary<string, string?> { ["Pantau:Chromium"] = "/nonexistent/chromium" });
        var doc = await DocumentAsync(app);
        var clients = await EndpointCatalog.RoleClientsAsync(app, "16");
        var anon = app.AnonymousClient();
        var failures = new List<string>();
        var observed = 0;
        void Check(ApiEndpoint e, string who, HttpResponseMessage res)
        {
            observed++;
            var codes = Documented(doc, e);
            if (codes is null) { failures.Add($"{e}: not documented at all"); return; }
            var status = (int)res.StatusCode;
            if (status >= 500) failures.Add($"{e} as {who}: {status}");
            else if (!codes.Contains(status) && !(status is >= 200 and < 300 && codes.Any(c => c is >= 200 and < 300) && e.Method == "GET"))
                failures.Add($"{e} as {who}: got {status}, documented {string.Join(",", codes.Order())}");
        }
        var scoped = new Dictionary<(Role, string), HttpClient>();
        foreach (var e in EndpointCatalog.All(app.Services).Where(e => e.IsApi))
        {
            var url = EndpointCatalog.Url(e);
            Check(e, "anonymous", await anon.SendAsync(EndpointCatalog.Request(e, url)));
            foreach (var (role, client) in clients) Check(e, role.ToString(), await client.SendAsync(EndpointCatalog.Request(e, url)));
            var probe = e.Meta<Pantau.Web.Infrastructure.ScopeProbe>() ?? SecurityMatrixTests.TestScopeProbes.GetValueOrDefault(e.ToString());
            if (probe is null) continue;
            foreach (var (inScope, actorScope) in new[] { (true, probe.ActorScope), (false, probe.OutOfScopeActorScope ?? probe.ActorScope) })
            {
                Pantau.Web.Infrastructure.ProbeRequest req;
                using (var s = app.Services.CreateScope()) req = inScope ? await probe.InScope(s.ServiceProvider) : await probe.OutOfScope(s.ServiceProvider);
                var key = (probe.Role, actorScope);
                if (!scoped.TryGetValue(key, out var c)) scoped[key] = c = await app.ClientForAsync(probe.Role, actorScope);
                Check(e, $"{probe.Role}@{actorScope} {(inScope ? "in" : "out of")} scope", await c.SendAsync(EndpointCatalog.Request(req)));
            }
        }
        Assert.True(observed > 200, $"{observed} responses checked");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Reference_page_is_served_from_vendored_files_and_passes_the_CSP()
    {
        await using var app = await PantauApp.StartAsync();
        var anon = app.AnonymousClient();
        var res = await anon.GetAsync("/openapi/");
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        var html = await res.Content.ReadAsStringAsync();
        var csp = string.Join(";", res.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotMatch(@"<script(?![^>]*\bsrc=)[^>]*>", html);   // no inline script
        Assert.DoesNotMatch(@"<style|\sstyle=", html);                 // no inline style
        foreach (Match m in Regex.Matches(html, @"(?:src|href)=""([^""]+)"""))
        {
            Assert.StartsWith("/", m.Groups[1].Value);
            Assert.False(m.Groups[1].Value.StartsWith("//", StringComparison.Ordinal), "no other host: " + m.Groups[1].Value);
            var asset = await anon.GetAsync(m.Groups[1].Value);
            Assert.True(asset.StatusCode == HttpStatusCode.OK, $"{m.Groups[1].Value}: {(int)asset.StatusCode}");
        }
        Assert.Contains("/lib/swagger-ui/swagger-ui-bundle.js", html);
    }
}
