using System.Net.Http.Json;
using Microsoft.Playwright;
using Pantau.Core.Security;

namespace Pantau.Browser.Tests;

/// <summary>The bell in the layout: its unread count follows events in the user's scope live, without a reload.</summary>
public sealed class NotificationBellTests(BrowserFixture f) : IClassFixture<BrowserFixture>
{
    private static object Report(string region) => new
    {
        category = "SecurityIncident", regionCode = region, title = "Bentrokan pendukung di pasar",
        description = "Dua kelompok pendukung paslon bentrok di depan pasar kecamatan, dua orang luka.", severity = "High",
    };

    [Fact]
    public async Task The_bell_counts_an_incident_in_my_scope_live_and_ignores_one_outside_it()
    {
        Assert.SkipWhen(!f.Available, "Chromium is not installed");
        await using var ctx = await f.NewContextAsync(BrowserFixture.Desktop);
        var page = await ctx.NewPageAsync();
        await f.SignInAsync(page, Role.DeskKabKota, "16.71");
        await page.GotoAsync("/notifikasi");
        var bell = page.Locator("[data-bell]");
        // The script answers the live stream's "ready" by reading the count: from then on the page is subscribed.
        await page.Locator("[data-bell][data-unread='0']").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
        Assert.False(await page.Locator("[data-bell-count]").IsVisibleAsync());

        var camatLahat = await f.App.ClientForAsync(Role.Camat, "16.04.01");
        var camatPlg = await f.App.ClientForAsync(Role.Camat, "16.71.01");
        // The factory's default address is not the Kestrel port.
        camatLahat.BaseAddress = camatPlg.BaseAddress = new Uri(f.Url + "/");
        Assert.True((await camatLahat.PostAsJsonAsync("/api/incidents", Report("16.04.01"))).IsSuccessStatusCode);
        Assert.True((await camatPlg.PostAsJsonAsync("/api/incidents", Report("16.71.01"))).IsSuccessStatusCode);

        // No reload: the count turns 1 (not 2: Lahat's incident is not in this Desk's scope).
        await page.Locator("[data-bell][data-unread='1']").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
        Assert.Equal("1", (await page.Locator("[data-bell-count]").InnerTextAsync()).Trim());
        Assert.True(await page.Locator("[data-bell-count]").IsVisibleAsync());
        await BrowserFixture.ShotAsync(page, "notifikasi-bell-live-desktop");

        Assert.True((await camatPlg.PostAsJsonAsync("/api/incidents", Report("16.71.01"))).IsSuccessStatusCode);
        await page.Locator("[data-bell][data-unread='2']").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
        Assert.Equal("2", (await bell.Locator("[data-bell-count]").InnerTextAsync()).Trim());
    }
}
