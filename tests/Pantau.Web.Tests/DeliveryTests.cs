using System.Net;
using System.Text.Json;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tests;

/// <summary>Weight on the wire (issue 24.10): compressed answers, year-long caching of versioned static files, map boundaries as
/// light as the map can show.</summary>
public class DeliveryTests
{
    private static async Task<(HttpResponseMessage Res, byte[] Body)> GetAsync(HttpClient c, string url, string? encoding = null)
    {
        var req = new HttpRequestMessage(HttpMethod.Get, url);
        req.Headers.Accept.ParseAdd("text/html,application/json;q=0.9,*/*;q=0.8");
        if (encoding is not null) req.Headers.AcceptEncoding.ParseAdd(encoding);
        var res = await c.SendAsync(req);
        return (res, await res.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Pages_and_json_are_compressed_and_versioned_static_files_are_cached_for_a_year()
    {
        await using var app = await PantauApp.StartAsync();
        var anon = app.AnonymousClient();
        var (plain, plainBody) = await GetAsync(anon, "/hasil/PILGUB-16/16");
        var (br, brBody) = await GetAsync(anon, "/hasil/PILGUB-16/16", "br");
        var (gz, gzBody) = await GetAsync(anon, "/hasil/PILGUB-16/16", "gzip");
        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.Equal("br", Assert.Single(br.Content.Headers.ContentEncoding));
        Assert.Equal("gzip", Assert.Single(gz.Content.Headers.ContentEncoding));
        Assert.True(brBody.Length * 3 < plainBody.Length, $"br {brBody.Length} of {plainBody.Length}");
        using (var decoded = new MemoryStream())
        {
            await new System.IO.Compression.BrotliStream(new MemoryStream(brBody), System.IO.Compression.CompressionMode.Decompress).CopyToAsync(decoded);
            Assert.Equal(plainBody, decoded.ToArray()); // the same page
        }
        var (api, _) = await GetAsync(anon, "/api/tally/recap/PILGUB-16/16", "br, gzip");
        Assert.Equal("br", Assert.Single(api.Content.Headers.ContentEncoding));

        // Static files: with the version asp-append-version adds, a year and immutable; without, revalidated.
        var page = System.Text.Encoding.UTF8.GetString(plainBody);
        var versioned = System.Text.RegularExpressions.Regex.Match(page, "src=\"(/js/[a-z-]+\\.js\\?v=[^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(versioned);
        var (js, _) = await GetAsync(anon, versioned.Replace("&amp;", "&"), "br");
        Assert.Equal(HttpStatusCode.OK, js.StatusCode);
        Assert.Equal("public, max-age=31536000, immutable", js.Headers.CacheControl!.ToString());
        Assert.Equal("br", Assert.Single(js.Content.Headers.ContentEncoding));
        var (bare, _) = await GetAsync(anon, versioned[..versioned.IndexOf('?')]);
        Assert.True(bare.Headers.CacheControl!.NoCache);
        var (sw, _) = await GetAsync(anon, "/sw.js?v=1");
        Assert.True(sw.Headers.CacheControl!.NoCache); // the service worker is always checked
    }

    [Theory]
    [InlineData("provinsi", null, "indonesia_provinsi.geojson", 150_000)]
    [InlineData("kabkota", "16", "sumsel_kabupaten_kota.geojson", 60_000)]
    [InlineData("kecamatan", "16.71", "sumsel_kecamatan.geojson", 60_000)]
    [InlineData("desa", "16.71.01", "sumsel_desa_kelurahan.geojson", 60_000)]
    [InlineData("kabkota", "17", "indonesia_kabupaten_kota.geojson", 60_000)]
    public async Task Map_boundaries_keep_every_region_and_weigh_what_the_map_can_show(string level, string? parent, string file, int maxBytes)
    {
        await using var app = await PantauApp.StartAsync();
        var (res, body) = await GetAsync(app.AnonymousClient(), $"/api/geo/{level}" + (parent is null ? "" : $"?parent={parent}"));
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        using var served = JsonDocument.Parse(body);
        // The same regions as the source file, each with a valid outline (closed rings of at least 4 positions).
        using var source = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(SharedData.Locate(start: AppContext.BaseDirectory)!, "geo", file)));
        var expected = source.RootElement.GetProperty("features").EnumerateArray()
            .Select(f => f.GetProperty("properties").GetProperty("code").GetString()!)
            .Where(c => parent is null || (Pantau.Core.Regions.RegionCode.IsWithin(c, parent) && c != parent)).Order().ToList();
        var features = served.RootElement.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(expected, features.Select(f => f.GetProperty("properties").GetProperty("code").GetString()!).Order().ToList());
        Assert.NotEmpty(expected);
        foreach (var f in features)
        {
            var g = f.GetProperty("geometry");
            var polygons = g.GetProperty("type").GetString() == "Polygon" ? [g.GetProperty("coordinates")] : g.GetProperty("coordinates").EnumerateArray().ToList();
            Assert.NotEmpty(polygons);
            foreach (var ring in polygons.SelectMany(p => p.EnumerateArray()))
            {
                var pts = ring.EnumerateArray().ToList();
                Assert.True(pts.Count >= 4);
                Assert.Equal(pts[0].ToString(), pts[^1].ToString());
            }
        }
        Assert.True(body.Length <= maxBytes, $"{level} {parent}: {body.Length:N0} bytes");
    }
}
