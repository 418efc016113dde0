using Pantau.Core.Text;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pantau.Core.Security;
using Pantau.Core.Tally;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;
using Pantau.Web.Tally;

namespace Pantau.Web.Tests.Security;

/// <summary>
/// Issue 20: what an outside probe broke (hostile and careless input on the tally intake). Each case is answered with a 4xx problem
/// (stable code) or its documented behaviour, nothing is stored by a refused request, and verify stays OK.
/// </summary>
public class HostileInputTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;
    private const string Gub = "PILGUB-16";

    private static async Task<List<string>> TpsIn(PantauApp app, string prefix, int take)
    {
        await using var db = app.NewDbContext();
        return await db.Tps.Where(t => t.DesaCode.StartsWith(prefix)).OrderBy(t => t.Code).Take(take).Select(t => t.Code).ToListAsync();
    }

    private static async Task<VerifyReport> Verify(PantauApp app)
    {
        using var scope = app.Services.CreateScope();
        var keys = scope.ServiceProvider.GetRequiredService<TallyKeys>();
        await using var db = app.NewDbContext();
        return await TallyVerifier.VerifyAsync(db, keys.Signer);
    }

    private static async Task<(long Log, long Versions)> Stored(PantauApp app)
    {
        await using var db = app.NewDbContext();
        return (await db.TallyLog.LongCountAsync(), await db.ResultVersions.LongCountAsync());
    }

    private static Task<HttpResponseMessage> PostRaw(HttpClient c, string json, string url = "/api/tally/sheets", string? key = null)
    {
        var req = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null) req.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return c.SendAsync(req);
    }

    private static string Json(CHasilSheet s, Action<Dictionary<string, object?>>? edit = null)
    {
        var d = TallySheets.ToJson(s);
        edit?.Invoke(d);
        return JsonSerializer.Serialize(d);
    }

    private static async Task AssertProblem(HttpResponseMessage res, int status, string? code = null)
    {
        var body = await res.Content.ReadAsStringAsync();
        Assert.True((int)res.StatusCode == status, $"expected {status}, got {(int)res.StatusCode}: {body}");
        Assert.StartsWith("application/problem+json", res.Content.Headers.ContentType?.MediaType ?? "");
        if (code is not null) Assert.Contains(code, body);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_vote_column_the_grammar_cannot_express_is_refused_and_verify_stays_ok(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var client = await app.ClientForAsync(Role.Admin, "");
        var tps = (await TpsIn(app, "16.71.01", 1))[0];
        var sheet = TallySheets.Valid(Gub, tps, new Dictionary<int, long> { [1] = 100, [2] = 80, [1001] = 1 });
        await AssertProblem(await PostRaw(client, Json(sheet)), 400);
        // The same through the batch: a per-item refusal, nothing stored.
        var batch = await PostRaw(client, "[" + Json(sheet) + "]", "/api/tally/batch");
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        var item = (await batch.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items")[0];
        Assert.Equal("rejected", item.GetProperty("outcome").GetString());
        Assert.Equal(tps, item.GetProperty("tps").GetString());
        Assert.Equal((0, 0), await Stored(app));
        // What the grammar can express is stored and verifies (an unknown but expressible paslon number is flagged, as before).
        var flagged = TallySheets.Valid(Gub, tps, new Dictionary<int, long> { [1] = 100, [2] = 80, [99] = 1 });
        Assert.Equal(HttpStatusCode.Accepted, (await PostRaw(client, Json(flagged))).StatusCode);
        var report = await Verify(app);
        Assert.True(report.Ok, report.FirstDivergence);
        Assert.Equal(1, report.Entries);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_batch_with_a_poisoned_item_answers_every_item_and_stores_the_rest(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var client = await app.ClientForAsync(Role.Admin, "");
        var tps = await TpsIn(app, "16.71", 540);
        Assert.Equal(540, tps.Count);
        var items = tps.Select((t, i) => i == 519
            ? Json(TallySheets.Valid(Gub, t, 120, 80, 40), d => d["votes"] = new Dictionary<string, long> { ["1"] = long.MaxValue, ["98"] = 5 })
            : Json(TallySheets.Valid(Gub, t, 120, 80, 40), d => d["idempotencyKey"] = "k" + i)).ToList();
        var res = await PostRaw(client, "[" + string.Join(",", items) + "]", "/api/tally/batch");
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        var body = await res.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(540, body.GetProperty("total").GetInt32());
        Assert.Equal(539, body.GetProperty("accepted").GetInt32());
        var bad = body.GetProperty("items")[519];
        Assert.Equal("rejected", bad.GetProperty("outcome").GetString());
        Assert.Equal(tps[519], bad.GetProperty("tps").GetString());
        Assert.Equal(Gub, bad.GetProperty("contest").GetString());
        Assert.Equal((539, 539), await Stored(app));
        var report = await Verify(app);
        Assert.True(report.Ok, report.FirstDivergence);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Overflowing_and_unencodable_values_are_4xx_never_5xx(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var client = await app.ClientForAsync(Role.Admin, "");
        var tps = (await TpsIn(app, "16.71.01", 2));
        var good = TallySheets.Valid(Gub, tps[0], 120, 80, 40);
        Assert.Equal(HttpStatusCode.Created, (await PostRaw(client, Json(good))).StatusCode);
        var before = await Stored(app);

        // Votes summing past Int64.
        await AssertProblem(await PostRaw(client, Json(good with { Tps = tps[1] }, d => d["votes"] = new Dictionary<string, long> { ["1"] = long.MaxValue, ["2"] = long.MaxValue })), 400);
        // A correction with a vote of long.MinValue (the large-change rule's Math.Abs).
        await AssertProblem(await PostRaw(client, Json(good, d => { d["votes"] = new Dictionary<string, long> { ["1"] = long.MinValue, ["2"] = 80, ["3"] = 40 }; d["reason"] = "salah hitung"; }),
            $"/api/tally/tps/{tps[0]}/{Gub}/corrections"), 400);
        // Lone UTF-16 surrogates in every kind of JSON string.
        var raw = Json(good with { Tps = tps[1] });
        foreach (var hostile in new[]
                 {
                     raw.Replace("\"PILGUB-16\"", "\"PILGUB-16\\ud800\""),
                     raw.Replace($"\"{tps[1]}\"", $"\"{tps[1]}\\udc00\""),
                     raw.Replace("\"suaraSah\"", "\"suara\\ud800Sah\""),
                     raw.Replace("\"suaraSah\":240", "\"suaraSah\":\"24\\ud8000\""),
                     raw.Replace("{\"contest\"", "{\"idempotencyKey\":\"a\\ud800b\",\"contest\""),
                 })
        {
            var res = await PostRaw(client, hostile);
            Assert.True((int)res.StatusCode is >= 400 and < 500, $"{(int)res.StatusCode} for {hostile[..80]}: {await res.Content.ReadAsStringAsync()}");
            var inBatch = await PostRaw(client, "[" + hostile + "]", "/api/tally/batch");
            Assert.True((int)inBatch.StatusCode is >= 200 and < 500, $"{(int)inBatch.StatusCode} in a batch");
        }
        Assert.Equal(before, await Stored(app));
        var report = await Verify(app);
        Assert.True(report.Ok, report.FirstDivergence);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Lengths_and_NUL_are_refused_before_the_database_on_both_providers(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var client = await app.ClientForAsync(Role.Admin, "");
        var tps = (await TpsIn(app, "16.71.01", 2));
        var good = TallySheets.Valid(Gub, tps[0], 120, 80, 40);
        await AssertProblem(await PostRaw(client, Json(good), key: new string('k', 150)), 400);
        await AssertProblem(await PostRaw(client, Json(good), key: "a\u0000b"), 400);
        Assert.Equal((0, 0), await Stored(app));
        Assert.Equal(HttpStatusCode.Created, (await PostRaw(client, Json(good))).StatusCode);
        var correction = $"/api/tally/tps/{tps[0]}/{Gub}/corrections";
        var changed = TallySheets.Valid(Gub, tps[0], 121, 79, 40);
        await AssertProblem(await PostRaw(client, Json(changed, d => d["reason"] = new string('r', 20_000)), correction), 400);
        await AssertProblem(await PostRaw(client, Json(changed, d => { d["reason"] = "salah"; d["beritaAcara"] = new string('b', 500); }), correction), 400);
        await AssertProblem(await PostRaw(client, Json(changed, d => d["reason"] = "salah\u0000hitung"), correction), 400);
        Assert.Equal((1, 1), await Stored(app));
        await AssertProblem(await PostRaw(client, Json(changed, d => d["reason"] = new string('r', TextRules.Reason + 1)), correction), 400);
        // At the documented limits exactly, both databases store the text whole (the column is as long as the rule).
        var reason = string.Concat(Enumerable.Repeat("salah hitung ", TextRules.Reason))[..TextRules.Reason];
        var ba = string.Concat(Enumerable.Repeat("BA/PPS/", 100))[..TextRules.BeritaAcara];
        Assert.Equal(HttpStatusCode.Created, (await PostRaw(client, Json(changed, d => { d["reason"] = reason; d["beritaAcara"] = ba; }), correction)).StatusCode);
        await using var db = app.NewDbContext();
        var stored = await db.ResultVersions.Where(v => v.TpsCode == tps[0] && v.VersionNo == 2).SingleAsync();
        Assert.Equal(reason, stored.Reason);
        Assert.Equal(ba, stored.BeritaAcara);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Counts_no_TPS_can_hold_are_refused_and_counters_never_wrap(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var client = await app.ClientForAsync(Role.Admin, "");
        var tps = await TpsIn(app, "16.71.01", 30);
        // Rule-consistent sheets of 3.5 x 10^17 votes: outside the grammar.
        foreach (var t in tps)
        {
            var huge = TallySheets.Valid(Gub, t, new Dictionary<int, long> { [1] = 350_000_000_000_000_000 }, dpt: 360_000_000_000_000_000);
            await AssertProblem(await PostRaw(client, Json(huge)), 400);
        }
        // Rule-consistent and inside the grammar, but far beyond the TPS's DPT (+ reserve + margin): refused as implausible.
        int masterDpt;
        await using (var db = app.NewDbContext()) masterDpt = await db.Tps.Where(t => t.Code == tps[0]).Select(t => t.Dpt).SingleAsync();
        var big = TallySheets.Valid(Gub, tps[0], new Dictionary<int, long> { [1] = 50_000, [2] = 40_000 }, dpt: 100_000);
        await AssertProblem(await PostRaw(client, Json(big)), 422, TallyGrammar.Implausible);
        Assert.Equal((0, 0), await Stored(app));
        // A sheet at the DPT of its TPS is fine.
        var fits = TallySheets.Valid(Gub, tps[0], new Dictionary<int, long> { [1] = masterDpt / 2, [2] = masterDpt / 4, [3] = masterDpt / 4 - 10 }, dpt: masterDpt);
        Assert.Equal(HttpStatusCode.Created, (await PostRaw(client, Json(fits))).StatusCode);
        var report = await Verify(app);
        Assert.True(report.Ok, report.FirstDivergence);
    }

    [Fact]
    public void Recap_sums_are_checked()
    {
        var t = new RecapTotals { SuaraSah = long.MaxValue - 1 };
        Assert.Throws<OverflowException>(() => t.Add(new RecapTotals { SuaraSah = 5 }));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Csv_columns_are_checked_and_every_answer_names_its_line(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var client = await app.ClientForAsync(Role.Admin, "");
        var tps = await TpsIn(app, "16.71.01", 3);
        async Task<HttpResponseMessage> Csv(string text) =>
            await client.PostAsync("/api/tally/batch", new StringContent(text, Encoding.UTF8, "text/csv"));
        string Row(CHasilSheet s, params string[] cols) => string.Join(",", cols.Select(c =>
            c == "contest" ? s.Contest : c == "tps" ? s.Tps : SheetFields.TryParseVoteField(c, out var n) ? (s.Votes.TryGetValue(n, out var v) ? v.ToString() : "") :
            SheetFields.Find(c) is { } f ? (f.Value(s)?.ToString() ?? "") : "0"));
        var fieldCols = SheetFields.Numeric.Select(f => f.Name).ToArray();

        // A misspelled column is refused with its name (before: ignored, and the sheet stored with 0).
        var misspelled = new[] { "contest", "tps", "p1", "p2", "p3" }.Concat(fieldCols.Select(c => c == "suaraSah" ? "suara_sah" : c)).ToArray();
        var s0 = TallySheets.Valid(Gub, tps[0], 120, 80, 40);
        var res = await Csv(string.Join(",", misspelled) + "\n" + Row(s0, [.. misspelled.Select(c => c == "suara_sah" ? "suaraSah" : c)]) + "\n");
        await AssertProblem(res, 400, "CSV_UNKNOWN_COLUMN");
        Assert.Contains("suara_sah", await res.Content.ReadAsStringAsync());
        // Empty and header-only files.
        await AssertProblem(await Csv(""), 400, "EMPTY_BATCH");
        await AssertProblem(await Csv("contest,tps,p1\n"), 400, "EMPTY_BATCH");
        Assert.Equal((0, 0), await Stored(app));

        // One file with p1..p4 carries the 3-paslon contest: an empty p4 is "not on this sheet".
        var cols = new[] { "contest", "tps", "p1", "p2", "p3", "p4" }.Concat(fieldCols).ToArray();
        var s1 = TallySheets.Valid(Gub, tps[1], 120, 80, 40);
        var s2 = TallySheets.Valid(Gub, tps[2], 100, 90, 50);
        var text = string.Join(",", cols) + "\n" + Row(s1, cols) + "\n" + Row(s2, cols).Replace(Gub, "NOPE-1") + "\n";
        res = await Csv(text);
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        var items = (await res.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items");
        Assert.Equal("accepted", items[0].GetProperty("outcome").GetString());
        Assert.Equal(2, items[0].GetProperty("line").GetInt32());
        Assert.Equal("rejected", items[1].GetProperty("outcome").GetString());
        Assert.Equal(3, items[1].GetProperty("line").GetInt32());
        Assert.Equal("NOPE-1", items[1].GetProperty("contest").GetString());
        Assert.Equal(tps[2], items[1].GetProperty("tps").GetString());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_whole_kab_kota_goes_in_one_request_as_csv_or_json_streamed_through_a_temporary_file(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var client = await app.ClientForAsync(Role.Admin, "");
        client.Timeout = TimeSpan.FromMinutes(10); // a shared CI machine
        // The kab/kota of Sumatera Selatan with the most TPS, every one of them.
        List<string> tps;
        await using (var db = app.NewDbContext())
        {
            var all = await db.Tps.Where(t => t.DesaCode.StartsWith("16.")).Select(t => new { t.Code, t.DesaCode }).ToListAsync();
            tps = all.GroupBy(t => t.DesaCode[..5]).OrderByDescending(g => g.Count()).First().Select(t => t.Code).Order().ToList();
        }
        Assert.True(tps.Count > 1500, $"{tps.Count} TPS");
        var spoolDir = Path.Combine(app.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Pantau:DataDir"]!, "tmp");
        var fields = SheetFields.Numeric.Select(f => f.Name).ToArray();
        var header = string.Join(",", new[] { "contest", "tps", "p1", "p2", "p3" }.Concat(fields));
        var sheets = tps.Select((t, i) => TallySheets.Valid(Gub, t, 100 + i % 50, 80, 40)).ToList();
        var csv = new StringBuilder(header).Append('\n');
        foreach (var sh in sheets)
            csv.Append(string.Join(",", new[] { sh.Contest, sh.Tps, sh.Votes[1].ToString(), sh.Votes[2].ToString(), sh.Votes[3].ToString() }
                .Concat(fields.Select(f => SheetFields.Find(f)!.Value(sh)?.ToString() ?? "")))).Append('\n');
        Assert.True(csv.Length > 150_000, $"{csv.Length} bytes");

        // Sent chunked (no Content-Length), as a streaming importer does: spooled to a temporary file whatever its size.
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        var req = new HttpRequestMessage(HttpMethod.Post, "/api/tally/batch") { Content = content };
        req.Headers.TransferEncodingChunked = true;
        var res = await client.SendAsync(req);
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        var answer = await res.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(tps.Count, answer.GetProperty("total").GetInt32());
        Assert.Equal(tps.Count, answer.GetProperty("accepted").GetInt32());
        var items = answer.GetProperty("items");
        Assert.Equal(tps.Count, items.GetArrayLength());
        for (var i = 0; i < tps.Count; i += 97)
        {
            Assert.Equal(i, items[i].GetProperty("index").GetInt32());
            Assert.Equal(i + 2, items[i].GetProperty("line").GetInt32());
            Assert.Equal(tps[i], items[i].GetProperty("tps").GetString());
        }

        // The same kab/kota again as one indented JSON array (as a script's json.dump(indent=2) sends it), above the in-memory
        // size: every item is the same sheet, so confirmed, in order.
        var json = JsonSerializer.Serialize(sheets.Select(sh => TallySheets.ToJson(sh)).ToList(), new JsonSerializerOptions { WriteIndented = true });
        Assert.True(json.Length > TallyModule.SpoolInMemoryBytes, $"{json.Length} bytes");
        res = await PostRaw(client, json, "/api/tally/batch");
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        answer = await res.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(tps.Count, answer.GetProperty("confirmed").GetInt32());
        Assert.Equal(tps[^1], answer.GetProperty("items")[tps.Count - 1].GetProperty("tps").GetString());
        // The temporary files are gone once answered; the counts and the log are those of one kab/kota.
        Assert.True(Directory.Exists(spoolDir), "the chunked body was spooled to the data folder's tmp");
        Assert.Empty(Directory.GetFiles(spoolDir, "pantau-batch-*.tmp"));
        Assert.Equal(((long)tps.Count, (long)tps.Count), await Stored(app));
        Assert.True((await Verify(app)).Ok);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_batch_above_the_1MB_JSON_cap_is_taken(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var client = await app.ClientForAsync(Role.Admin, "");
        client.Timeout = TimeSpan.FromMinutes(10); // a shared CI machine
        var tps = await TpsIn(app, "16", 2300);
        // Each item with its idempotency key of 100 characters, as a careful importer sends it.
        var json = "[" + string.Join(",", tps.Select((t, i) => Json(TallySheets.Valid(Gub, t, 120, 80, 40), d => d["idempotencyKey"] = i.ToString("D100")))) + "]";
        Assert.True(json.Length > 1024 * 1024, $"{json.Length} bytes");
        var res = await PostRaw(client, json, "/api/tally/batch");
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        Assert.Equal(2300, (await res.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_out_of_scope_handover_is_refused_for_its_scope_before_any_validation(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        string kec;
        await using (var db = app.NewDbContext())
            kec = await db.Regions.Where(r => r.Code.StartsWith("16.02.") && r.Code.Length == 8).OrderBy(r => r.Code).Select(r => r.Code).FirstAsync();
        var kpu = await app.ClientForAsync(Role.KpuOperator, "16.71");
        // Invalid in every other way (no time, no names, no lines): the answer is still the scope refusal.
        var res = await kpu.PostAsJsonAsync("/api/readiness/logistics/handovers", new { from = "16.02", to = kec, lines = Array.Empty<object>() });
        Assert.Equal(HttpStatusCode.Forbidden, res.StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_truncated_multipart_upload_is_a_4xx(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var client = await app.ClientForAsync(Role.Admin, "");
        foreach (var url in new[] { "/api/tally/photos" })
        {
            var body = "--XyZ\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"c.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n\u00ff\u00d8\u00ff\u00e0 partial";
            var content = new ByteArrayContent(Encoding.Latin1.GetBytes(body));
            content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=XyZ");
            var res = await client.PostAsync(url, content);
            Assert.True((int)res.StatusCode is >= 400 and < 500, $"{url}: {(int)res.StatusCode} {await res.Content.ReadAsStringAsync()}");
        }
        await using var db = app.NewDbContext();
        Assert.Equal(0, await db.Files.CountAsync());
    }
}
