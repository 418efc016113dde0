using System.Net;
using Pantau.Core.Security;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tests.Elections;

public class ElectionPageTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;

    [Theory, MemberData(nameof(Providers))]
    public async Task The_setup_page_lists_the_elections_and_offers_edits_within_the_scope(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var anon = await app.AnonymousClient().GetAsync("/admin/pemilihan");
        Assert.Equal(HttpStatusCode.Redirect, anon.StatusCode);
        var kpu = await app.ClientForAsync(Role.KpuOperator, "16.03");
        Assert.NotEqual(HttpStatusCode.OK, (await kpu.GetAsync("/admin/pemilihan")).StatusCode);

        var desk = await app.ClientForAsync(Role.DeskKabKota, "16.03");
        var page = await desk.GetStringAsync("/admin/pemilihan");
        Assert.Contains("data-election=\"PILKADA2024-16\"", page);
        Assert.Contains("&#x2605; <a href=\"/admin/pemilihan?election=PILKADA2024-16\"", page); // ★ marks the current election
        Assert.Contains("data-contest=\"PILBUP-16.03\"", page);
        Assert.Contains("Pengaturan pemilihan", page);
        // The Desk of Muara Enim may edit its own race only.
        Assert.Contains("edit=PILBUP-16.03", page);
        Assert.DoesNotContain("edit=PILBUP-16.04", page);
        Assert.DoesNotContain("edit=PILGUB-16", page);
        var edit = await desk.GetStringAsync("/admin/pemilihan?election=PILKADA2024-16&edit=PILBUP-16.03");
        Assert.Contains("value=\"PILBUP-16.03\"", edit);
        Assert.Contains("__RequestVerificationToken", edit);
    }
}
