using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pantau.Core.Security;
using Pantau.Core.Tally;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;
using Pantau.Web.Tally;
using Pantau.Web.Tally.PublicLog;

namespace Pantau.Web.Tests;

/// <summary>
/// Issue 23 end to end: real intake on a live server, receipts, checkpoints, a witness and the independent Python verifier
/// (verifier/pantau_verify.py) against the server and against copies of the log altered behind the application.
/// </summary>
public class PublicLogTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;
    private const string Gub = "PILGUB-16";

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Pantau.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    internal static (int Code, string Out, string Err) Python(params string[] args)
    {
        var psi = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoRoot() };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(3))) { p.Kill(true); throw new TimeoutException("python3 " + string.Join(' ', args)); }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    private static string Verifier => Path.Combine(RepoRoot(), "verifier", "pantau_verify.py");

    private static async Task<List<(string Code, string Desa)>> TpsIn(PantauApp app, string prefix, int take)
    {
        await using var db = app.NewDbContext();
        return (await db.Tps.Where(t => t.DesaCode.StartsWith(prefix)).OrderBy(t => t.Code).Take(take).Select(t => new { t.Code, t.DesaCode }).ToListAsync())
            .Select(t => (t.Code, t.DesaCode)).ToList();
    }

    [Fact]
    public void The_verifiers_own_unit_tests_pass()
    {
        var (code, _, err) = Python("-m", "unittest", "discover", "-s", "verifier", "-p", "test_*.py");
        Assert.True(code == 0, err);
        Assert.Contains("OK", err, StringComparison.Ordinal);
    }

    /// <summary>
    /// Property test across the two implementations: for random tree sizes, the roots, inclusion proofs and consistency proofs that
    /// the server's code (Pantau.Core Merkle, CompactMerkleTree) computes are checked by the independent verifier's own functions
    /// (pantau_verify.StreamingTree, verify_inclusion, verify_consistency), and each proof with one hash altered must be refused.
    /// </summary>
    [Fact]
    public void Server_proofs_for_random_tree_sizes_verify_with_the_independent_verifiers_own_functions()
    {
        var rnd = new Random(23);
        var vectors = new JsonArray();
        foreach (var n in Enumerable.Range(1, 40).Concat(Enumerable.Range(0, 25).Select(_ => rnd.Next(41, 5000))))
        {
            var tree = new CompactMerkleTree();
            var leaves = Enumerable.Range(0, n).Select(i => Merkle.LeafHash($"P1|{i + 1}|entry of a tree of {n}")).ToList();
            foreach (var l in leaves) tree.Append(l);
            var root = Merkle.Root(tree, n);
            var inclusion = new JsonArray();
            foreach (var i in new[] { 0, n - 1, rnd.Next(n), rnd.Next(n) }.Distinct())
                inclusion.Add(new JsonObject
                {
                    ["index"] = i, ["leaf"] = Convert.ToHexStringLower(leaves[i]),
                    ["path"] = new JsonArray([.. Merkle.InclusionProof(tree, i, n).Select(h => (JsonNode)Convert.ToHexStringLower(h))]),
                });
            var consistency = new JsonArray();
            foreach (var m in new[] { 1, n, rnd.Next(1, n + 1), rnd.Next(1, n + 1) }.Distinct())
                consistency.Add(new JsonObject
                {
                    ["m"] = m, ["oldRoot"] = Convert.ToHexStringLower(Merkle.Root(tree, m)),
                    ["path"] = new JsonArray([.. Merkle.ConsistencyProof(tree, m, n).Select(h => (JsonNode)Convert.ToHexStringLower(h))]),
                });
            vectors.Add(new JsonObject
            {
                ["n"] = n, ["leaves"] = new JsonArray([.. leaves.Select(h => (JsonNode)Convert.ToHexStringLower(h))]),
                ["root"] = Convert.ToHexStringLower(root), ["inclusion"] = inclusion, ["consistency"] = consistency,
            });
        }
        var file = Path.Combine(Directory.CreateTempSubdirectory("pantau-vectors-").FullName, "vectors.json");
        File.WriteAllText(file, vectors.ToJsonString());
        const string check = """
            import json, sys
            sys.path.insert(0, "verifier")
            import pantau_verify as pv
            def flip(h):
                b = bytearray(h); b[0] ^= 1; return bytes(b)
            count = 0
            for v in json.load(open(sys.argv[1])):
                n, root = v["n"], bytes.fromhex(v["root"])
                t = pv.StreamingTree()
                for h in v["leaves"]:
                    t.append(bytes.fromhex(h))
                assert t.root() == root, "root of %d" % n
                for p in v["inclusion"]:
                    path, leaf = [bytes.fromhex(h) for h in p["path"]], bytes.fromhex(p["leaf"])
                    assert pv.verify_inclusion(p["index"], n, leaf, path, root), "inclusion %d in %d" % (p["index"], n)
                    assert not pv.verify_inclusion(p["index"], n, flip(leaf), path, root)
                    for k in range(len(path)):
                        assert not pv.verify_inclusion(p["index"], n, leaf, path[:k] + [flip(path[k])] + path[k + 1:], root), "altered inclusion accepted"
                    count += 1
                for c in v["consistency"]:
                    m, old, path = c["m"], bytes.fromhex(c["oldRoot"]), [bytes.fromhex(h) for h in c["path"]]
                    assert pv.verify_consistency(m, n, old, root, path), "consistency %d -> %d" % (m, n)
                    if m < n:
                        assert not pv.verify_consistency(m, n, flip(old), root, path), "altered old root accepted"
                        for k in range(len(path)):
                            assert not pv.verify_consistency(m, n, old, root, path[:k] + [flip(path[k])] + path[k + 1:]), "altered consistency accepted"
                    count += 1
            print("checked", count)
            """;
        var (code, stdout, err) = Python("-c", check, file);
        Assert.True(code == 0, err);
        Assert.Matches("^checked [0-9]{3,}", stdout);
    }

    [Fact]
    public async Task The_independent_verifier_confirms_a_live_server_and_finds_every_alteration_of_a_copy()
    {
        var (app, url) = await LiveServer.StartAsync();
        await using var _ = app;
        var tps = await TpsIn(app, "16.71.01", 4);
        var kpps = await app.ClientForAsync(Role.KppsOperator, "16.71.01");
        var admin = await app.ClientForAsync(Role.Admin, "");
        var anon = app.AnonymousClient();
        var regional = await app.ClientForAsync(Role.Admin, "16");
        foreach (var c in new[] { kpps, admin, anon, regional }) c.BaseAddress = new Uri(url); // the live server (Kestrel)

        // Intake: single sheets and a batch; every acknowledged sheet carries a receipt.
        var receipts = new List<JsonElement>();
        for (var i = 0; i < 2; i++)
        {
            var res = await kpps.PostAsJsonAsync("/api/tally/sheets", TallySheets.ToJson(TallySheets.Valid(Gub, tps[i].Code, 120 + i, 80, 40)));
            Assert.Equal(HttpStatusCode.Created, res.StatusCode);
            receipts.Add((await res.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("receipt"));
        }
        var batch = await (await kpps.PostAsJsonAsync("/api/tally/batch", new[]
        {
            TallySheets.ToJson(TallySheets.Full(Gub, tps[2].Code, 90, 100, 50)),
            TallySheets.ToJson(TallySheets.Valid(Gub, tps[3].Code, 10, 20, 30)),
        })).Content.ReadFromJsonAsync<JsonElement>();
        foreach (var item in batch.GetProperty("items").EnumerateArray()) receipts.Add(item.GetProperty("receipt"));
        Assert.Equal([1L, 2, 3, 4], receipts.Select(r => r.GetProperty("seq").GetInt64()));
        Assert.All(receipts, r => Assert.Matches("^[0-9]+-[0-9A-F]{8}$", r.GetProperty("code").GetString()!));
        Assert.Equal(tps[2].Code, receipts[2].GetProperty("tps").GetString());
        // The same sheet sent again is confirmed, and its receipt (looked up from the stored entry) is the one the intake gave.
        var again = await kpps.PostAsJsonAsync("/api/tally/batch", new[] { TallySheets.ToJson(TallySheets.Valid(Gub, tps[3].Code, 10, 20, 30)) });
        var againItem = (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items")[0];
        Assert.Equal("confirmed", againItem.GetProperty("outcome").GetString());
        Assert.Equal(receipts[3].GetProperty("code").GetString(), againItem.GetProperty("receipt").GetProperty("code").GetString());
        Assert.Equal(receipts[3].GetProperty("leafHash").GetString(), againItem.GetProperty("receipt").GetProperty("leafHash").GetString());

        // Not checkable before a checkpoint; a checkpoint signs the tree; the receipt's proof then verifies here too.
        var early = await (await anon.GetAsync($"/api/tally/receipts/{receipts[0].GetProperty("code").GetString()}")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(early.GetProperty("included").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/tally/checkpoints", null)).StatusCode);

        // A witness registers (national admin) and countersigns after checking.
        var dir = Directory.CreateTempSubdirectory("pantau-publiclog-");
        var keyFile = Path.Combine(dir.FullName, "witness-key.json");
        var state = Path.Combine(dir.FullName, "witness-state.json");
        var (kc, pem, kerr) = Python(Verifier, "witness-keygen", keyFile);
        Assert.True(kc == 0, kerr);
        var reg = await admin.PostAsJsonAsync("/api/tally/log/witnesses", new { name = "witness.example.ac.id", organisation = "Universitas Contoh", publicKeyPem = pem });
        Assert.Equal(HttpStatusCode.Created, reg.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await regional.PostAsJsonAsync("/api/tally/log/witnesses", new { name = "x.example", organisation = "X", publicKeyPem = pem })).StatusCode);
        var w1 = Python(Verifier, "witness", url, "--key", keyFile, "--name", "witness.example.ac.id", "--state", state);
        Assert.True(w1.Code == 0, w1.Err);
        Assert.Contains("countersigned tree size 4", w1.Out, StringComparison.Ordinal);

        // A correction replaces the first sheet; the next checkpoint is consistent with the last one the witness holds.
        var corrected = await kpps.PostAsJsonAsync($"/api/tally/tps/{tps[0].Code}/{Gub}/corrections",
            TallySheets.ToJson(TallySheets.Valid(Gub, tps[0].Code, 119, 81, 40), reason: "salah jumlah di kolom 1"));
        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
        Assert.Equal(5, (await corrected.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("receipt").GetProperty("seq").GetInt64());
        await admin.PostAsync("/api/tally/checkpoints", null);
        var w2 = Python(Verifier, "witness", url, "--key", keyFile, "--name", "witness.example.ac.id", "--state", state);
        Assert.True(w2.Code == 0, w2.Err);
        Assert.Contains("countersigned tree size 5", w2.Out, StringComparison.Ordinal);

        // The receipt of the replaced sheet: included, no longer counted, replaced by version 2 with its reason.
        var check = await (await anon.GetAsync($"/api/tally/receipts/{receipts[0].GetProperty("code").GetString()}")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(check.GetProperty("included").GetBoolean());
        Assert.False(check.GetProperty("countsNow").GetBoolean());
        Assert.Equal(2, check.GetProperty("countedVersionNo").GetInt32());
        var later = check.GetProperty("laterVersions")[0];
        Assert.Equal((2, 5L, "salah jumlah di kolom 1"), (later.GetProperty("versionNo").GetInt32(), later.GetProperty("logSeq").GetInt64(), later.GetProperty("reason").GetString()));
        var proof = check.GetProperty("proof");
        Assert.True(Merkle.VerifyInclusion(0, 5, Convert.FromHexString(receipts[0].GetProperty("leafHash").GetString()!),
            proof.GetProperty("path").EnumerateArray().Select(p => Convert.FromHexString(p.GetString()!)).ToList(), Convert.FromHexString(proof.GetProperty("rootHash").GetString()!)));
        Assert.Equal(1, check.GetProperty("checkpoint").GetProperty("cosignatures").GetArrayLength());
        var page = await anon.GetStringAsync($"/cek?kode={receipts[0].GetProperty("code").GetString()}");
        Assert.Contains("salah jumlah di kolom 1", page, StringComparison.Ordinal);
        Assert.Contains("id=\"cek-not-counted\"", page, StringComparison.Ordinal);
        var bad = await anon.GetAsync("/api/tally/receipts/1-00000000");
        Assert.Equal(HttpStatusCode.NotFound, bad.StatusCode);
        Assert.Contains("RECEIPT_MISMATCH", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // A forged countersignature is refused.
        var forged = await anon.PostAsJsonAsync("/api/tally/log/cosignatures", new { treeSize = 5, signatureLine = "\u2014 witness.example.ac.id " + Convert.ToBase64String(new byte[68]) });
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);

        var results = await anon.GetStringAsync($"/hasil/{Gub}/16");
        Assert.Contains("data-witnesses=\"1\"", results, StringComparison.Ordinal);
        Assert.Contains("dikonfirmasi oleh 1 saksi log", results, StringComparison.Ordinal);

        // The verifier against the live server: signatures, tree, witnesses, totals vs recap API and open data.
        var live = Python(Verifier, "verify", url, "--witness-state", state);
        Assert.True(live.Code == 0, live.Out + live.Err);
        Assert.Contains("OK: 5 entries", live.Out, StringComparison.Ordinal);
        Assert.Contains("1 confirmed the latest checkpoint", live.Out, StringComparison.Ordinal);
        Assert.Contains("consistency proofs: 1 pairs of consecutive checkpoints verify", live.Out, StringComparison.Ordinal);
        Assert.Matches("recap API: [1-9][0-9]* rows agree", live.Out);
        Assert.Contains("open data: 4 counted TPS sheets agree", live.Out, StringComparison.Ordinal);

        // Copies altered behind the application.
        var copy = Path.Combine(dir.FullName, "copy");
        var f = Python(Verifier, "fetch", url, copy);
        Assert.True(f.Code == 0, f.Err);
        var lines = ReadLog(copy);
        var checkpoints = JsonNode.Parse(File.ReadAllText(Path.Combine(copy, "checkpoints.json")))!.AsArray();
        Assert.Equal(5, lines.Count);
        Assert.Equal(2, checkpoints.Count);
        Assert.True(Python(Verifier, "verify", copy, "--witness-state", state).Code == 0);

        void Expect(string what, Action<string> alter, string message)
        {
            var d = Path.Combine(dir.FullName, what);
            CopyDir(copy, d);
            alter(d);
            var r = Python(Verifier, "verify", d, "--witness-state", state);
            Assert.True(r.Code == 1, $"{what}: exit {r.Code}\n{r.Out}\n{r.Err}");
            Assert.Contains(message, r.Err, StringComparison.Ordinal);
        }

        var vote = lines[1].Replace("|1=121,", "|1=131,", StringComparison.Ordinal);
        Assert.NotEqual(lines[1], vote);
        Expect("vote", d => WriteLog(d, [lines[0], vote, .. lines[2..]]), "tree root mismatch at checkpoint of tree size 4");
        Expect("deleted", d => WriteLog(d, [lines[0], .. lines[2..]]), "entries 2..2 are missing (deleted)");
        Expect("reordered", d => WriteLog(d, [lines[0], lines[2], lines[1], .. lines[3..]]), "(entries reordered)");
        Expect("truncated", d => WriteLog(d, lines[..4]), "log truncated: the checkpoint of tree size 5");
        Expect("deleted-checkpoints", d => WriteCheckpoints(d, [checkpoints[1]!.DeepClone()]), "the checkpoint of tree size 5 held by witness witness.example.ac.id is missing");
        Expect("forged-cosignature", d =>
        {
            var cps = JsonNode.Parse(checkpoints.ToJsonString())!.AsArray();
            var cos = cps[0]!["cosignatures"]![0]!;
            cos["signatureLine"] = cps[1]!["cosignatures"]![0]!["signatureLine"]!.GetValue<string>();
            WriteCheckpoints(d, [.. cps.Select(c => c!.DeepClone())]);
        }, "the countersignature by witness witness.example.ac.id does not verify");

        // A rewritten history, re-signed with the server's own key: consistent by itself, but not with what the witness holds.
        using var serverKey = ECDsa.Create();
        serverKey.ImportFromPem(File.ReadAllText(app.Services.GetRequiredService<TallyKeys>().Path));
        var origin = app.Services.GetRequiredService<PublicLogTree>().Origin;
        Expect("rewritten", d =>
        {
            var rewritten = lines.ToList();
            rewritten[1] = vote;
            WriteLog(d, rewritten);
            var tree = new CompactMerkleTree();
            foreach (var l in rewritten) tree.Append(Merkle.LeafHash(l));
            var cps = new JsonArray();
            foreach (var size in new long[] { 5, 4 })
            {
                var root = Merkle.Root(tree, size);
                cps.Add(new JsonObject
                {
                    ["treeSize"] = size, ["rootHash"] = Convert.ToHexStringLower(root),
                    ["note"] = SignedNote.Sign(SignedNote.Body(origin, size, root), origin, serverKey), ["cosignatures"] = new JsonArray(),
                });
            }
            WriteCheckpoints(d, [.. cps.Select(c => c!.DeepClone())]);
            var alone = Python(Verifier, "verify", d); // without the witness, the rewrite looks consistent
            Assert.True(alone.Code == 0, alone.Err);
        }, "history rewritten: witness witness.example.ac.id holds the checkpoint of tree size 4");

        // A total served by the recap API altered behind the application (the kecamatan's counter row): the log is intact, the
        // published total is not, and the verifier names the contest, the region, the figure and both values.
        long sah;
        await using (var db = app.NewDbContext())
        {
            var row = await db.TallyRecaps.SingleAsync(r => r.ContestCode == Gub && r.RegionCode == "16.71.01");
            sah = row.SuaraSah;
            row.SuaraSah += 7;
            row.Version += 1;
            await db.SaveChangesAsync();
        }
        app.Clock.Advance(TimeSpan.FromMinutes(1)); // past the recap cache's age
        var lie = Python(Verifier, "verify", url);
        Assert.True(lie.Code == 1, lie.Out + lie.Err);
        Assert.Contains($"recap API {Gub} region 16.71.01: suaraSah is {sah + 7}, the counted sheets in the log give {sah}", lie.Err, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Proofs_served_by_the_api_verify_for_every_entry_and_size(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var tps = await TpsIn(app, "16.71.01", 8);
        var kpps = await app.ClientForAsync(Role.KppsOperator, "16.71.01");
        foreach (var t in tps.Take(7))
            Assert.Equal(HttpStatusCode.Created, (await kpps.PostAsJsonAsync("/api/tally/sheets", TallySheets.ToJson(TallySheets.Valid(Gub, t.Code, 50, 60, 70)))).StatusCode);
        var anon = app.AnonymousClient();
        var page = await anon.GetFromJsonAsync<JsonElement>("/api/tally/log/entries?from=1&limit=3");
        Assert.Equal(7, page.GetProperty("treeSize").GetInt64());
        Assert.Equal(4, page.GetProperty("next").GetInt64());
        var entries = new List<JsonElement>(page.GetProperty("entries").EnumerateArray());
        entries.AddRange((await anon.GetFromJsonAsync<JsonElement>("/api/tally/log/entries?from=4&limit=10")).GetProperty("entries").EnumerateArray());
        Assert.Equal(7, entries.Count);
        Assert.DoesNotContain("kpps", JsonSerializer.Serialize(entries), StringComparison.OrdinalIgnoreCase);
        var leaves = entries.Select(e => Merkle.LeafHash(e.GetProperty("entry").GetString()!)).ToList();
        Assert.Equal(leaves.Select(Convert.ToHexStringLower), entries.Select(e => e.GetProperty("leafHash").GetString()));
        var reference = new NaiveTree(leaves);
        for (var size = 1; size <= 7; size++)
        {
            var root = Merkle.Root(reference, size);
            for (var seq = 1; seq <= size; seq++)
            {
                var p = await anon.GetFromJsonAsync<JsonElement>($"/api/tally/log/proof/inclusion?seq={seq}&size={size}");
                Assert.Equal(Convert.ToHexStringLower(root), p.GetProperty("rootHash").GetString());
                Assert.True(Merkle.VerifyInclusion(seq - 1, size, leaves[seq - 1], p.GetProperty("path").EnumerateArray().Select(x => Convert.FromHexString(x.GetString()!)).ToList(), root));
            }
            for (var from = 0; from <= size; from++)
            {
                var c = await anon.GetFromJsonAsync<JsonElement>($"/api/tally/log/proof/consistency?from={from}&to={size}");
                Assert.True(Merkle.VerifyConsistency(from, size, Merkle.Root(reference, from), root,
                    c.GetProperty("path").EnumerateArray().Select(x => Convert.FromHexString(x.GetString()!)).ToList()), $"{from} -> {size}");
            }
        }
        // A proof for a size the server already holds never changes: cacheable for good, timed by the server (Server-Timing).
        var fixedSize = await anon.GetAsync("/api/tally/log/proof/inclusion?seq=3&size=7");
        Assert.Equal("public, max-age=31536000, immutable", fixedSize.Headers.CacheControl?.ToString());
        Assert.Matches(@"^proof;dur=[0-9]+(\.[0-9]+)?$", Assert.Single(fixedSize.Headers.GetValues("Server-Timing")));
        var latest = await anon.GetAsync("/api/tally/log/proof/inclusion?seq=3");
        Assert.NotEqual("public, max-age=31536000, immutable", latest.Headers.CacheControl?.ToString());
        var out_ = await anon.GetAsync("/api/tally/log/proof/inclusion?seq=9&size=7");
        Assert.Equal(HttpStatusCode.BadRequest, out_.StatusCode);
        Assert.Contains("PROOF_RANGE", await out_.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("no-cache", out_.Headers.CacheControl?.ToString());
        // Bulk download: gzip, resumable with Range, the same lines as the entries.
        var full = await anon.GetAsync("/api/tally/log/download");
        var gz = await full.Content.ReadAsByteArrayAsync();
        Assert.Equal("application/gzip", full.Content.Headers.ContentType?.MediaType);
        var text = Encoding.UTF8.GetString(Gunzip(gz));
        Assert.Equal(entries.Select(e => e.GetProperty("entry").GetString() + "\n"), text.Split('\n')[..^1].Select(l => l + "\n"));
        var ranged = new HttpRequestMessage(HttpMethod.Get, "/api/tally/log/download");
        ranged.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(10, null);
        var rest = await anon.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, rest.StatusCode);
        Assert.Equal(gz[10..], await rest.Content.ReadAsByteArrayAsync());
        var etag = full.Headers.ETag!;
        var again = new HttpRequestMessage(HttpMethod.Get, "/api/tally/log/entries?from=1&limit=3");
        var first = await anon.GetAsync("/api/tally/log/entries?from=1&limit=3");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await anon.SendAsync(again)).StatusCode);
        Assert.NotNull(etag);
        var perContest = await anon.GetAsync("/api/tally/log/download?contest=NOPE-1");
        Assert.Equal(HttpStatusCode.NotFound, perContest.StatusCode);

        // A size beyond the tree in memory: the server reads the new entries first.
        Assert.Equal(HttpStatusCode.Created, (await kpps.PostAsJsonAsync("/api/tally/sheets", TallySheets.ToJson(TallySheets.Valid(Gub, tps[7].Code, 50, 60, 70)))).StatusCode);
        var eighth = await anon.GetFromJsonAsync<JsonElement>("/api/tally/log/proof/inclusion?seq=8&size=8");
        Assert.Equal(8, eighth.GetProperty("treeSize").GetInt64());
        var grown = await anon.GetFromJsonAsync<JsonElement>("/api/tally/log/proof/consistency?from=7&to=8");
        Assert.True(Merkle.VerifyConsistency(7, 8, Merkle.Root(reference, 7), Convert.FromHexString(eighth.GetProperty("rootHash").GetString()!),
            grown.GetProperty("path").EnumerateArray().Select(x => Convert.FromHexString(x.GetString()!)).ToList()));


        // The existing verify checks the tree too: signed checkpoint OK, then one altered behind the application is found.
        var admin = await app.ClientForAsync(Role.Admin, "");
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/tally/checkpoints", null)).StatusCode);
        var ok = await admin.GetFromJsonAsync<JsonElement>("/api/tally/verify");
        Assert.True(ok.GetProperty("ok").GetBoolean(), ok.ToString());
        await using (var db = app.NewDbContext())
        {
            var cp = await db.TallyTreeCheckpoints.SingleAsync();
            Assert.Equal(8, cp.TreeSize);
            cp.RootHash = new string('0', 64);
            await db.SaveChangesAsync();
        }
        var bad = await admin.GetFromJsonAsync<JsonElement>("/api/tally/verify");
        Assert.False(bad.GetProperty("ok").GetBoolean());
        Assert.Contains("tree checkpoint 8: root 0000", bad.GetProperty("firstDivergence").GetString(), StringComparison.Ordinal);
    }

    private static byte[] Gunzip(byte[] gz)
    {
        using var input = new System.IO.Compression.GZipStream(new MemoryStream(gz), System.IO.Compression.CompressionMode.Decompress);
        using var ms = new MemoryStream();
        input.CopyTo(ms);
        return ms.ToArray();
    }

    private static List<string> ReadLog(string dir) =>
        [.. Encoding.ASCII.GetString(Gunzip(File.ReadAllBytes(Path.Combine(dir, "log.txt.gz")))).Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    private static void WriteLog(string dir, IEnumerable<string> lines)
    {
        using var fs = File.Create(Path.Combine(dir, "log.txt.gz"));
        using var gz = new System.IO.Compression.GZipStream(fs, System.IO.Compression.CompressionLevel.Fastest);
        gz.Write(Encoding.ASCII.GetBytes(string.Concat(lines.Select(l => l + "\n"))));
    }

    private static void WriteCheckpoints(string dir, JsonNode[] cps) =>
        File.WriteAllText(Path.Combine(dir, "checkpoints.json"), new JsonArray(cps).ToJsonString());

    private static void CopyDir(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)), true);
    }
}
