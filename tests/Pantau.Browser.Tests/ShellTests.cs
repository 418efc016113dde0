using Microsoft.Playwright;
using Pantau.Core.Security;

namespace Pantau.Browser.Tests;

/// <summary>The shell (menu, sign-in, language, print), the Wilayah page with its map and chart, and the region picker.</summary>
public sealed class ShellTests(BrowserFixture f) : IClassFixture<BrowserFixture>
{
    private void SkipWithoutBrowser() => Assert.SkipWhen(!f.Available, "Chromium is not installed");

    [Fact]
    public async Task Sign_in_through_the_form_shows_the_account_and_the_phone_menu_opens_without_javascript()
    {
        SkipWithoutBrowser();
        await using var ctx = await f.NewContextAsync(BrowserFixture.Phone);
        var page = await ctx.NewPageAsync();
        var user = await f.SignInAsync(page, Role.DeskProvinsi, "16");
        Assert.Equal(f.Url + "/koordinasi?region=16", page.Url); // sign-in lands on the Desk dashboard of the user's region
        // On a phone the menu is folded behind the "Menu" button.
        var nav = page.GetByRole(AriaRole.Navigation, new() { Name = "Menu utama" });
        Assert.False(await nav.IsVisibleAsync());
        await page.Locator("label.nav-button").ClickAsync();
        Assert.True(await nav.IsVisibleAsync());
        StringAssert(await page.Locator("[data-signed-in]").InnerTextAsync(), user);
        await BrowserFixture.ShotAsync(page, "home-phone-menu-open");
        // Escape closes it (shell.js), and the skip link goes to the content.
        await page.Keyboard.PressAsync("Escape");
        Assert.False(await nav.IsVisibleAsync());

        // Without JavaScript the CSS-only menu still works.
        await using var plain = await f.NewContextAsync(BrowserFixture.Phone, javaScript: false);
        var p2 = await plain.NewPageAsync();
        await p2.GotoAsync("/");
        var nav2 = p2.GetByRole(AriaRole.Navigation, new() { Name = "Menu utama" });
        Assert.False(await nav2.IsVisibleAsync());
        await p2.Locator("label.nav-button").ClickAsync();
        Assert.True(await nav2.IsVisibleAsync());

        // Wrong password: an alert, not a crash.
        await p2.GotoAsync("/masuk");
        await p2.GetByLabel("Nama pengguna").FillAsync(user);
        await p2.GetByLabel("Kata sandi").FillAsync("salah-sekali");
        await p2.GetByRole(AriaRole.Button, new() { Name = "Masuk" }).ClickAsync();
        StringAssert(await p2.GetByRole(AriaRole.Alert).InnerTextAsync(), "salah");
    }

    [Fact]
    public async Task Keyboard_user_reaches_the_content_with_the_skip_link_and_print_hides_the_shell()
    {
        SkipWithoutBrowser();
        await using var ctx = await f.NewContextAsync(BrowserFixture.Desktop);
        var page = await ctx.NewPageAsync();
        await page.GotoAsync("/");
        await page.Keyboard.PressAsync("Tab");
        var skip = page.Locator("a.skip");
        Assert.True(await skip.EvaluateAsync<bool>("e => e === document.activeElement"));
        Assert.True(await skip.IsVisibleAsync());
        var outline = await skip.EvaluateAsync<string>("e => getComputedStyle(e).outlineStyle");
        Assert.Equal("solid", outline);
        await page.Keyboard.PressAsync("Enter");
        // Following the link is a same-page navigation that completes after the key press returns: wait for it (10 s at most).
        await page.WaitForFunctionAsync("() => location.hash === '#main'", null, new() { Timeout = 10_000 });
        Assert.EndsWith("#main", page.Url);
        // Every form control on the page has an accessible name.
        await page.GotoAsync("/wilayah/16.71");
        await page.Locator(".rp-enhanced select").First.WaitForAsync();
        var unlabeled = await page.EvaluateAsync<int>("() => [...document.querySelectorAll('input:not([type=hidden]),select,textarea')].filter(e => !e.labels || e.labels.length === 0).length");
        Assert.Equal(0, unlabeled);
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        Assert.False(await page.Locator("header.top").IsVisibleAsync());
        Assert.True(await page.Locator("table#children").IsVisibleAsync());
        Assert.True(await page.Locator(".print-only").IsVisibleAsync());
        await page.EmulateMediaAsync(new() { Media = Media.Screen });
    }

    [Fact]
    public async Task Wilayah_page_draws_map_and_chart_and_the_region_picker_drills_down_to_a_tps()
    {
        SkipWithoutBrowser();
        foreach (var (viewport, name) in new[] { (BrowserFixture.Desktop, "desktop"), (BrowserFixture.Phone, "phone") })
        {
            await using var ctx = await f.NewContextAsync(viewport);
            var page = await ctx.NewPageAsync();
            var errors = new List<string>();
            page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text + " " + m.Location); };
            await page.GotoAsync("/wilayah");
            Assert.Equal("sumatera selatan · pantau", (await page.TitleAsync()).ToLowerInvariant());
            await page.Locator("#region-map path.leaflet-interactive").First.WaitForAsync();
            Assert.Equal(17, await page.Locator("#region-map path.leaflet-interactive").CountAsync());
            // Chart.js is loaded only when the chart comes near the screen (on a phone it is below the fold).
            await page.Locator("#region-chart").ScrollIntoViewIfNeededAsync();
            await page.Locator("#region-chart[data-ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            await page.WaitForFunctionAsync("() => window.Chart && Chart.getChart(document.getElementById('region-chart'))");
            Assert.Equal(17, await page.Locator("table#children tbody tr").CountAsync());
            await BrowserFixture.ShotAsync(page, "wilayah-16-" + name);
            Assert.Empty(errors);
        }

        await using var c = await f.NewContextAsync(BrowserFixture.Phone);
        var p = await c.NewPageAsync();
        await p.GotoAsync("/wilayah");
        // Cascading selects: kab/kota -> auto-submits to the kab/kota page.
        var kab = p.Locator(".rp-enhanced select[data-level='1']");
        await p.Locator(".rp-enhanced select option[value='16.71']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var log = new List<string>();
        p.Console += (_, m) => log.Add(m.Type + ": " + m.Text);
        p.PageError += (_, m) => log.Add("pageerror: " + m);
        await kab.SelectOptionAsync("16.71");
        try { await BrowserFixture.ArrivedAsync(p, "**/wilayah/16.71"); }
        catch (TimeoutException) { Assert.Fail(p.Url + " | " + await p.Locator(".rp-code").InputValueAsync() + " | " + string.Join("\n", log)); }
        Assert.Contains("Palembang", await p.Locator("h1").InnerTextAsync(), StringComparison.OrdinalIgnoreCase);
        // The picker on the new page is pre-selected along the lineage.
        await p.Locator(".rp-enhanced select option[value='16.71']:checked").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        // Search by name.
        await p.GetByLabel("Cari nama atau kode wilayah").FillAsync("Plaju");
        var option = p.GetByRole(AriaRole.Option).Filter(new() { HasText = "Plaju" }).First;
        try { await option.WaitForAsync(); }
        finally { await BrowserFixture.ShotAsync(p, "region-picker-search-phone"); }
        await option.ClickAsync();
        await BrowserFixture.ArrivedAsync(p, "**/wilayah/16.71.*");
        await BrowserFixture.ShotAsync(p, "wilayah-kecamatan-phone");
        // Down to a desa with its TPS list.
        var desaSelect = p.Locator(".rp-enhanced select[data-level='3']");
        await p.Locator(".rp-enhanced select[data-level='3'] option:nth-child(2)").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var desa = await p.Locator(".rp-enhanced select[data-level='3'] option:nth-child(2)").GetAttributeAsync("value");
        await desaSelect.SelectOptionAsync(desa!);
        await BrowserFixture.ArrivedAsync(p, "**/wilayah/" + desa);
        Assert.True(await p.Locator("table#tps tbody tr").CountAsync() > 0);

        // Without JavaScript the picker is a plain code input; a TPS code opens its desa.
        await using var plain = await f.NewContextAsync(BrowserFixture.Phone, javaScript: false);
        var q = await plain.NewPageAsync();
        await q.GotoAsync("/wilayah");
        Assert.Equal(0, await q.Locator(".rp-enhanced").CountAsync());
        await q.GetByLabel("Pilih wilayah atau TPS").FillAsync("1671011001001");
        await q.GetByRole(AriaRole.Button, new() { Name = "Buka" }).ClickAsync();
        await BrowserFixture.ArrivedAsync(q, "**/wilayah/16.71.01.1001");
        Assert.True(await q.Locator("table#tps tbody tr").CountAsync() > 0);
    }

    private static void StringAssert(string actual, string expected) =>
        Assert.Contains(expected, actual, StringComparison.OrdinalIgnoreCase);
}
