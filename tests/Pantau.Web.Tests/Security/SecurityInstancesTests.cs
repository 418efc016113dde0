using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Pantau.Core.Security;
using Pantau.Data.Identity;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tests.Security;

/// <summary>Several app instances on one PostgreSQL database behave as one.</summary>
public class SecurityInstancesTests
{
    private static bool SkipWithoutPostgres()
    {
        if (TestDatabase.PostgresServer is not null) return false;
        if (TestDatabase.PostgresRequired) throw new InvalidOperationException("PANTAU_REQUIRE_POSTGRES=1 but PANTAU_TEST_POSTGRES is not set.");
        Assert.Skip("PostgreSQL not available (set PANTAU_TEST_POSTGRES)");
        return true;
    }

    [Fact]
    public async Task Live_updates_published_on_one_instance_reach_subscribers_of_another()
    {
        if (SkipWithoutPostgres()) return;
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var a = await PantauApp.StartOnAsync(db);
        await using var b = await PantauApp.StartOnAsync(db);
        Assert.IsType<PgLiveHub>(a.Services.GetRequiredService<LiveHub>());
        await b.Services.GetRequiredService<PgLiveListener>().Listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await a.Services.GetRequiredService<PgLiveListener>().Listening.Task.WaitAsync(TimeSpan.FromSeconds(30));

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var client = b.AnonymousClient();
        using var res = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/live?topics=tally"), HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        using var reader = new StreamReader(await res.Content.ReadAsStreamAsync(cts.Token));
        await ReadUntilAsync(reader, "event: ready", cts.Token);
        while (b.Services.GetRequiredService<LiveHub>().SubscriberCount == 0) await Task.Delay(20, cts.Token);

        await a.Services.GetRequiredService<ILiveUpdates>().PublishAsync("tally:16.71", "totals", new { region = "16.71", n = 42 }, cts.Token);
        var lines = await ReadUntilAsync(reader, "\"n\":42", cts.Token);
        Assert.Contains(lines, l => l == "event: totals");
        // A subscriber on the publishing instance gets it exactly once (no echo through NOTIFY).
        var hubA = a.Services.GetRequiredService<LiveHub>();
        using var sub = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using (var local = hubA.SubscribeAsync(["tally"], sub.Token).GetAsyncEnumerator(sub.Token))
        {
            var first = local.MoveNextAsync(); // subscribed when this returns
            await hubA.PublishAsync("tally:16.72", "totals", new { n = 7 }, cts.Token);
            Assert.True(await first);
            Assert.Contains("\"n\":7", local.Current.Json);
            // An echo would come back through NOTIFY within milliseconds; give it two seconds.
            var second = local.MoveNextAsync().AsTask();
            Assert.NotSame(second, await Task.WhenAny(second, Task.Delay(TimeSpan.FromSeconds(2), cts.Token)));
            await sub.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
        }
    }

    private static async Task<List<string>> ReadUntilAsync(StreamReader reader, string marker, CancellationToken ct)
    {
        var lines = new List<string>();
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            lines.Add(line);
            if (line.Contains(marker)) return lines;
        }
        throw new EndOfStreamException($"stream ended before {marker}");
    }

    private sealed class CountingJob : IScheduledJob
    {
        public int Runs;
        public string Name => "instances-test-job";
        public TimeSpan Interval => TimeSpan.FromMinutes(5);
        public async Task<string> RunAsync(IServiceProvider services, CancellationToken ct) { Interlocked.Increment(ref Runs); await Task.Delay(50, ct); return "ok"; }
    }

    [Fact]
    public async Task Scheduled_jobs_run_once_across_two_instances()
    {
        if (SkipWithoutPostgres()) return;
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        var settings = new Dictionary<string, string?> { ["Pantau:RunJobs"] = "false" };
        await using var a = await PantauApp.StartOnAsync(db, settings: settings);
        await using var b = await PantauApp.StartOnAsync(db, settings: settings);
        var job = new CountingJob();
        var config = new ConfigurationBuilder().Build();
        var ra = new JobRunner(a.Services, [job], a.Clock, NullLogger<JobRunner>.Instance, config);
        var rb = new JobRunner(b.Services, [job], b.Clock, NullLogger<JobRunner>.Instance, config);
        for (var round = 1; round <= 3; round++)
        {
            var ran = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => i % 2 == 0 ? ra.RunDueAsync() : rb.RunDueAsync()));
            Assert.Equal(round, job.Runs);
            Assert.Equal(1, ran.Sum(r => r.Count));
            a.Clock.Advance(TimeSpan.FromMinutes(6));
            b.Clock.Advance(TimeSpan.FromMinutes(6));
        }
    }

    [Fact]
    public async Task Accounts_disabled_on_one_instance_are_refused_on_the_other()
    {
        if (SkipWithoutPostgres()) return;
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var a = await PantauApp.StartOnAsync(db);
        await using var b = await PantauApp.StartOnAsync(db);
        var adminA = await a.ClientForAsync(Role.Admin, "");
        var (user, _) = await b.CreateUserAsync(Role.Camat, "16.71.01", "camat-x");
        var token = (System.Text.Json.JsonDocument.Parse(await (await adminA.PostAsJsonAsync($"/api/admin/users/{user.Id}/tokens", new Admin.NewToken("t", null))).Content.ReadAsStringAsync()))
            .RootElement.GetProperty("token").GetString();
        var onB = b.AnonymousClient();
        onB.DefaultRequestHeaders.Authorization = new("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/api/account/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await adminA.PostAsync($"/api/admin/users/{user.Id}/disable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await onB.GetAsync("/api/account/me")).StatusCode);
    }

    [Fact]
    public async Task Concurrent_submissions_to_one_tps_through_two_instances_lose_no_update()
    {
        if (SkipWithoutPostgres()) return;
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var a = await PantauApp.StartOnAsync(db);
        await using var b = await PantauApp.StartOnAsync(db);
        List<string> tps;
        await using (var ctx = db.NewContext())
            tps = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
                ctx.Tps.Where(t => t.DesaCode.StartsWith("16.71.")).OrderBy(t => t.Code).Select(t => t.Code).Take(21));
        var ca = await a.ClientForAsync(Role.KpuOperator, "16.71");
        var cb = await b.ClientForAsync(Role.KpuOperator, "16.71");
        const string gub = "PILGUB-16";
        // Ten different sheets for the same TPS from ten different operators (so that none is a same-source resubmission),
        // five through each instance, at once; plus twenty other TPS split over both.
        var operators = new List<HttpClient>();
        for (var i = 0; i < 10; i++) operators.Add(await (i % 2 == 0 ? a : b).ClientForAsync(Role.KpuOperator, "16.71"));
        var same = Enumerable.Range(0, 10).Select(i => (Client: operators[i], Sheet: TallySheets.Valid(gub, tps[0], 100 + i, 50, 20))).ToList();
        var others = Enumerable.Range(1, 20).Select(i => (Client: i % 2 == 0 ? ca : cb, Sheet: TallySheets.Valid(gub, tps[i], 10 * i, 5, 3))).ToList();
        var responses = await Task.WhenAll(same.Concat(others).Select(async x =>
            await x.Client.PostAsync("/api/tally/sheets", JsonContent.Create(TallySheets.ToJson(x.Sheet)))));
        Assert.All(responses, r => Assert.True((int)r.StatusCode < 500, $"{(int)r.StatusCode}"));
        var sameStatuses = responses.Take(10).Select(r => r.StatusCode).ToList();
        Assert.Equal(1, sameStatuses.Count(s => s == HttpStatusCode.Created)); // one first version; the others are conflicts, not lost or overwritten
        Assert.All(responses.Skip(10), r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));

        var admin = await a.ClientForAsync(Role.Admin, "");
        var verify = System.Text.Json.JsonDocument.Parse(await admin.GetStringAsync("/api/tally/verify")).RootElement;
        Assert.True(verify.GetProperty("ok").GetBoolean(), verify.ToString());
        Assert.Equal(10 + 20, verify.GetProperty("versions").GetInt64()); // every submission is kept as a version
        var recap = System.Text.Json.JsonDocument.Parse(await b.AnonymousClient().GetStringAsync($"/api/tally/recap/{gub}/16")).RootElement.GetProperty("region");
        Assert.Equal(21, recap.GetProperty("tpsIn").GetInt64());
        var first = recap.GetProperty("votes").GetProperty("1").GetInt64() - Enumerable.Range(1, 20).Sum(i => 10L * i);
        Assert.Contains(first, same.Select(x => x.Sheet.Votes[1])); // the counted version of the contested TPS is one that was submitted
    }

    // Found by the benchmark with --instances 2: two instances appending batches to the tally log at the same moment read the same log
    // head, and the second commit hit the log's primary key (23505) and answered its chunk as failed. The append is now serialized
    // across instances (an advisory lock on PostgreSQL, as the audit chain's); every sheet of both batches is accepted, in one chain.
    [Fact]
    public async Task Batches_sent_at_once_to_two_instances_are_all_accepted_in_one_log()
    {
        if (SkipWithoutPostgres()) return;
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var a = await PantauApp.StartOnAsync(db);
        await using var b = await PantauApp.StartOnAsync(db);
        List<string> tps;
        await using (var ctx = db.NewContext())
            tps = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
                ctx.Tps.Where(t => t.KabKotaCode == "16.71").OrderBy(t => t.Code).Select(t => t.Code).Take(1200));
        var ca = await a.ClientForAsync(Role.KpuOperator, "16.71");
        var cb = await b.ClientForAsync(Role.KpuOperator, "16.71");
        const string gub = "PILGUB-16";
        var batches = tps.Chunk(150).Select((part, i) => (Client: i % 2 == 0 ? ca : cb,
            Body: part.Select(t => TallySheets.ToJson(TallySheets.Valid(gub, t, 60, 40, 20))).ToList())).ToList();
        var answers = await Task.WhenAll(batches.Select(async x =>
        {
            using var res = await x.Client.PostAsync("/api/tally/batch", JsonContent.Create(x.Body));
            return ((int)res.StatusCode, await res.Content.ReadAsStringAsync());
        }));
        foreach (var (status, body) in answers)
        {
            Assert.True(status == 200, $"{status}: {body[..Math.Min(400, body.Length)]}");
            var items = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray().ToList();
            Assert.Equal(150, items.Count);
            Assert.All(items, i => Assert.Equal("accepted", i.GetProperty("outcome").GetString()));
        }
        var admin = await a.ClientForAsync(Role.Admin, "");
        var verify = System.Text.Json.JsonDocument.Parse(await admin.GetStringAsync("/api/tally/verify")).RootElement;
        Assert.True(verify.GetProperty("ok").GetBoolean(), verify.ToString());
        Assert.Equal(tps.Count, verify.GetProperty("entries").GetInt64());
    }
}
