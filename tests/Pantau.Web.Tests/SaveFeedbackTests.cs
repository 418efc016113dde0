using System.Net;
using System.Text.RegularExpressions;
using Pantau.Core.Security;
using Pantau.TestKit;

namespace Pantau.Web.Tests;

/// <summary>Issue 24.7: a save that redirects says what was saved on the page it lands on (in the page's language); an empty
/// claim is refused with a message, not stored; the account form starts with no role chosen and picks its scope with the region
/// picker.</summary>
public partial class SaveFeedbackTests
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient c, string page, string handler, Dictionary<string, string> fields)
    {
        var html = await c.GetStringAsync(page);
        fields["__RequestVerificationToken"] = Token().Match(html).Groups[1].Value;
        return await c.PostAsync(page + (page.Contains('?') ? "&" : "?") + "handler=" + handler, new FormUrlEncodedContent(fields));
    }

    [Fact]
    public async Task A_hoax_claim_and_its_verdict_are_confirmed_and_an_empty_claim_is_refused()
    {
        await using var app = await PantauApp.StartAsync();
        var (user, password) = await app.CreateUserAsync(Role.DeskKabKota, "16.71");
        var desk = await app.CookieClientAsync(user.UserName!, password);

        var empty = await PostFormAsync(desk, "/insiden/hoaks", "Create", new() { ["Claim"] = "  ", ["RegionCode"] = "" });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        var refused = await empty.Content.ReadAsStringAsync();
        Assert.Contains("role=\"alert\"", refused);
        Assert.DoesNotContain("id=\"saved-notice\"", refused);

        var created = await PostFormAsync(desk, "/insiden/hoaks", "Create", new() { ["Claim"] = "TPS di Palembang dipindah ke balai desa", ["RegionCode"] = "16.71" });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var landed = await desk.GetStringAsync(created.Headers.Location!.ToString());
        Assert.Contains("<p class=\"notice saved\" role=\"status\" id=\"saved-notice\">Klaim hoaks tersimpan.</p>", landed);
        var en = await desk.GetStringAsync(created.Headers.Location + "&lang=en");
        Assert.Contains("id=\"saved-notice\">Hoax claim saved.</p>", en);

        var claimId = Regex.Match(landed, "name=\"ClaimId\" value=\"([^\"]+)\"").Groups[1].Value;
        var verdict = await PostFormAsync(desk, "/insiden/hoaks", "Verdict", new()
            { ["ClaimId"] = claimId, ["Verdict"] = "Hoaks", ["Clarification"] = "KPU Kota Palembang: tidak ada TPS yang dipindah.", ["Publish"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, verdict.StatusCode);
        Assert.Contains("id=\"saved-notice\">Putusan klaim hoaks tersimpan.</p>", await desk.GetStringAsync(verdict.Headers.Location!.ToString()));
        // Without a save there is no confirmation.
        Assert.DoesNotContain("saved-notice", await desk.GetStringAsync("/insiden/hoaks"));
    }

    [Fact]
    public async Task The_account_form_starts_without_a_role_and_picks_the_scope_with_the_region_picker()
    {
        await using var app = await PantauApp.StartAsync();
        var admin = await app.ClientForAsync(Role.Admin, "16.71");
        var html = await admin.GetStringAsync("/admin/pengguna");
        var form = html[html.IndexOf("handler=Create", StringComparison.Ordinal)..];
        form = form[..form.IndexOf("</form>", StringComparison.Ordinal)];
        var select = Regex.Match(form, "<select id=\"role\"[^>]*>(.*?)</select>", RegexOptions.Singleline).Groups[1].Value;
        Assert.StartsWith("<option value=\"\">", select.Trim());
        Assert.DoesNotContain("selected", select);
        Assert.Contains("class=\"region-picker\" data-depth=\"tps\" data-root=\"16.71\"", form);
        Assert.Contains("id=\"scopeCode\" name=\"scopeCode\" value=\"16.71\"", form);
    }
}
