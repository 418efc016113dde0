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
/// Issue 20 "Done when": a seeded campaign of at least 20,000 malformed requests (bad and truncated JSON, wrong types, numbers past
/// Int64, lone UTF-16 surrogates, NUL, huge strings, missing fields, random bytes, wrong content types, truncated multipart) spread
/// evenly over every write endpoint of the API, enumerated from the app's endpoint data source (so a new endpoint is fuzzed without
/// editing this test), with a valid national admin token: no 5xx, a refused request changes no row in any table (every table's row
/// count, which includes the audit trail and the tally log, compared before and after it), and verify is OK afterwards.
/// </summary>
public class SecurityFuzzTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;

    /// <summary>Requests per database (<c>PANTAU_FUZZ_REQUESTS</c> to change it locally); at least 20,000 in CI.</summary>
    private static int Budget => int.TryParse(Environment.GetEnvironmentVariable("PANTAU_FUZZ_REQUESTS"), out var n) ? n : 20_000;

    [Theory, MemberData(nameof(Providers))]
    public async Task Malformed_requests_never_cause_5xx_or_partial_writes(DatabaseProvider provider)
    {
        // No scheduled jobs: their own writes (the first anomaly scan, job leases) would show up as a rejected request's changes.
        await using var app = await PantauApp.StartAsync(provider, settings: new Dictionary<string, string?>
        {
            ["Pantau:RunJobs"] = "false", ["Pantau:Notifications:Enabled"] = "false",
        });
        var client = await app.ClientForAsync(Role.Admin, "");
        var endpoints = EndpointCatalog.Mutating(app.Services).Where(e => e.IsApi && !e.IsPublicForm).ToList();
        Assert.NotEmpty(endpoints);
        var perEndpoint = (Budget + endpoints.Count - 1) / endpoints.Count;
        var tables = TableNames(app);
        var rng = new Random(20241127);
        var failures = new List<string>();
        var sent = 0;
        var refused = 0;
        await using var counter = await WriteCounter.InstallAsync(app, tables);
        var writes = await counter.WritesAsync();
        var counts = await counter.CountsAsync();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        foreach (var e in endpoints)
        {
            var fields = BodyFields(e, app.Services);
            for (var i = 0; i < perEndpoint; i++)
            {
                // (NUL in a path is refused by Kestrel before routing; the in-process test server throws on it, so paths skip it.)
                var url = EndpointCatalog.Url(e, p => rng.Next(4) switch
                {
                    0 => EndpointCatalog.DefaultValue(p),
                    1 => rng.Next(1, 4).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    _ => Junk(rng).Replace("\u0000", ""),
                });
                var (content, description) = Body(rng, fields);
                var req = new HttpRequestMessage(new HttpMethod(e.Method == "*" ? "POST" : e.Method), url) { Content = content };
                if (rng.Next(10) == 0) req.Headers.TryAddWithoutValidation("Idempotency-Key", Junk(rng));
                HttpResponseMessage res;
                try { res = await client.SendAsync(req); }
                catch (Exception ex) { failures.Add($"{e} {url} {description}: {ex.GetType().Name} {ex.Message}"); continue; }
                sent++;
                var status = (int)res.StatusCode;
                var nowWrites = await counter.WritesAsync();
                if (status >= 500) failures.Add($"{e} {url} {description}: {status} {Trim(await res.Content.ReadAsStringAsync())}");
                if (status >= 400) refused++;
                if (nowWrites != writes)
                {
                    var nowCounts = await counter.CountsAsync();
                    if (status >= 400)
                    {
                        var changed = tables.Where(t => counts[t] != nowCounts[t]).ToList();
                        failures.Add($"{e} {url} {description}: rejected with {status} but wrote {nowWrites - writes} rows ({string.Join(", ", changed)})");
                    }
                    counts = nowCounts;
                    writes = nowWrites;
                }
                if (failures.Count > 30) break;
            }
            if (failures.Count > 30) break;
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(sent >= Budget, $"only {sent} requests sent");
        Assert.True(refused > sent / 2, $"only {refused} of {sent} refused: the fuzzing does not reach the validation");
        using var scope = app.Services.CreateScope();
        await using var db = app.NewDbContext();
        var report = await Pantau.Web.Tally.TallyVerifier.VerifyAsync(db, scope.ServiceProvider.GetRequiredService<Pantau.Web.Tally.TallyKeys>().Signer);
        Assert.True(report.Ok, report.FirstDivergence);
        File.AppendAllText(Path.Combine(Path.GetTempPath(), "pantau-fuzz.txt"), $"fuzz {provider}: {sent} requests over {endpoints.Count} endpoints, {refused} refused, {watch.Elapsed.TotalSeconds:0}s\n");
    }

    private static string Trim(string s) => s.Length > 300 ? s[..300] : s;

    private static List<string> TableNames(PantauApp app)
    {
        using var db = app.NewDbContext();
        return db.Model.GetEntityTypes().Select(t => t.GetTableName()).Where(n => n is not null).Select(n => n!).Distinct().OrderBy(n => n).ToList();
    }

    /// <summary>
    /// Detects any write: a row trigger on every table of the model (insert, update, delete) bumps a counter in a table of the test's
    /// own, in the writing transaction, so a write that was rolled back leaves it unchanged and a committed one (even an update, which a
    /// row count would miss) moves it. Read per request on one open connection; the row counts of every table name the tables changed.
    /// </summary>
    private sealed class WriteCounter : IAsyncDisposable
    {
        private readonly Data.PantauDbContext _db;
        private readonly DbCommand _read;
        private readonly DbCommand _counts;
        private readonly List<string> _tables;

        private WriteCounter(Data.PantauDbContext db, List<string> tables)
        {
            _db = db;
            _tables = tables;
            var conn = db.Database.GetDbConnection();
            _read = conn.CreateCommand();
            _read.CommandText = "SELECT n FROM fuzz_writes";
            _counts = conn.CreateCommand();
            _counts.CommandText = string.Join(" UNION ALL ", tables.Select((t, i) => $"SELECT {i}, COUNT(*) FROM \"{t}\""));
        }

        public static async Task<WriteCounter> InstallAsync(PantauApp app, List<string> tables)
        {
            var db = app.NewDbContext();
            await db.Database.OpenConnectionAsync();
            var sql = new StringBuilder();
            if (db.Database.IsNpgsql())
            {
                sql.Append("CREATE TABLE fuzz_writes(n bigint NOT NULL); INSERT INTO fuzz_writes VALUES (0);");
                sql.Append("CREATE FUNCTION fuzz_count() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE fuzz_writes SET n = n + 1; RETURN NULL; END $$;");
                foreach (var t in tables)
                    sql.Append($"CREATE TRIGGER fuzz_w AFTER INSERT OR UPDATE OR DELETE ON \"{t}\" FOR EACH ROW EXECUTE FUNCTION fuzz_count();");
            }
            else
            {
                sql.Append("CREATE TABLE fuzz_writes(n INTEGER NOT NULL); INSERT INTO fuzz_writes VALUES (0);");
                foreach (var t in tables)
                    foreach (var op in (string[])["INSERT", "UPDATE", "DELETE"])
                        sql.Append($"CREATE TRIGGER \"fuzz_{op}_{t}\" AFTER {op} ON \"{t}\" BEGIN UPDATE fuzz_writes SET n = n + 1; END;");
            }
            await using (var cmd = db.Database.GetDbConnection().CreateCommand())
            {
                cmd.CommandText = sql.ToString();
                await cmd.ExecuteNonQueryAsync();
            }
            return new WriteCounter(db, tables);
        }

        public async Task<long> WritesAsync() => Convert.ToInt64(await _read.ExecuteScalarAsync());

        public async Task<Dictionary<string, long>> CountsAsync()
        {
            var result = new Dictionary<string, long>();
            await using var r = await _counts.ExecuteReaderAsync();
            while (await r.ReadAsync()) result[_tables[Convert.ToInt32(r.GetValue(0))]] = Convert.ToInt64(r.GetValue(1));
            return result;
        }

        public async ValueTask DisposeAsync()
        {
            await _read.DisposeAsync();
            await _counts.DisposeAsync();
            await _db.DisposeAsync();
        }
    }

    /// <summary>The properties of the endpoint's JSON body type (from the handler's parameters), to aim the fuzzing at real field names.</summary>
    private static List<(string Name, Type Type)> BodyFields(ApiEndpoint e, IServiceProvider services)
    {
        var isService = services.GetRequiredService<IServiceProviderIsService>();
        var body = e.Handler?.GetParameters().FirstOrDefault(p =>
            p.ParameterType.IsClass && p.ParameterType != typeof(string) && p.ParameterType != typeof(HttpContext)
            && !isService.IsService(p.ParameterType) && p.ParameterType.Namespace?.StartsWith("Pantau", StringComparison.Ordinal) == true);
        if (body is null) return [("code", typeof(string)), ("count", typeof(int)), ("id", typeof(int))];
        var fields = Flatten(body.ParameterType, "", 0).ToList();
        return fields.Count > 0 ? fields : [("code", typeof(string)), ("count", typeof(int)), ("id", typeof(int))];
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

    /// <summary>Raw JSON string literals no serializer would write: a lone surrogate, NUL, a huge string, a number as a string past Int64.</summary>
    private static readonly string[] HostileJsonStrings =
    [
        "\"\\ud800\"", "\"x\\udc00y\"", "\"a\\u0000b\"", "\"" + new string('y', 70_000) + "\"", "\"99999999999999999999\"", "\"-9223372036854775808\"",
    ];

    /// <summary>Raw JSON numbers past what the fields can hold.</summary>
    private static readonly string[] HostileJsonNumbers =
    [
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "1e400", "-1e400", "123456789012345678901234567890", "0.5", "-0", "2147483648",
    ];

    private static string RawValue(Random rng) => rng.Next(3) switch
    {
        0 => HostileJsonStrings[rng.Next(HostileJsonStrings.Length)],
        1 => HostileJsonNumbers[rng.Next(HostileJsonNumbers.Length)],
        _ => JsonSerializer.Serialize(JunkValues[rng.Next(JunkValues.Length)]),
    };

    private static string RawObject(Random rng, List<(string Name, Type Type)> fields)
    {
        var sb = new StringBuilder("{");
        var first = true;
        foreach (var (name, _) in fields)
        {
            if (rng.Next(4) == 0) continue; // missing
            if (!first) sb.Append(',');
            first = false;
            sb.Append('"').Append(name).Append("\":").Append(rng.Next(6) == 0 ? "{\"1\":" + RawValue(rng) + "}" : RawValue(rng));
        }
        return sb.Append('}').ToString();
    }

    private static byte[] RandomBytes(Random rng)
    {
        var b = new byte[rng.Next(1, 600)];
        rng.NextBytes(b);
        return b;
    }

    private static HttpContent TruncatedMultipart(Random rng)
    {
        const string boundary = "fuzzboundary42";
        var full = $"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"c-hasil.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n" +
                   new string('J', 2000) + $"\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nx\r\n--{boundary}--\r\n";
        var bytes = Encoding.ASCII.GetBytes(full);
        var content = new ByteArrayContent(bytes, 0, rng.Next(1, bytes.Length));
        content.Headers.TryAddWithoutValidation("Content-Type", rng.Next(4) == 0 ? "multipart/form-data" : $"multipart/form-data; boundary={boundary}");
        return content;
    }

    private static (HttpContent? Content, string Description) Body(Random rng, List<(string Name, Type Type)> fields)
    {
        switch (rng.Next(20))
        {
            case 0: return (new StringContent("", Encoding.UTF8, "application/json"), "empty json");
            case 1: return (new StringContent("{\"" + fields[rng.Next(fields.Count)].Name + "\": ", Encoding.UTF8, "application/json"), "truncated json");
            case 2: return (new StringContent(Junk(rng), Encoding.UTF8, "text/plain"), "text/plain");
            case 3: return (new FormUrlEncodedContent(fields.ToDictionary(f => f.Name, _ => Junk(rng))), "form instead of json");
            case 4: return (new StringContent(new string('[', 2000) + new string(']', 2000), Encoding.UTF8, "application/json"), "deep nesting");
            case 5: return (null, "no body");
            case 6: return (new StringContent(rng.Next(3) switch { 0 => "null", 1 => "[]", _ => "12345678901234567890" }, Encoding.UTF8, "application/json"), "non-object json");
            case 7: return (new ByteArrayContent([0xFF, 0xFE, 0x00, 0x01, 0x80]) { Headers = { ContentType = new("application/json") } }, "invalid utf-8");
            case 8:
            {
                var type = rng.Next(4) switch { 0 => "application/json", 1 => "text/csv", 2 => "application/octet-stream", _ => "application/xml" };
                return (new ByteArrayContent(RandomBytes(rng)) { Headers = { ContentType = new(type) } }, "random bytes as " + type);
            }
            case 9: return (TruncatedMultipart(rng), "truncated multipart");
            case 10:
            {
                var json = RawObject(rng, fields);
                return (new StringContent(json[..rng.Next(1, json.Length)], Encoding.UTF8, "application/json"), "truncated object");
            }
            case 11: return (new StringContent("[" + RawObject(rng, fields) + "," + RawObject(rng, fields) + "]", Encoding.UTF8, "application/json"), "array of hostile objects");
            case 12 or 13 or 14:
            {
                var json = RawObject(rng, fields);
                return (new StringContent(json, Encoding.UTF8, "application/json"), "hostile " + Trim(json));
            }
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
