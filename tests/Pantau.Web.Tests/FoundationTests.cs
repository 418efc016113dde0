using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pantau.Core.Security;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tests;

public class FoundationTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;

    [Theory, MemberData(nameof(Providers))]
    public async Task Health_reports_the_database_and_region_count(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var health = await app.AnonymousClient().GetFromJsonAsync<JsonElement>("/health");
        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal(provider.ToString(), health.GetProperty("database").GetString());
        Assert.Equal(37 + 514 + 241 + 3258, health.GetProperty("regions").GetInt32());
    }

    [Fact]
    public async Task Home_page_shows_the_region_tree_counts_in_Indonesian()
    {
        await using var app = await PantauApp.StartAsync();
        var html = await app.AnonymousClient().GetStringAsync("/");
        Assert.Contains("<html lang=\"id\">", html);
        Assert.Contains("data-count=\"kecamatan\">241<", html);
        Assert.Contains("data-count=\"desa\">3.258<", html);
        Assert.Contains("data-count=\"tps\">13.206<", html);
        Assert.Contains("data-count=\"dpt\">6.382.739", html);
        Assert.Contains("sintetis", html);
        var english = await app.AnonymousClient().GetStringAsync("/?lang=en");
        Assert.Contains("<html lang=\"en\">", english);
        Assert.Contains("synthetic", english);
    }

    [Fact]
    public async Task Region_api_drills_down_with_tps_and_dpt()
    {
        await using var app = await PantauApp.StartAsync();
        var client = app.AnonymousClient();
        var province = await client.GetFromJsonAsync<JsonElement>("/api/regions/16");
        var children = province.GetProperty("children").EnumerateArray().ToList();
        Assert.Equal(17, children.Count);
        Assert.Equal(13206, children.Sum(c => c.GetProperty("tps").GetInt32()));
        Assert.Equal(6_382_739, children.Sum(c => c.GetProperty("dpt").GetInt64()));
        var tps = await client.GetFromJsonAsync<JsonElement>("/api/regions/16.71.01.1001/tps");
        Assert.True(tps.GetArrayLength() > 0);
        Assert.All(tps.EnumerateArray(), t => Assert.StartsWith("1671011001", t.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task Bad_input_gets_problem_details()
    {
        await using var app = await PantauApp.StartAsync();
        var client = app.AnonymousClient();
        var bad = await client.GetAsync("/api/regions/16.7x");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        var missing = await client.GetAsync("/api/regions/16.99");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var shortQuery = await client.GetAsync("/api/regions/search?q=a");
        Assert.Equal(HttpStatusCode.BadRequest, shortQuery.StatusCode);
    }

    [Fact]
    public async Task Search_finds_regions_by_name_and_code()
    {
        await using var app = await PantauApp.StartAsync();
        var client = app.AnonymousClient();
        var byName = await client.GetFromJsonAsync<JsonElement>("/api/regions/search?q=palembang&within=16");
        Assert.Contains(byName.EnumerateArray(), r => r.GetProperty("code").GetString() == "16.71");
        var byCode = await client.GetFromJsonAsync<JsonElement>("/api/regions/search?q=1671011");
        Assert.All(byCode.EnumerateArray(), r => Assert.StartsWith("16.71.01.1", r.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task Boundaries_are_served_filtered_by_parent()
    {
        await using var app = await PantauApp.StartAsync();
        var geo = await app.AnonymousClient().GetFromJsonAsync<JsonElement>("/api/geo/kecamatan?parent=16.71");
        var features = geo.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(18, features.Count);
        Assert.All(features, f => Assert.StartsWith("16.71.", f.GetProperty("properties").GetProperty("code").GetString()));
    }

    [Fact]
    public async Task Responses_carry_security_headers()
    {
        await using var app = await PantauApp.StartAsync();
        var res = await app.AnonymousClient().GetAsync("/");
        Assert.Contains("script-src 'self'", res.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", res.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task Sign_in_with_wrong_password_fails_and_locks_out()
    {
        await using var app = await PantauApp.StartAsync();
        var (user, password) = await app.CreateUserAsync(Role.DeskProvinsi, "16");
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        async Task<HttpResponseMessage> Post(string pw)
        {
            var page = await client.GetStringAsync("/masuk");
            var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
            return await client.PostAsync("/masuk", new FormUrlEncodedContent(new Dictionary<string, string>
            { ["UserName"] = user.UserName!, ["Password"] = pw, ["__RequestVerificationToken"] = token }));
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await Post("wrong-password")).StatusCode);
        var ok = await Post(password);
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        var home = await client.GetStringAsync("/");
        Assert.Contains(user.UserName!, home);
        // Five failures lock the account, even against the right password.
        var other = await app.CreateUserAsync(Role.Camat, "16.71.01");
        user = other.User;
        client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        for (var i = 0; i < 5; i++) await Post("wrong-password");
        var locked = await Post(other.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);
        Assert.Contains("dikunci", await locked.Content.ReadAsStringAsync());
    }
}
