using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Pantau.Core.Security;
using Pantau.Data.Identity;
using Pantau.Data.Notifications;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tests.Notifications;

/// <summary>
/// The real app as a separate process: incidents are filed while the server is killed with SIGKILL (no graceful shutdown, the sender
/// never ran); a second process on the same database then delivers: every acknowledged incident reaches the webhook, and the receiver,
/// which deduplicates by notification id, sees each notification once.
/// </summary>
public class NotificationCrashTests
{
    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    private static async Task<(Process P, string Url)> StartAsync(string cs, string dataDir, bool runJobs)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Pantau.Web.dll");
        var port = FreePort();
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[] { dll, "--urls", $"http://127.0.0.1:{port}", "--Database:Provider=Sqlite", $"--ConnectionStrings:Pantau={cs}",
                     "--Pantau:ImportOnStart=false", $"--Pantau:DataDir={dataDir}", "--Pantau:RateLimitScale=1000", $"--Pantau:RunJobs={runJobs}",
                     "--Pantau:JobTickSeconds=1", "--Pantau:Notifications:SendEverySeconds=1", "--Logging:LogLevel:Default=Warning" })
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
            try { if ((await http.GetAsync(url + "/health")).IsSuccessStatusCode) return (p, url); }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        p.Kill(true);
        throw new TimeoutException("server did not start");
    }

    [Fact]
    public async Task A_sigkill_between_event_and_delivery_loses_nothing_and_each_notification_arrives_once()
    {
        await using var hook = await WebhookReceiver.StartAsync();
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var dataDir = Path.Combine(Path.GetTempPath(), "pantau-tests", "notify-crash-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dataDir);
        var token = AuthSetup.NewToken();
        await using (var ctx = db.NewContext())
        {
            var user = new PantauUser { UserName = "desk-crash", Role = Role.DeskProvinsi, ScopeCode = "16", DisplayName = "crash test" };
            ctx.Users.Add(user);
            ctx.ApiTokens.Add(new ApiToken { UserId = user.Id, Name = "crash", TokenHash = AuthSetup.HashToken(token) });
            ctx.WebhookSubscriptions.Add(new WebhookSubscription { Name = "gateway", RegionCode = "16", Url = hook.Url, Secret = "rahasia-gateway-crash-01" });
            await ctx.SaveChangesAsync();
        }
        SqliteConnection.ClearAllPools();

        var acknowledged = new ConcurrentBag<string>();
        var (server, url) = await StartAsync(db.ConnectionString, dataDir, runJobs: false);
        try
        {
            using var c = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
            c.DefaultRequestHeaders.Authorization = new("Bearer", token);
            var next = -1;
            var workers = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
            {
                while (Interlocked.Increment(ref next) < 200)
                {
                    try
                    {
                        var res = await c.PostAsJsonAsync("/api/incidents", new
                        {
                            category = "SecurityIncident", regionCode = "16.04.01", title = "Bentrokan pendukung di pasar",
                            description = "Dua kelompok pendukung paslon bentrok di depan pasar kecamatan.", severity = "High",
                        });
                        if (!res.IsSuccessStatusCode) return;
                        acknowledged.Add(JsonDocument.Parse(await res.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!);
                        if (acknowledged.Count >= 25) { server.Kill(entireProcessTree: true); return; } // SIGKILL mid-stream
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException) { return; }
                }
            })).ToArray();
            await Task.WhenAll(workers);
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
        finally { server.Dispose(); }
        Assert.True(acknowledged.Count >= 25);
        Assert.Empty(hook.Requests); // the sender never ran

        var (second, _) = await StartAsync(db.ConnectionString, dataDir, runJobs: true);
        try
        {
            var until = DateTime.UtcNow.AddSeconds(60);
            // (The gateway takes every kind: the timers job's late-readiness notices arrive too; wait for the incidents.)
            int Incidents() => hook.Unique.Values.Count(b => JsonDocument.Parse(b).RootElement.GetProperty("subject").GetString()!.StartsWith("incident:", StringComparison.Ordinal));
            while (DateTime.UtcNow < until && Incidents() < acknowledged.Count) await Task.Delay(250);
        }
        finally { second.Kill(entireProcessTree: true); second.Dispose(); }
        var subjects = hook.Unique.Values.Select(b => JsonDocument.Parse(b).RootElement.GetProperty("subject").GetString()!).ToList();
        foreach (var id in acknowledged) Assert.Contains("incident:" + id, subjects);
        Assert.Equal(subjects.Count, subjects.Distinct().Count()); // one notification per incident, no doubles
    }
}
