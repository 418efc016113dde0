using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Pantau.Web.Tally;

/// <summary>
/// The public results pages (<c>/hasil/{contest}/{region}</c>) of the busy levels served from memory like the recap API, so that on
/// election night a page costs about what an API read costs (issue 22.4). A page is rendered once and kept as bytes with a strong
/// ETag over them; it is served again while
/// <list type="bullet">
/// <item>the recap it was rendered from is still the one <see cref="RecapCache"/> serves (same ETag: the same freshness rules as the
/// API, including writes of other instances), and</item>
/// <item>it is at most <c>Pantau:Tally:PageCacheSeconds</c> old (default 5 s, the <c>max-age</c> clients are told; the page also shows
/// the public log's witness count and a print date, which change without the totals). 0 turns the cache off.</item>
/// </list>
/// Only what is the same for every anonymous reader is kept: a GET or HEAD without a query string (other than <c>lang</c>), not signed
/// in, a page that sets no cookie. The language (query or cookie) and the live-update fragment request are part of the key;
/// responses say <c>Vary: Cookie, X-Fragment</c> so a reverse proxy keeps them apart too. While one request renders a page again,
/// the others are served the page it replaces (as the recap cache serves the previous totals while it rebuilds).
/// </summary>
public sealed class ResultsPageCache(RecapCache recaps, TimeProvider clock, IConfiguration config)
{
    public const string PagePath = "/Tally/Results";

    private sealed record Entry(byte[] Html, string ETag, string RecapETag, long BuiltAt);

    private readonly ConcurrentDictionary<(string Contest, string Region, bool English, bool Fragment), Entry> _entries = new();
    private readonly ConcurrentDictionary<(string, string, bool, bool), byte> _rendering = new();
    private readonly long _maxAgeTicks = TimeSpan.FromSeconds(config.GetValue("Pantau:Tally:PageCacheSeconds", 5.0)).Ticks;
    private long _hits, _renders;

    /// <summary>Pages served from memory and pages rendered (for the benchmark and tests).</summary>
    public (long Hits, long Renders) Counts => (Interlocked.Read(ref _hits), Interlocked.Read(ref _renders));

    public async Task InvokeAsync(HttpContext ctx, Func<Task> next)
    {
        if (!TryKey(ctx, out var key)) { await next(); return; }
        var recap = await recaps.GetAsync(key.Contest, key.Region, ctx.RequestAborted,
            refresh => ctx.Response.OnCompleted(() => { refresh(); return Task.CompletedTask; }));
        if (recap is null) { await next(); return; } // the page says "not found" itself
        var now = clock.GetUtcNow().UtcTicks;
        _entries.TryGetValue(key, out var entry);
        var fresh = entry is not null && entry.RecapETag == recap.ETag && now - entry.BuiltAt <= _maxAgeTicks;
        if (entry is not null && (fresh || !_rendering.TryAdd(key, 0)))
        {
            Interlocked.Increment(ref _hits);
            await ServeAsync(ctx, entry.Html, entry.ETag);
            return;
        }
        if (entry is null && !_rendering.TryAdd(key, 0)) { await next(); return; } // the first render of this page is under way
        try
        {
            Interlocked.Increment(ref _renders);
            var original = ctx.Response.Body;
            using var buffer = new MemoryStream();
            ctx.Response.Body = buffer;
            try { await next(); }
            finally { ctx.Response.Body = original; }
            var html = buffer.ToArray();
            var cacheable = ctx.Response.StatusCode == StatusCodes.Status200OK && ctx.Response.Headers.SetCookie.Count == 0
                && ctx.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true;
            if (!cacheable)
            {
                await original.WriteAsync(html, ctx.RequestAborted);
                return;
            }
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(html))[..32] + "\"";
            _entries[key] = new Entry(html, etag, recap.ETag, now);
            await ServeAsync(ctx, html, etag);
        }
        finally { _rendering.TryRemove(key, out _); }
    }

    private static async Task ServeAsync(HttpContext ctx, byte[] html, string etag)
    {
        var res = ctx.Response;
        res.Headers.ETag = etag;
        res.Headers.CacheControl = "public, max-age=5";
        res.Headers.Vary = "Cookie, X-Fragment";
        var inm = ctx.Request.Headers.IfNoneMatch.ToString();
        if (inm.Length > 0 && (inm == "*" || inm.Split(',').Any(t => t.Trim() == etag)))
        {
            res.StatusCode = StatusCodes.Status304NotModified;
            res.ContentLength = null;
            return;
        }
        res.StatusCode = StatusCodes.Status200OK;
        res.ContentType = "text/html; charset=utf-8";
        res.ContentLength = html.Length;
        if (!HttpMethods.IsHead(ctx.Request.Method)) await res.Body.WriteAsync(html, ctx.RequestAborted);
    }

    /// <summary>The key of a request the cache may answer: the results page of a cached recap level, the same for every anonymous reader.</summary>
    private bool TryKey(HttpContext ctx, out (string Contest, string Region, bool English, bool Fragment) key)
    {
        key = default;
        if (_maxAgeTicks <= 0) return false;
        var req = ctx.Request;
        if (!HttpMethods.IsGet(req.Method) && !HttpMethods.IsHead(req.Method)) return false;
        if (ctx.GetEndpoint()?.Metadata.GetMetadata<PageActionDescriptor>()?.ViewEnginePath != PagePath) return false;
        if (ctx.User.Identity?.IsAuthenticated == true) return false;
        bool? english = null;
        foreach (var (name, value) in req.Query)
        {
            if (name != "lang" || value.Count != 1) return false;
            english = value[0] == "en";
        }
        if (req.RouteValues["contest"] is not string contest || req.RouteValues["region"] is not string region) return false;
        if (!RecapCache.Cacheable(region) || contest.Length > 40) return false;
        english ??= req.Cookies.TryGetValue(Infrastructure.Lang.Cookie, out var c) && c == "en";
        key = (contest, region, english.Value, req.Headers.ContainsKey("X-Fragment"));
        return true;
    }
}

public static class ResultsPageCacheSetup
{
    /// <summary>After routing, authentication and the rate limiter (a cached page is still rate limited like the API).</summary>
    public static IApplicationBuilder UseResultsPageCache(this IApplicationBuilder app)
    {
        var cache = app.ApplicationServices.GetRequiredService<ResultsPageCache>();
        return app.Use((ctx, next) => cache.InvokeAsync(ctx, () => next(ctx)));
    }
}
