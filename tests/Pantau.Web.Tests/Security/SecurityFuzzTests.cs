using System.Data.Common;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pantau.Core.Security;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tests.Security;

/// <summary>
/// Throws seeded random malformed requests (bad JSON, wrong types, huge and negative numbers, invalid codes, missing fields,
/// wrong content types) at every write endpoint of the API, enumerated from the app, with a valid national admin token:
/// no 5xx, and a rejected request changes no row in any table.
/// </summary>
public class SecurityFuzzTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;

    /// <summary>Requests per endpoint (<c>PANTAU_FUZZ_COUNT</c> to raise it locally).</summary>
    private static int PerEndpoint => int.TryParse(Environment.GetEnvironmentVariable("PANTAU_FUZZ_COUNT"), out var n) ? n : 10;

    [Theory, MemberData(nameof(Providers))]
    public async Task Malformed_requests_never_cause_5xx_or_partial_writes(DatabaseProvider provider)
    {
        // No scheduled jobs: their own writes (the first anomaly scan, job leases) would show up as a rejected request's changes.
        await using var app = await PantauApp.StartAsync(provider, settings: new Dictionary<string, string?> { ["Pantau:RunJobs"] = "false" });
        var client = await app.ClientForAsync(Role.Admin, "");
        var endpoints = EndpointCatalog.Mutating(app.Services).Where(e => e.IsApi && !e.IsPublicForm).ToList();
        Assert.NotEmpty(endpoints);
        var tables = TableNames(app);
        var rng = new Random(20241127);
        var failures = new List<string>();
        var sent = 0;
        foreach (var e in endpoints)
        {
            var fields = BodyFields(e, app.Services);
            for (var i = 0; i < PerEndpoint; i++)
            {
                // (NUL in a path is refused by Kestrel before routing; the in-process test server throws on it, so paths skip it.)
                var url = EndpointCatalog.Url(e, p => rng.Next(4) == 0 ? EndpointCatalog.DefaultValue(p) : Junk(rng).Replace("\u0000", ""));
                var (content, description) = Body(rng, fields);
                var before = await CountAsync(app, tables);
                var req = new HttpRequestMessage(new HttpMethod(e.Method == "*" ? "POST" : e.Method), url) { Content = content };
                if (rng.Next(10) == 0) req.Headers.TryAddWithoutValidation("Idempotency-Key", Junk(rng));
                HttpResponseMessage res;
                try { res = await client.SendAsync(req); }
                catch (Exception ex) { failures.Add($"{e} {url} {description}: {ex.GetType().Name} {ex.Message}"); continue; }
                sent++;
                var status = (int)res.StatusCode;
                if (status >= 500) failures.Add($"{e} {url} {description}: {status} {Trim(await res.Content.ReadAsStringAsync())}");
                else if (status >= 400)
                {
                    var after = await CountAsync(app, tables);
                    var changed = tables.Where(t => before[t] != after[t]).ToList();
                    if (changed.Count > 0) failures.Add($"{e} {url} {description}: rejected with {status} but changed {string.Join(", ", changed)}");
                }
                if (failures.Count > 20) break;
            }
        }
        Assert.True(sent >= endpoints.Count * PerEndpoint / 2, $"only {sent} requests sent");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static string Trim(string s) => s.Length > 300 ? s[..300] : s;

    private static List<string> TableNames(PantauApp app)
    {
        using var db = app.NewDbContext();
        return db.Model.GetEntityTypes().Select(t => t.GetTableName()).Where(n => n is not null).Select(n => n!).Distinct().OrderBy(n => n).ToList();
    }

    private static async Task<Dictionary<string, long>> CountAsync(PantauApp app, List<string> tables)
    {
        await using var db = app.NewDbContext();
        var conn = db.Database.GetDbConnection();
        await conn.OpenAsync();
        var sql = string.Join(" UNION ALL ", tables.Select((t, i) => $"SELECT {i}, COUNT(*) FROM \"{t}\""));
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        var result = new Dictionary<string, long>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) result[tables[Convert.ToInt32(r.GetValue(0))]] = Convert.ToInt64(r.GetValue(1));
        return result;
    }

    /// <summary>The properties of the endpoint's JSON body type (from the handler's parameters), to aim the fuzzing at real field names.</summary>
    private static List<(string Name, Type Type)> BodyFields(ApiEndpoint e, IServiceProvider services)
    {
        var isService = services.GetRequiredService<IServiceProviderIsService>();
        var body = e.Handler?.GetParameters().FirstOrDefault(p =>
            p.ParameterType.IsClass && p.ParameterType != typeof(string) && p.ParameterType != typeof(HttpContext)
            && !isService.IsService(p.ParameterType) && p.ParameterType.Namespace?.StartsWith("Pantau", StringComparison.Ordinal) == true);
        if (body is null) return [("code", typeof(string)), ("count", typeof(int)), ("id", typeof(int))];
        return Flatten(body.ParameterType, "", 0).ToList();
    }

    private static IEnumerable<(string, Type)> Flatten(Type t, string prefix, int depth)
    {
        foreach (var p in t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(p.Name);
            yield return (prefix + name, p.PropertyType);
        }
    }

    private static readonly string[] JunkStrings =
    [
        "", " ", "0", "-1", "99.99.99.9999", "16.71.01.2001.999", "16..71", "1e309", "NaN", "null", "true", "'; DROP TABLE \"Regions\"; --",
        "<script>alert(1)</script>", "../../etc/passwd", "%00", "\u0000", "🙂🙂", "16.71", "16.71.01", "16.71.01.2001", new string('9', 40), new string('x', 3000),
    ];

    private static string Junk(Random rng) => JunkStrings[rng.Next(JunkStrings.Length)];

    private static readonly object[] JunkValues =
    [
        -1, -2147483648, 2147483647, 2147483648L, long.MaxValue, 1e308, -0.5, 0, true, false, "", "abc", "16.71", new string('7', 30),
        new object[] { 1, 2, 3 }, new Dictionary<string, object> { ["x"] = 1 }, "2024-13-45", "NotARole", -999999999,
    ];

    private static (HttpContent? Content, string Description) Body(Random rng, List<(string Name, Type Type)> fields)
    {
        switch (rng.Next(12))
        {
            case 0: return (new StringContent("", Encoding.UTF8, "application/json"), "empty json");
            case 1: return (new StringContent("{\"" + fields[rng.Next(fields.Count)].Name + "\": ", Encoding.UTF8, "application/json"), "truncated json");
            case 2: return (new StringContent(Junk(rng), Encoding.UTF8, "text/plain"), "text/plain");
            case 3: return (new FormUrlEncodedContent(fields.ToDictionary(f => f.Name, _ => Junk(rng))), "form instead of json");
            case 4: return (new StringContent(new string('[', 2000) + new string(']', 2000), Encoding.UTF8, "application/json"), "deep nesting");
            case 5: return (null, "no body");
            case 6: return (new StringContent(rng.Next(3) switch { 0 => "null", 1 => "[]", _ => "12345678901234567890" }, Encoding.UTF8, "application/json"), "non-object json");
            case 7: return (new ByteArrayContent([0xFF, 0xFE, 0x00, 0x01, 0x80]) { Headers = { ContentType = new("application/json") } }, "invalid utf-8");
            default:
            {
                // An object with the real field names: some missing, some of the wrong type, huge or negative.
                var obj = new Dictionary<string, object?>();
                foreach (var (name, _) in fields)
                {
                    var roll = rng.Next(4);
                    if (roll == 0) continue; // missing
                    obj[name] = roll == 1 ? null : JunkValues[rng.Next(JunkValues.Length)];
                }
                var json = JsonSerializer.Serialize(obj);
                return (new StringContent(json, Encoding.UTF8, "application/json"), Trim(json));
            }
        }
    }
}
