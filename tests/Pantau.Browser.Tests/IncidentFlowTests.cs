using Microsoft.Playwright;
using Pantau.Core.Security;

namespace Pantau.Browser.Tests;

/// <summary>A citizen reports an incident without an account; the Desk follows it to closure; the citizen sees it closed.</summary>
public sealed class IncidentFlowTests(BrowserFixture f) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Citizen_report_is_verified_referred_acted_on_and_closed_by_the_desk()
    {
        Assert.SkipWhen(!f.Available, "Chromium is not installed");
        await using var citizenCtx = await f.NewContextAsync(BrowserFixture.Phone);
        var citizen = await citizenCtx.NewPageAsync();
        await citizen.GotoAsync("/lapor");
        await citizen.Locator("#Category").SelectOptionAsync("SecurityIncident");
        await citizen.Locator("#KabKota").SelectOptionAsync("16.71");
        await citizen.Locator("#Title").FillAsync("Keributan di dekat TPS 001 Ilir Barat II");
        await citizen.Locator("#Description").FillAsync("Sekelompok orang berkumpul dan berteriak di dekat TPS pada pagi hari.");
        await BrowserFixture.ShotAsync(citizen, "lapor-phone");
        await citizen.GetByRole(AriaRole.Button, new() { Name = "Kirim laporan" }).ClickAsync();
        var code = (await citizen.Locator("#tracking-code").InnerTextAsync()).Trim();
        var secret = (await citizen.Locator("#tracking-secret").InnerTextAsync()).Trim();
        Assert.StartsWith("LP-", code);

        await using var deskCtx = await f.NewContextAsync(BrowserFixture.Desktop);
        var desk = await deskCtx.NewPageAsync();
        await f.SignInAsync(desk, Role.DeskProvinsi, "16");
        await desk.GotoAsync("/insiden");
        await BrowserFixture.ShotAsync(desk, "insiden-list-desktop");
        await desk.GetByRole(AriaRole.Link, new() { Name = code }).ClickAsync();
        await BrowserFixture.ArrivedAsync(desk, "**/insiden/*");
        foreach (var (action, status) in new[] { ("Verify", "Verified"), ("Refer", "Referred"), ("RecordAction", "ActionTaken"), ("Close", "Closed") })
        {
            await desk.Locator("#Action").SelectOptionAsync(action);
            await desk.Locator("#Note").FillAsync("Langkah " + action + " oleh Desk Pilkada.");
            await desk.GetByRole(AriaRole.Button, new() { Name = "Simpan tindakan" }).ClickAsync();
            // The click returns before the form's navigation ends: wait for the page that answers it (the new status, or an error)
            // before the next action is chosen on it.
            await desk.Locator($"#status[data-status={status}], .error[role=alert]").First.WaitForAsync();
            Assert.Equal(0, await desk.Locator(".error[role=alert]").CountAsync());
            Assert.Equal(status, await desk.Locator("#status").GetAttributeAsync("data-status"));
        }
        await BrowserFixture.ShotAsync(desk, "insiden-detail-closed-desktop");

        await citizen.GotoAsync("/lapor/status");
        await citizen.Locator("#Code").FillAsync(code);
        await citizen.Locator("#Secret").FillAsync(secret);
        await citizen.GetByRole(AriaRole.Button, new() { Name = "Cek" }).ClickAsync();
        Assert.Equal("Closed", await citizen.Locator("#report-status").GetAttributeAsync("data-status"));
    }
}
