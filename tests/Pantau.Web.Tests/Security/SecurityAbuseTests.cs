using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Pantau.Core.Security;
using Pantau.Data.Files;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tests.Security;

public class SecurityAbuseTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;

    [Fact]
    public async Task Sign_in_is_rate_limited_per_client()
    {
        // Scale 0.1: 2 sign-in attempts a minute instead of 20.
        await using var app = await PantauApp.StartAsync(settings: new Dictionary<string, string?> { ["Pantau:RateLimitScale"] = "0.1" });
        var client = app.AnonymousClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
            statuses.Add((await client.PostAsync("/masuk", new FormUrlEncodedContent(new Dictionary<string, string> { ["UserName"] = "x", ["Password"] = "y" }))).StatusCode);
        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses.Take(2));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        var limited = await client.PostAsync("/masuk", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal("60", limited.Headers.RetryAfter!.ToString());
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Public_apis_are_rate_limited()
    {
        await using var app = await PantauApp.StartAsync(settings: new Dictionary<string, string?> { ["Pantau:RateLimitScale"] = "0.01" });
        var client = app.AnonymousClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++) statuses.Add((await client.GetAsync("/api/live")).StatusCode); // 400 (no topic) until the bucket is empty
        Assert.Equal(HttpStatusCode.BadRequest, statuses[0]);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Too_large_json_bodies_get_413_and_malformed_json_gets_a_400_problem(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider, settings: new Dictionary<string, string?> { ["Pantau:MaxJsonBytes"] = "2000" });
        var admin = await app.ClientForAsync(Role.Admin, "");
        var big = new StringContent("{\"userName\":\"" + new string('a', 5000) + "\"}", Encoding.UTF8, "application/json");
        var res = await admin.PostAsync("/api/admin/users", big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, res.StatusCode);
        Assert.Equal("application/problem+json", res.Content.Headers.ContentType!.MediaType);
        foreach (var bad in new[] { "{", "{\"role\": 12345678901234567890}", "{\"role\": \"NotARole\"}", "[1,2]", "{\"userName\": {\"a\": 1}}" })
        {
            var r = await admin.PostAsync("/api/admin/users", new StringContent(bad, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        }
        var wrongType = await admin.PostAsync("/api/admin/users", new StringContent("userName=x", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
    }

    [Fact]
    public async Task Kestrel_refuses_bodies_over_the_request_limit()
    {
        var (app, url) = await LiveServer.StartAsync(settings: new Dictionary<string, string?> { ["Pantau:MaxRequestBytes"] = "20000" });
        await using var _ = app;
        // Expect: 100-continue lets the server answer before the client uploads the body (otherwise the client may still be
        // sending when the server closes the connection, and sees a reset instead of the 413).
        using var http = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(30) }) { BaseAddress = new Uri(url) };
        http.DefaultRequestHeaders.ExpectContinue = true;
        var res = await http.PostAsync("/masuk", new FormUrlEncodedContent(new Dictionary<string, string> { ["UserName"] = new string('x', 50_000), ["Password"] = "y" }));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, res.StatusCode);
        var small = await http.PostAsync("/masuk", new FormUrlEncodedContent(new Dictionary<string, string> { ["UserName"] = "x", ["Password"] = "y" }));
        Assert.NotEqual(HttpStatusCode.RequestEntityTooLarge, small.StatusCode);
    }

    [Fact]
    public async Task Security_headers_csp_without_inline_script_and_hsts_only_over_https()
    {
        await using var app = await PantauApp.StartAsync();
        var http = await app.AnonymousClient().GetAsync("/");
        var csp = http.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Equal("DENY", http.Headers.GetValues("X-Frame-Options").Single());
        Assert.False(http.Headers.Contains("Strict-Transport-Security"));
        var https = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost") });
        var res = await https.GetAsync("/");
        Assert.StartsWith("max-age=", res.Headers.GetValues("Strict-Transport-Security").Single());
    }

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public bool Uploaded_bytes_starting_like_markup_are_never_accepted(byte[] tail, bool svg)
    {
        var head = Encoding.UTF8.GetBytes(svg ? "<svg xmlns=\"http://www.w3.org/2000/svg\">" : "<!DOCTYPE html><script>");
        return FileStore.Sniff(head.Concat(tail ?? []).ToArray()).Type is null;
    }

    [Fact]
    public async Task Stored_files_are_downloaded_as_attachments_never_rendered()
    {
        var file = new StoredFile { Id = Guid.NewGuid(), Sha256 = new string('a', 64), ContentType = "image/png", FileName = "C hasil.png", Size = 3, Content = [1, 2, 3], UploadedBy = "t" };
        var ctx = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        ctx.Response.Body = new MemoryStream();
        await FileStore.Download(file, ctx).ExecuteAsync(ctx);
        Assert.StartsWith("attachment", ctx.Response.Headers.ContentDisposition.ToString());
        Assert.Equal("nosniff", ctx.Response.Headers.XContentTypeOptions.ToString());
        Assert.Contains("sandbox", ctx.Response.Headers.ContentSecurityPolicy.ToString());
        Assert.Equal("image/png", ctx.Response.ContentType);
    }
}
