using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pantau.Core.Security;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;
using Pantau.Web.Tally;

namespace Pantau.Web.Tests;

/// <summary>
/// The public results pages are served from memory like the recap API (<see cref="ResultsPageCache"/>, issue 22.4): a repeated read
/// is not rendered again, a proxy's conditional request gets 304, and a page never hides an acknowledged sheet.
/// </summary>
public class ResultsPageCacheTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;
    private const string Gub = "PILGUB-16";
    private const string Page = "/hasil/" + Gub + "/16";

    private static HttpRequestMessage Get(string url, string? ifNoneMatch = null)
    {
        var r = new HttpRequestMessage(HttpMethod.Get, url);
        r.Headers.Accept.ParseAdd("text/html");
        if (ifNoneMatch is not null) r.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        return r;
    }

    private static int TpsIn(string html)
    {
        var m = System.Text.RegularExpressions.Regex.Match(html, "data-k=\"tpsIn\">([0-9.]+)<");
        Assert.True(m.Success, "the page shows how many TPS are in");
        return int.Parse(m.Groups[1].Value.Replace(".", ""));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_page_is_rendered_once_answers_304_to_a_proxy_and_shows_every_acknowledged_sheet(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var cache = app.Services.GetRequiredService<ResultsPageCache>();
        var anon = app.AnonymousClient();
        List<string> tps;
        await using (var db = app.NewDbContext())
            tps = await db.Tps.Where(t => t.DesaCode.StartsWith("16.71.01")).OrderBy(t => t.Code).Take(2).Select(t => t.Code).ToListAsync();
        var op = await app.ClientForAsync(Role.KpuOperator, "16.71");

        using var first = await anon.SendAsync(Get(Page));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var html = await first.Content.ReadAsStringAsync();
        Assert.Equal(0, TpsIn(html));
        var etag = first.Headers.ETag!.Tag;
        Assert.Equal("public, max-age=5", first.Headers.CacheControl!.ToString());
        Assert.Contains("Cookie", first.Headers.Vary);
        Assert.NotNull(first.Headers.GetValues("Content-Security-Policy").Single()); // the security headers stay on a cached page
        var (_, renders) = cache.Counts;

        // The same page again: from memory, byte for byte, same ETag; a proxy revalidating it gets 304 without a body.
        using var again = await anon.SendAsync(Get(Page));
        Assert.Equal(html, await again.Content.ReadAsStringAsync());
        Assert.Equal(etag, again.Headers.ETag!.Tag);
        Assert.NotNull(again.Headers.GetValues("Content-Security-Policy").Single());
        using var conditional = await anon.SendAsync(Get(Page, etag));
        Assert.Equal(HttpStatusCode.NotModified, conditional.StatusCode);
        Assert.Empty(await conditional.Content.ReadAsByteArrayAsync());
        Assert.Equal(renders, cache.Counts.Renders);
        Assert.True(cache.Counts.Hits >= 2);

        // An acknowledged sheet is on the next page read, with a new ETag, and the old ETag no longer gets 304.
        for (var i = 0; i < tps.Count; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await op.PostAsJsonAsync("/api/tally/sheets", TallySheets.ToJson(TallySheets.Valid(Gub, tps[i], 80 + i, 50, 20)))).StatusCode);
            using var after = await anon.SendAsync(Get(Page, etag));
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
            Assert.Equal(i + 1, TpsIn(await after.Content.ReadAsStringAsync()));
            Assert.NotEqual(etag, after.Headers.ETag!.Tag);
            etag = after.Headers.ETag!.Tag;
        }
    }

    [Fact]
    public async Task Languages_are_kept_apart_signed_in_readers_are_not_cached_and_a_page_lives_at_most_its_age()
    {
        await using var app = await PantauApp.StartAsync();
        var cache = app.Services.GetRequiredService<ResultsPageCache>();
        var anon = app.AnonymousClient();

        using var id = await anon.SendAsync(Get(Page));
        using var en = await anon.SendAsync(Get(Page + "?lang=en"));
        var enCookie = Get(Page);
        enCookie.Headers.Add("Cookie", "pantau-lang=en");
        using var en2 = await anon.SendAsync(enCookie);
        Assert.Contains("<html lang=\"id\">", await id.Content.ReadAsStringAsync());
        Assert.Contains("<html lang=\"en\">", await en.Content.ReadAsStringAsync());
        Assert.Contains("<html lang=\"en\">", await en2.Content.ReadAsStringAsync());
        Assert.NotEqual(id.Headers.ETag!.Tag, en.Headers.ETag!.Tag);

        // Another query (the region picker's "go to") is not served from the cache: it redirects.
        using var go = await anon.SendAsync(Get(Page + "?ke=16.71"));
        Assert.Equal(HttpStatusCode.Redirect, go.StatusCode);

        // A signed-in reader gets the page with their own menu: rendered for them, never cached or marked public.
        var (user, password) = await app.CreateUserAsync(Role.DeskProvinsi, "16");
        var desk = await app.CookieClientAsync(user.UserName!, password);
        var before = cache.Counts;
        using var mine = await desk.SendAsync(Get(Page));
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        Assert.Null(mine.Headers.ETag);
        Assert.Equal(before, cache.Counts);

        // Past its age (5 s) the page is rendered again even though the totals did not change (the witness count and print date may have).
        var renders = cache.Counts.Renders;
        using (var hit = await anon.SendAsync(Get(Page))) Assert.Equal(HttpStatusCode.OK, hit.StatusCode);
        Assert.Equal(renders, cache.Counts.Renders);
        app.Clock.Advance(TimeSpan.FromSeconds(6));
        using (var late = await anon.SendAsync(Get(Page))) Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        Assert.Equal(renders + 1, cache.Counts.Renders);
    }
}
