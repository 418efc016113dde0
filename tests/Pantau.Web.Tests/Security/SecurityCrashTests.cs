using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Security;
using Pantau.Data.Identity;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tests.Security;

/// <summary>
/// Starts the real app as a separate process on SQLite, submits C.Hasil sheets with Idempotency-Key retries, kills the server with
/// SIGKILL in the middle of the intake, restarts it and retries what was not acknowledged: every acknowledged sheet is present,
/// the totals equal the recomputation from the log, nothing is counted twice.
/// </summary>
public class SecurityCrashTests
{
    private const string Gub = "PILGUB-16";

    private sealed class Server : IAsyncDisposable
    {
        public required Process Process { get; init; }
        public required string BaseUrl { get; init; }
        public ValueTask DisposeAsync()
        {
            try { if (!Process.HasExited) Process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            Process.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    private static async Task<Server> StartAsync(string connectionString, string dataDir)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Pantau.Web.dll");
        var port = FreePort();
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[] { dll, "--urls", $"http://127.0.0.1:{port}", "--Database:Provider=Sqlite", $"--ConnectionStrings:Pantau={connectionString}",
                     "--Pantau:ImportOnStart=false", $"--Pantau:DataDir={dataDir}", "--Pantau:RateLimitScale=1000", "--Pantau:RunJobs=false",
                     "--Logging:LogLevel:Default=Warning" })
            psi.ArgumentList.Add(a);
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var url = $"http://127.0.0.1:{port}";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var until = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < until)
        {
            if (p.HasExited) throw new InvalidOperationException($"server exited with {p.ExitCode}");
            try { if ((await http.GetAsync(url + "/health")).IsSuccessStatusCode) return new Server { Process = p, BaseUrl = url }; }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        p.Kill(true);
        throw new TimeoutException("server did not start");
    }

    private static long[] VotesFor(int i) => [10 + i % 50, 5 + i % 30, 7 + i % 3];

    [Fact]
    public async Task Acknowledged_sheets_survive_a_killed_server_and_retries_never_double_count()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var dataDir = Path.Combine(Path.GetTempPath(), "pantau-tests", "crash-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dataDir);
        var token = AuthSetup.NewToken();
        List<string> tps;
        await using (var ctx = db.NewContext())
        {
            var user = new PantauUser { UserName = "kpu-crash", Role = Role.Admin, ScopeCode = "", DisplayName = "crash test" };
            ctx.Users.Add(user);
            ctx.ApiTokens.Add(new ApiToken { UserId = user.Id, Name = "crash", TokenHash = AuthSetup.HashToken(token) });
            await ctx.SaveChangesAsync();
            tps = await ctx.Tps.Where(t => t.DesaCode.StartsWith("16.71.")).OrderBy(t => t.Code).Select(t => t.Code).Take(240).ToListAsync();
        }
        SqliteConnection.ClearAllPools();
        var sheets = tps.Select((code, i) => (Key: $"crash-{i}", Body: TallySheets.ToJson(TallySheets.Valid(Gub, code, VotesFor(i))))).ToList();

        var acknowledged = new ConcurrentDictionary<string, int>();
        var server = await StartAsync(db.ConnectionString, dataDir);
        HttpClient Client(Server s) => new() { BaseAddress = new Uri(s.BaseUrl), Timeout = TimeSpan.FromSeconds(30), DefaultRequestHeaders = { Authorization = new("Bearer", token) } };

        async Task<HttpStatusCode?> Send(HttpClient c, (string Key, Dictionary<string, object?> Body) s)
        {
            var req = new HttpRequestMessage(HttpMethod.Post, "/api/tally/sheets") { Content = JsonContent.Create(s.Body) };
            req.Headers.Add("Idempotency-Key", s.Key);
            try { return (await c.SendAsync(req)).StatusCode; }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException) { return null; }
        }

        // Phase 1: four client loops submit; the server is killed (SIGKILL) once 80 sheets are acknowledged.
        var killAt = 80;
        var next = -1;
        var killed = new TaskCompletionSource();
        using (var c1 = Client(server))
        {
            var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                while (true)
                {
                    var i = Interlocked.Increment(ref next);
                    if (i >= sheets.Count || killed.Task.IsCompleted) return;
                    var status = await Send(c1, sheets[i]);
                    if (status is { } st && (int)st is >= 200 and < 300)
                    {
                        acknowledged[sheets[i].Key] = (int)st;
                        if (acknowledged.Count >= killAt && !killed.Task.IsCompleted)
                        {
                            server.Process.Kill(entireProcessTree: true); // SIGKILL: no graceful shutdown
                            killed.TrySetResult();
                        }
                    }
                    else if (status is { } bad) throw new InvalidOperationException($"{sheets[i].Key}: {(int)bad}");
                }
            })).ToList();
            await Task.WhenAll(workers);
        }
        await server.Process.WaitForExitAsync();
        Assert.True(killed.Task.IsCompleted, "the server was not killed during the intake");
        var ackedBeforeCrash = acknowledged.Keys.ToHashSet();
        Assert.InRange(ackedBeforeCrash.Count, killAt, sheets.Count - 1);
        await server.DisposeAsync();

        // Phase 2: restart on the same file; retry everything not acknowledged, and re-send the acknowledged ones (lost replies) with the same keys.
        await using var again = await StartAsync(db.ConnectionString, dataDir);
        using var c2 = Client(again);
        foreach (var s in sheets)
        {
            HttpStatusCode? status = null;
            for (var attempt = 0; attempt < 5 && status is null; attempt++) status = await Send(c2, s);
            Assert.NotNull(status);
            Assert.InRange((int)status!.Value, 200, 299);
            if (ackedBeforeCrash.Contains(s.Key)) Assert.Equal(HttpStatusCode.OK, status); // replayed, not accepted again
        }

        // Every sheet is present once; the totals equal the recomputation from the log.
        var verify = await c2.GetFromJsonAsync<JsonElement>("/api/tally/verify");
        Assert.True(verify.GetProperty("ok").GetBoolean(), verify.ToString());
        Assert.Equal(sheets.Count, verify.GetProperty("countedSheets").GetInt64());
        Assert.Equal(sheets.Count, verify.GetProperty("versions").GetInt64());
        var recap = (await c2.GetFromJsonAsync<JsonElement>($"/api/tally/recap/{Gub}/16")).GetProperty("region");
        Assert.Equal(sheets.Count, recap.GetProperty("tpsIn").GetInt64());
        for (var n = 1; n <= 3; n++)
        {
            var expected = Enumerable.Range(0, sheets.Count).Sum(i => VotesFor(i)[n - 1]);
            Assert.Equal(expected, recap.GetProperty("votes").GetProperty(n.ToString()).GetInt64());
        }
        await again.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(dataDir, true); } catch (IOException) { }
    }
}
