using Microsoft.Playwright;
using Pantau.Core.Security;

namespace Pantau.Browser.Tests;

/// <summary>
/// Issue 27.4 in a real browser: the deployment list carries the sintetis badge and every score's parts, the weights are labelled as Pantau's,
/// and the kerawanan map draws the legend of its level (kab/kota under a province) in the page's language, with Sumsel banded as a province.
/// </summary>
public sealed class KerawananLabelsTests(BrowserFixture f) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Deployment_list_and_map_say_what_is_synthetic_what_is_Pantaus_and_why_a_region_is_red()
    {
        Assert.SkipWhen(!f.Available, "Chromium is not installed");
        await using var ctx = await f.NewContextAsync(BrowserFixture.Desktop);
        ctx.SetDefaultTimeout(90_000);
        var page = await ctx.NewPageAsync();
        await f.SignInAsync(page, Role.Police, "16.71");

        await page.GotoAsync("/kerawanan/penempatan?region=16.71");
        await BrowserFixture.ArrivedAsync(page, "**/kerawanan/penempatan**");
        var rows = page.Locator("#deployment-list > li.band-row");
        var n = await rows.CountAsync();
        Assert.True(n > 0);
        Assert.Equal(n, await page.Locator("#deployment-list > li.band-row .badge.synthetic").CountAsync());
        Assert.Equal(n, await page.Locator("#deployment-list > li.band-row .score-parts .part-incidents").CountAsync());
        Assert.True(await page.Locator("#deployment-list > li.band-row").First.Locator(".score-parts").IsVisibleAsync());
        Assert.Contains("dasar IKP", await rows.First.Locator(".score-parts").InnerTextAsync());
        Assert.Contains("Bobot dimensi adalah pilihan Pantau", await page.Locator("#weights-note").InnerTextAsync());
        Assert.Contains("Kategori tingkat kecamatan", await page.Locator("#deployment-bands").InnerTextAsync());

        // The province page: Sumsel 55.32 is medium with Bawaslu's band beside it; the map legend is the kab/kota one, in Indonesian.
        await page.GotoAsync("/kerawanan?parent=16");
        await BrowserFixture.ArrivedAsync(page, "**/kerawanan?parent=16");
        Assert.Contains("kategori terbitan Bawaslu: sedang", await page.Locator("#self-parts .part-bawaslu").InnerTextAsync());
        var legend = page.Locator(".map .map-legend");
        await legend.WaitForAsync();
        var legendText = await legend.InnerTextAsync();
        Assert.Contains("Tinggi ≥ 49,33", legendText);
        Assert.DoesNotContain("High", legendText);

        // Switched to English: the page and the legend drawn by map.js are English, nothing Indonesian mixed in.
        await page.GotoAsync("/bahasa?to=en&back=%2Fkerawanan%3Fparent%3D16");
        await BrowserFixture.ArrivedAsync(page, "**/kerawanan?parent=16");
        var enLegend = page.Locator(".map .map-legend");
        await enLegend.WaitForAsync();
        var enText = await enLegend.InnerTextAsync();
        Assert.Contains("High ≥ 49.33", enText);
        Assert.DoesNotContain("Tinggi", enText);
        Assert.Contains("The dimension weights are Pantau's choice", await page.Locator("#weights-note").InnerTextAsync());
        Assert.Contains("Bawaslu's published band: medium", await page.Locator("#self-parts .part-bawaslu").InnerTextAsync());
        var table = await page.Locator("#kerawanan-table").InnerTextAsync();
        Assert.Contains("synthetic", table);
        Assert.DoesNotContain("sintetis", table);
    }
}
