using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Pantau.Core.Security;

namespace Pantau.Browser.Tests;

/// <summary>
/// What a page costs a phone on a slow network (issue 24.10): bytes transferred (compressed, as Chromium received them: the document,
/// scripts, styles, map data, everything until the network is idle) and load time on a throttled profile (Chromium's "Fast 3G":
/// 150 ms latency, 1.6 Mbit/s down, 750 kbit/s up; CPU slowed 4x), printed for every page, with the budgets the issue sets.
/// </summary>
public sealed class PageWeightTests(BrowserFixture f, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private sealed record Weight(string Path, long Bytes, int Requests, double Seconds, string Largest);

    private static async Task<Weight> MeasureAsync(IBrowserContext ctx, string path)
    {
        var page = await ctx.NewPageAsync();
        var cdp = await ctx.NewCDPSessionAsync(page);
        await cdp.SendAsync("Network.enable");
        await cdp.SendAsync("Network.setCacheDisabled", new() { ["cacheDisabled"] = true }); // a first visit: nothing cached yet
        await cdp.SendAsync("Network.setBypassServiceWorker", new() { ["bypass"] = true }); // nor in the service worker's cache
        await cdp.SendAsync("Network.emulateNetworkConditions", new()
        {
            ["offline"] = false, ["latency"] = 150, ["downloadThroughput"] = 1_600_000 / 8, ["uploadThroughput"] = 750_000 / 8,
        });
        await cdp.SendAsync("Emulation.setCPUThrottlingRate", new() { ["rate"] = 4 });
        var urls = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        var sizes = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        cdp.Event("Network.requestWillBeSent").OnEvent += (_, e) =>
        {
            if (e is { } json) urls[json.GetProperty("requestId").GetString()!] = json.GetProperty("request").GetProperty("url").GetString()!;
        };
        cdp.Event("Network.loadingFinished").OnEvent += (_, e) =>
        {
            if (e is { } json && json.TryGetProperty("encodedDataLength", out var len)) sizes[json.GetProperty("requestId").GetString()!] = (long)len.GetDouble();
        };
        var sw = Stopwatch.StartNew();
        await page.GotoAsync(path, new() { WaitUntil = WaitUntilState.Load });
        var loaded = sw.Elapsed.TotalSeconds;
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new() { Timeout = 60_000 }); // the map's data, the live connection's start
        await page.CloseAsync();
        var largest = string.Join(", ", sizes.OrderByDescending(kv => kv.Value).Take(3)
            .Select(kv => $"{new Uri(urls.GetValueOrDefault(kv.Key, "http://x/?")).AbsolutePath} {kv.Value / 1024.0:0.0} KB"));
        return new Weight(path, sizes.Values.Sum(), sizes.Count, loaded, largest);
    }

    [Fact]
    public async Task Every_job_s_pages_fit_a_phone_on_a_slow_network()
    {
        Assert.SkipWhen(!f.Available, "Chromium is not installed");
        string tps;
        await using (var db = f.App.NewDbContext())
            tps = await db.Tps.Where(t => t.DesaCode.StartsWith("16.71.01")).OrderBy(t => t.Code).Select(t => t.Code).FirstAsync();
        var weights = new List<(string Who, Weight W)>();

        await using (var anon = await f.NewContextAsync(BrowserFixture.Phone))
            foreach (var p in new[] { "/", "/hasil", "/hasil/PILGUB-16/16", "/hasil/PILGUB-16/16.71", "/wilayah", "/wilayah/16.71", "/kerawanan", "/lapor", "/cek" })
                weights.Add(("public", await MeasureAsync(anon, p)));

        await using (var kpps = await f.NewContextAsync(BrowserFixture.Phone))
        {
            var page = await kpps.NewPageAsync();
            await f.SignInAsync(page, Role.KppsOperator, tps);
            await page.CloseAsync();
            weights.Add(("KPPS", await MeasureAsync(kpps, "/hasil/input")));
        }
        await using (var desk = await f.NewContextAsync(BrowserFixture.Phone))
        {
            var page = await desk.NewPageAsync();
            await f.SignInAsync(page, Role.DeskKabKota, "16.71");
            await page.CloseAsync();
            foreach (var p in new[] { "/koordinasi", "/kesiapan", "/insiden", "/hasil/antrean" })
                weights.Add(("Desk kab/kota", await MeasureAsync(desk, p)));
        }

        var table = new System.Text.StringBuilder();
        table.AppendLine("| who | page | transferred (compressed) | requests | load on Fast 3G, CPU 4x | largest |");
        table.AppendLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var (who, w) in weights)
            table.AppendLine($"| {who} | `{w.Path}` | {w.Bytes / 1024.0:0.0} KB | {w.Requests} | {w.Seconds:0.0} s | {w.Largest} |");
        output.WriteLine(table.ToString());
        Console.WriteLine(table.ToString());
        await File.WriteAllTextAsync(Path.Combine(Pantau.TestKit.BrowserKit.ArtifactsDir, "page-weights.md"), table.ToString()); // beside the screenshots

        long Of(string path) => weights.First(w => w.W.Path == path).W.Bytes;
        Assert.True(Of("/hasil/input") < 30 * 1024, $"the TPS entry page: {Of("/hasil/input"):N0} bytes");
        Assert.True(Of("/wilayah") < 150 * 1024, $"/wilayah: {Of("/wilayah"):N0} bytes");
        Assert.True(Of("/kerawanan") < 150 * 1024, $"/kerawanan: {Of("/kerawanan"):N0} bytes");
        Assert.All(weights, w => Assert.True(w.W.Bytes > 1000 && w.W.Requests > 0, $"{w.W.Path}: nothing measured"));
    }
}
