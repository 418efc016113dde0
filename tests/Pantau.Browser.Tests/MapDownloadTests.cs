using System.Text.Json;
using Microsoft.Playwright;
using Pantau.Core.Security;

namespace Pantau.Browser.Tests;

/// <summary>Every map offers the data behind it (issue 26.5): the server's GIS exports where there is one, else the map's own layer.</summary>
public sealed class MapDownloadTests(BrowserFixture f) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_map_downloads_its_layer_as_GeoJSON_and_HXL_CSV()
    {
        Assert.SkipWhen(!f.Available, "Chromium is not installed");
        await using var ctx = await f.NewContextAsync(BrowserFixture.Desktop);
        ctx.SetDefaultTimeout(90_000);
        var page = await ctx.NewPageAsync();

        // The regions map has no server export: the download is its boundaries joined with its values, made in the browser.
        await page.GotoAsync("/wilayah/16");
        var geoLink = page.Locator(".map-download a", new() { HasText = "GeoJSON" });
        await geoLink.WaitForAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => geoLink.ClickAsync());
        var text = await File.ReadAllTextAsync((await download.PathAsync())!);
        var features = JsonDocument.Parse(text).RootElement.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(17, features.Count(x => x.GetProperty("geometry").ValueKind == JsonValueKind.Object && x.GetProperty("properties").TryGetProperty("kode", out _)));
        Assert.All(features.Where(x => x.GetProperty("properties").TryGetProperty("kode", out _)),
            x => Assert.Equal(JsonValueKind.String, x.GetProperty("properties").GetProperty("keterangan").ValueKind));

        var csvDownload = await page.RunAndWaitForDownloadAsync(() => page.Locator(".map-download a", new() { HasText = "CSV" }).ClickAsync());
        var lines = (await File.ReadAllTextAsync((await csvDownload.PathAsync())!)).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("#adm2+code,#adm2+name,#indicator+value,#indicator+label,#indicator+category", lines[1]);
        Assert.Equal(2 + 17, lines.Length);

        // The kerawanan map points at the server's export of the same layer.
        await page.GotoAsync("/kerawanan");
        var kLink = page.Locator(".map-download a", new() { HasText = "GeoJSON" });
        await kLink.WaitForAsync();
        Assert.StartsWith("/api/gis/kerawanan.geojson?parent=16", await kLink.GetAttributeAsync("href"));
        var kDownload = await page.RunAndWaitForDownloadAsync(() => kLink.ClickAsync());
        var kFeatures = JsonDocument.Parse(await File.ReadAllTextAsync((await kDownload.PathAsync())!)).RootElement.GetProperty("features").GetArrayLength();
        Assert.Equal(17, kFeatures);
    }
}
