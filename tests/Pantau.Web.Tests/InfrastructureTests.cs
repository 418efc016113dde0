using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Configuration;
using Pantau.TestKit;
using Microsoft.Extensions.Hosting;
using Pantau.Web.Infrastructure;
using Pantau.Web.Tally;
using Pantau.Storage;

namespace Pantau.Web.Tests;

public class InfrastructureTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, "image/jpeg")]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0 }, "image/png")]
    [InlineData(new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D, 0x31 }, "application/pdf")]
    [InlineData(new byte[] { 0x3C, 0x68, 0x74, 0x6D, 0x6C, 0x3E }, null)] // <html>
    [InlineData(new byte[] { 0x4D, 0x5A, 0x90, 0x00 }, null)] // executable
    public void Uploads_are_typed_by_their_bytes(byte[] bytes, string? expected) => Assert.Equal(expected, FileStore.Sniff(bytes).Type);

    [Theory, MemberData(nameof(Providers))]
    public async Task File_store_rejects_disguised_and_oversized_files_and_hashes_the_rest(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider, settings: new Dictionary<string, string?> { ["Pantau:MaxUploadBytes"] = "1000" });
        using var scope = app.Services.CreateScope();
        var store = scope.ServiceProvider.GetRequiredService<IFileStore>();
        var html = await store.SaveAsync(new MemoryStream("<html><script>alert(1)</script>"u8.ToArray()), "photo.jpg", FileKinds.Image);
        Assert.False(html.Ok);
        var big = new byte[2000]; big[0] = 0xFF; big[1] = 0xD8; big[2] = 0xFF;
        Assert.False((await store.SaveAsync(new MemoryStream(big), "big.jpg", FileKinds.Image)).Ok);
        var pdfAsImage = await store.SaveAsync(new MemoryStream("%PDF-1.4 x"u8.ToArray()), "a.pdf", FileKinds.Image);
        Assert.False(pdfAsImage.Ok);
        var ok = await store.SaveAsync(new MemoryStream(big[..500]), "../../etc/C hasil.jpg", FileKinds.Image);
        Assert.True(ok.Ok);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(big[..500])), ok.File!.Sha256);
        Assert.Equal("C hasil.jpg", ok.File.FileName);
        Assert.Equal(500, (await store.GetAsync(ok.File.Id))!.Content.Length);
    }

    [Fact]
    public void Csv_quotes_and_neutralises_formulas()
    {
        var csv = Export.ToCsv([("a,b", "=HYPERLINK(\"x\")", -5)], [("name", r => r.Item1), ("note", r => r.Item2), ("n", r => r.Item3)]);
        Assert.Equal("name,note,n\r\n\"a,b\",\"'=HYPERLINK(\"\"x\"\")\",-5\r\n", csv);
    }

    [Fact]
    public void Xlsx_is_a_zip_workbook()
    {
        var bytes = Export.ToXlsx(new Dictionary<string, IEnumerable<IDictionary<string, object?>>>
        { ["Data"] = [new Dictionary<string, object?> { ["Kode"] = "16.71", ["Jumlah"] = 3 }] });
        Assert.Equal((byte)'P', bytes[0]);
        Assert.Equal((byte)'K', bytes[1]);
    }

    private sealed class CountingJob : IScheduledJob
    {
        public int Runs;
        public string Name => "test-job";
        public TimeSpan Interval => TimeSpan.FromMinutes(5);
        public Task<string> RunAsync(IServiceProvider services, CancellationToken ct) { Interlocked.Increment(ref Runs); return Task.FromResult("ok"); }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_job_runs_once_per_interval_across_instances(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var job = new CountingJob();
        var config = new ConfigurationBuilder().Build();
        var a = new JobRunner(app.Services, [job], app.Clock, NullLogger<JobRunner>.Instance, config);
        var b = new JobRunner(app.Services, [job], app.Clock, NullLogger<JobRunner>.Instance, config);
        var ran = await Task.WhenAll(a.RunDueAsync(), b.RunDueAsync());
        Assert.Equal(1, job.Runs);
        Assert.Equal(1, ran.Sum(r => r.Count));
        Assert.Empty(await a.RunDueAsync());
        app.Clock.Advance(TimeSpan.FromMinutes(6));
        await Task.WhenAll(a.RunDueAsync(), b.RunDueAsync());
        Assert.Equal(2, job.Runs);
    }

    [Fact]
    public async Task A_read_instance_runs_no_jobs_and_its_bulk_lane_keeps_normal_priority_unless_told_otherwise()
    {
        // The production defaults: the test kit's own "no job loop" is taken out (a null setting is as good as none).
        await using (var ingest = await PantauApp.StartAsync(settings: new Dictionary<string, string?> { ["Pantau:RunJobs"] = null }))
        {
            Assert.False(ingest.Services.GetRequiredService<JobRunner>().ExecuteTask!.IsCompleted); // the job loop runs
            Assert.False(Hosted<SqliteCheckpointer>(ingest).ExecuteTask!.IsCompleted); // WAL checkpoints every second
            Assert.False(Hosted<TallyCheckpointJob>(ingest).ExecuteTask!.IsCompleted); // signed log checkpoints
            var policy = await ingest.Services.GetRequiredService<BulkLane>().RunAsync(() => Task.FromResult(BulkLane.CurrentThreadPolicy()), TestContext.Current.CancellationToken);
            if (OperatingSystem.IsLinux()) Assert.Equal(5, policy); // SCHED_IDLE
        }
        await using (var read = await PantauApp.StartAsync(settings: new Dictionary<string, string?> { ["Pantau:ReadInstance"] = "true", ["Pantau:RunJobs"] = null }))
        {
            Assert.True(read.Services.GetRequiredService<JobRunner>().ExecuteTask!.IsCompleted); // returned at once: no job loop
            Assert.True(Hosted<SqliteCheckpointer>(read).ExecuteTask!.IsCompleted); // the writer copies the WAL back ...
            Assert.True(Hosted<TallyCheckpointJob>(read).ExecuteTask!.IsCompleted); // ... and signs the log head
            var lane = read.Services.GetRequiredService<BulkLane>();
            var (policy, nice) = await lane.RunAsync(() => Task.FromResult((BulkLane.CurrentThreadPolicy(), BulkLane.CurrentThreadNice())), TestContext.Current.CancellationToken);
            if (OperatingSystem.IsLinux())
            {
                Assert.Equal(0, policy); // SCHED_OTHER
                Assert.Equal(BulkLane.CurrentThreadNice(), nice); // the same niceness as a request thread
            }
        }
        // Each setting can still be given on its own.
        await using var mixed = await PantauApp.StartAsync(settings: new Dictionary<string, string?> { ["Pantau:ReadInstance"] = "true", ["Pantau:RunJobs"] = "true" });
        Assert.False(mixed.Services.GetRequiredService<JobRunner>().ExecuteTask!.IsCompleted);
        await using var checkpointing = await PantauApp.StartAsync(settings: new Dictionary<string, string?> { ["Pantau:ReadInstance"] = "true", ["Pantau:Sqlite:CheckpointSeconds"] = "1" });
        Assert.False(Hosted<SqliteCheckpointer>(checkpointing).ExecuteTask!.IsCompleted);
    }

    private static T Hosted<T>(PantauApp app) where T : BackgroundService => app.Services.GetServices<IHostedService>().OfType<T>().Single();

    [Fact]
    public async Task Live_events_reach_subscribers_of_their_topic_only()
    {
        var hub = new LiveHub();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var tallyEvents = new List<LiveEvent>();
        var started = new TaskCompletionSource();
        var reader = Task.Run(async () =>
        {
            var stream = hub.SubscribeAsync(["tally"], cts.Token).GetAsyncEnumerator(cts.Token);
            var move = stream.MoveNextAsync();
            started.SetResult();
            while (await move) { tallyEvents.Add(stream.Current); if (tallyEvents.Count == 2) break; move = stream.MoveNextAsync(); }
        });
        await started.Task;
        while (hub.SubscriberCount == 0) await Task.Delay(10);
        await hub.PublishAsync("incidents", "changed", new { id = 1 });
        await hub.PublishAsync("tally:PILGUB-16", "totals", new { tps = 1 });
        await hub.PublishAsync("tally", "totals", new { tps = 2 });
        await reader;
        Assert.Equal(["tally:PILGUB-16", "tally"], tallyEvents.Select(e => e.Topic));
        Assert.Contains("\"tps\":1", tallyEvents[0].Json);
    }
}
