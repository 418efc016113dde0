using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Security;
using Pantau.TestKit;

namespace Pantau.Web.Tests;

/// <summary>
/// Issue 24.7: an empty submission is refused with a message on every form of every page. The test walks every page of the tour as
/// each role that may change something, finds each POST form on it, and sends it as a person who filled in nothing (only the form's
/// hidden fields, such as the record it acts on, and the antiforgery token). Each must answer a readable page (400 or 422, an alert
/// in the page's language) and write nothing (the audit trail, which every change goes through, does not grow).
/// </summary>
public partial class EmptySubmissionTests
{
    [GeneratedRegex("<form\\b([^>]*)>(.*?)</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex FormRegex();

    [GeneratedRegex("<input\\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InputRegex();

    [GeneratedRegex("\\b(name|value|type|action|method)=\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex AttrRegex();

    private static Dictionary<string, string> Attrs(string tag) =>
        AttrRegex().Matches(tag).GroupBy(m => m.Groups[1].Value.ToLowerInvariant()).ToDictionary(g => g.Key, g => WebUtility.HtmlDecode(g.First().Groups[2].Value));

    /// <summary>Forms where sending nothing is itself a meaningful choice, not an empty submission.</summary>
    private static readonly string[] Meaningful =
    [
        "/keluar",                      // sign out
        "/notifikasi?handler=Read",     // mark everything read
        "/notifikasi?handler=Preferences", // no channel ticked = no notifications: a valid preference
    ];

    private static readonly (Role Role, string Scope)[] Roles =
    [
        (Role.Public, "-"), (Role.DeskProvinsi, "16"), (Role.DeskKabKota, "16.71"), (Role.Admin, "16"), (Role.KpuOperator, "16.71"),
        (Role.Bawaslu, "16"), (Role.Police, "16"),
    ];

    [Fact]
    public async Task Every_form_sent_empty_is_refused_with_a_message_and_writes_nothing()
    {
        await using var app = await PantauApp.StartAsync(settings: PageTour.Settings);
        var tour = await PageTour.PrepareAsync(app);
        var clients = new Dictionary<(Role, string), HttpClient>();
        var seen = new HashSet<string>();
        var problems = new List<string>();
        var tried = new List<string>();
        foreach (var path in tour.Stops.Select(s => s.Path).Distinct())
            foreach (var (role, scope) in Roles)
            {
                if (!clients.TryGetValue((role, scope), out var client))
                    clients[(role, scope)] = client = role == Role.Public ? app.AnonymousClient() : await app.ClientForAsync(role, scope);
                var get = await client.GetAsync(path);
                if (get.StatusCode != HttpStatusCode.OK) continue;
                var html = await get.Content.ReadAsStringAsync();
                foreach (Match f in FormRegex().Matches(html))
                {
                    var form = Attrs(f.Groups[1].Value);
                    if (!form.TryGetValue("method", out var method) || !method.Equals("post", StringComparison.OrdinalIgnoreCase)) continue;
                    var action = form.TryGetValue("action", out var a) && a.Length > 0 ? a : path;
                    if (Meaningful.Any(m => action.EndsWith(m, StringComparison.Ordinal))) continue;
                    // A form of buttons only (run the check, sign out, disable this account) has nothing a person fills in.
                    var visible = InputRegex().Matches(f.Groups[2].Value).Select(i => Attrs(i.Value).GetValueOrDefault("type") ?? "text")
                        .Count(t => t is not ("hidden" or "submit" or "button")) + Regex.Matches(f.Groups[2].Value, "<(select|textarea)\\b").Count;
                    if (visible == 0) continue;
                    var fields = new List<KeyValuePair<string, string>>();
                    foreach (Match i in InputRegex().Matches(f.Groups[2].Value))
                    {
                        var input = Attrs(i.Value);
                        if (input.GetValueOrDefault("type") == "hidden" && input.TryGetValue("name", out var n) && n != "Labels")
                            fields.Add(new(n, input.GetValueOrDefault("value") ?? ""));
                    }
                    // One try per form kind: the same form on another record or for another role adds nothing.
                    var kind = Regex.Replace(action, "[0-9a-f]{8}-[0-9a-f-]{27}|\\d+", "#") + " " + string.Join(",", fields.Select(x => x.Key).Where(k => k != "__RequestVerificationToken").Order());
                    if (!seen.Add(kind)) continue;
                    long before;
                    await using (var db = app.NewDbContext()) before = await db.AuditEntries.CountAsync();
                    var res = await client.PostAsync(action, new FormUrlEncodedContent(fields));
                    var body = await res.Content.ReadAsStringAsync();
                    long after;
                    await using (var db = app.NewDbContext()) after = await db.AuditEntries.CountAsync();
                    var where = $"{action} on {path} as {role}";
                    tried.Add(where);
                    if (res.StatusCode is not (HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity))
                        problems.Add($"{where}: {(int)res.StatusCode} {res.Headers.Location} {Regex.Match(body, "role=\"alert\"[^>]*>([^<]{0,200})").Groups[1].Value}");
                    else if (!body.Contains("role=\"alert\"", StringComparison.Ordinal) || !body.Contains("<html lang=\"id\"", StringComparison.Ordinal))
                        problems.Add($"{where}: {(int)res.StatusCode} without a message on an Indonesian page");
                    if (after != before) problems.Add($"{where}: wrote {after - before} audited change(s)");
                }
            }
        Assert.True(tried.Count >= 25, $"only {tried.Count} forms found: {string.Join("; ", tried)}");
        Assert.True(problems.Count == 0, $"{problems.Count} of {tried.Count} forms:\n" + string.Join("\n", problems));
    }
}
