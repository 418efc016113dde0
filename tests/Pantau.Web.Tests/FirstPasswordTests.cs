using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Security;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tests;

/// <summary>Issue 24.7: a password an admin generated (new account, reset) must be changed at the first sign-in; until then every
/// other page leads to the password page; afterwards the user works normally.</summary>
public partial class FirstPasswordTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [Theory, MemberData(nameof(Providers))]
    public async Task A_generated_password_is_changed_before_anything_else(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var admin = await app.ClientForAsync(Role.Admin, "16");
        var created = await admin.PostAsJsonAsync("/api/admin/users", new { userName = "desk-palembang-" + provider.ToString().ToLowerInvariant(), role = "DeskKabKota", scopeCode = "16.71" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var name = body.GetProperty("user").GetProperty("userName").GetString()!;
        var generated = body.GetProperty("password").GetString()!;

        // Sign-in lands on the password page, and every other page sends the user back there.
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var form = await client.GetStringAsync("/masuk");
        var signIn = await client.PostAsync("/masuk", new FormUrlEncodedContent(new Dictionary<string, string>
            { ["UserName"] = name, ["Password"] = generated, ["__RequestVerificationToken"] = Token().Match(form).Groups[1].Value }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/akun/sandi?wajib=1", signIn.Headers.Location!.ToString());
        foreach (var page in new[] { "/koordinasi?region=16.71", "/insiden", "/kesiapan/16.71" })
        {
            var res = await client.GetAsync(page);
            Assert.True(res.StatusCode == HttpStatusCode.Redirect && res.Headers.Location!.ToString() == "/akun/sandi?wajib=1", $"{page}: {(int)res.StatusCode} {res.Headers.Location}");
        }
        var sandi = await client.GetStringAsync("/akun/sandi?wajib=1");
        Assert.Contains("id=\"must-change\"", sandi);

        var changed = await client.PostAsync("/akun/sandi", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["currentPassword"] = generated, ["newPassword"] = "Palembang-Desk-2024", ["confirmPassword"] = "Palembang-Desk-2024",
            ["__RequestVerificationToken"] = Token().Match(sandi).Groups[1].Value,
        }));
        Assert.Contains("id=\"password-changed\"", await changed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/koordinasi?region=16.71")).StatusCode);
        await using (var db = app.NewDbContext())
            Assert.False((await db.Users.SingleAsync(u => u.UserName == name)).MustChangePassword);

        // A reset by the admin asks again.
        var id = body.GetProperty("user").GetProperty("id").GetString();
        var reset = await admin.PostAsync($"/api/admin/users/{id}/reset-password", null);
        Assert.True(reset.IsSuccessStatusCode, $"{(int)reset.StatusCode} {await reset.Content.ReadAsStringAsync()}");
        await using (var db = app.NewDbContext())
            Assert.True((await db.Users.SingleAsync(u => u.UserName == name)).MustChangePassword);
    }
}
