using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.Extensions.DependencyInjection;
using Pantau.Core.Security;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;
using Pantau.Web.Tally;

namespace Pantau.Web.Tests;

/// <summary>The public recap is served from memory (<see cref="RecapCache"/>): it must never hide an acknowledged sheet.</summary>
public class TallyRecapCacheTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;
    private const string Gub = "PILGUB-16";

    private static async Task<List<string>> Tps(Pantau.Data.PantauDbContext db, int take) =>
        await db.Tps.Where(t => t.DesaCode.StartsWith("16.71.01")).OrderBy(t => t.Code).Take(take).Select(t => t.Code).ToListAsync();

    private static async Task<(long TpsIn, string ETag)> Province(HttpClient c)
    {
        using var res = await c.GetAsync($"/api/tally/recap/{Gub}/16");
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        var body = await res.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("region").GetProperty("tpsIn").GetInt64(), res.Headers.ETag!.Tag);
    }

    /// <summary>One sheet submitted and the province recap read once (now cached): an anonymous client and the recap's ETag.</summary>
    private static async Task<(HttpClient Anon, string ETag)> OneSheetInCachedProvinceAsync(PantauApp app)
    {
        List<string> tps;
        await using (var db = app.NewDbContext()) tps = await Tps(db, 1);
        var anon = app.AnonymousClient();
        var op = await app.ClientForAsync(Role.KpuOperator, "16.71");
        Assert.Equal(HttpStatusCode.Created, (await op.PostAsJsonAsync("/api/tally/sheets", TallySheets.ToJson(TallySheets.Valid(Gub, tps[0], 70, 50, 20)))).StatusCode);
        var (tpsIn, etag) = await Province(anon);
        Assert.Equal(1, tpsIn);
        return (anon, etag);
    }

    /// <summary>Changes the province's counter row behind the application's back (exactly one row).</summary>
    private static async Task EditProvinceRowAsync(PantauApp app, Action<UpdateSettersBuilder<Pantau.Data.Tally.TallyRecap>> set)
    {
        await using var db = app.NewDbContext();
        Assert.Equal(1, await db.TallyRecaps.Where(r => r.ContestCode == Gub && r.RegionCode == "16").ExecuteUpdateAsync(set));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_cached_recap_includes_every_sheet_as_soon_as_it_is_acknowledged(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        List<string> tps;
        await using (var db = app.NewDbContext()) tps = await Tps(db, 4);
        var anon = app.AnonymousClient();
        var op = await app.ClientForAsync(Role.KpuOperator, "16.71");
        var (before, etag0) = await Province(anon);
        Assert.Equal(0, before);
        Assert.True(app.Services.GetRequiredService<RecapCache>().Count > 0); // the province recap is now held in memory

        var etags = new HashSet<string> { etag0 };
        for (var i = 0; i < tps.Count; i++)
        {
            var res = await op.PostAsJsonAsync("/api/tally/sheets", TallySheets.ToJson(TallySheets.Valid(Gub, tps[i], 100 + i, 50, 20)));
            Assert.Equal(HttpStatusCode.Created, res.StatusCode);
            var (n, etag) = await Province(anon);
            Assert.Equal(i + 1, n);
            Assert.True(etags.Add(etag), "a changed recap has a new ETag");
        }
        // Unchanged: the same bytes and ETag, and a conditional read is answered 304.
        var (_, same) = await Province(anon);
        var conditional = new HttpRequestMessage(HttpMethod.Get, $"/api/tally/recap/{Gub}/16");
        conditional.Headers.TryAddWithoutValidation("If-None-Match", same);
        Assert.Equal(HttpStatusCode.NotModified, (await anon.SendAsync(conditional)).StatusCode);
    }

    [Fact]
    public async Task A_recap_read_past_half_its_age_is_served_at_once_and_rebuilt_in_the_background()
    {
        await using var app = await PantauApp.StartAsync();
        var (anon, _) = await OneSheetInCachedProvinceAsync(app);
        // A change the cache is not told about (as if written by an instance whose event was lost): a write bumps the row's version.
        await EditProvinceRowAsync(app, u => u.SetProperty(r => r.TpsIn, 42).SetProperty(r => r.Version, r => r.Version + 1));

        app.Clock.Advance(TimeSpan.FromSeconds(0.5)); // young entry: served as is, not rebuilt
        Assert.Equal(1, (await Province(anon)).TpsIn);
        await Task.Delay(300);
        Assert.Equal(1, (await Province(anon)).TpsIn);

        app.Clock.Advance(TimeSpan.FromSeconds(1)); // past half of the 2 s limit: this read still gets the entry at once ...
        Assert.Equal(1, (await Province(anon)).TpsIn);
        var deadline = DateTime.UtcNow.AddSeconds(10); // ... and the rebuild it started lands without the clock moving on
        long seen;
        while ((seen = (await Province(anon)).TpsIn) != 42 && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Equal(42, seen);
    }

    [Fact]
    public async Task A_refresh_keeps_an_entry_whose_counter_row_has_not_moved_and_rebuilds_it_once_it_has()
    {
        await using var app = await PantauApp.StartAsync();
        var (anon, etag) = await OneSheetInCachedProvinceAsync(app);
        // A counter edited without its version moving: no write of the application does that, so a refresh that only compares
        // versions must keep serving the entry it has, while a rebuild would read 42.
        await EditProvinceRowAsync(app, u => u.SetProperty(r => r.TpsIn, 42));
        for (var i = 0; i < 3; i++)
        {
            app.Clock.Advance(TimeSpan.FromSeconds(1.5)); // past half of the 2 s limit: refresh ahead, version unchanged
            Assert.Equal((1, etag), await Province(anon));
            await Task.Delay(200);
        }
        app.Clock.Advance(TimeSpan.FromSeconds(5)); // past the limit: checked at once, still unchanged
        Assert.Equal((1, etag), await Province(anon));

        await EditProvinceRowAsync(app, u => u.SetProperty(r => r.Version, r => r.Version + 1));
        app.Clock.Advance(TimeSpan.FromSeconds(5)); // past the limit again: the version moved, so this read waits for the rebuild
        Assert.Equal(42, (await Province(anon)).TpsIn);
    }

    [Fact]
    public async Task Version_history_names_the_submitter_only_to_users_whose_region_covers_the_TPS()
    {
        await using var app = await PantauApp.StartAsync();
        string tps, desa;
        await using (var db = app.NewDbContext())
        {
            var t = await db.Tps.Where(t => t.DesaCode.StartsWith("16.71.01")).OrderBy(t => t.Code).FirstAsync();
            (tps, desa) = (t.Code, t.DesaCode);
        }
        var kpps = await app.ClientForAsync(Role.KppsOperator, desa);
        Assert.Equal(HttpStatusCode.Created, (await kpps.PostAsJsonAsync("/api/tally/sheets", TallySheets.ToJson(TallySheets.Valid(Gub, tps, 50, 40, 30)))).StatusCode);
        async Task<JsonElement> Version(HttpClient c) =>
            (await c.GetFromJsonAsync<JsonElement>($"/api/tally/tps/{tps}/{Gub}/history")).GetProperty("versions")[0];
        var inScope = await Version(await app.ClientForAsync(Role.Bawaslu, "16.71"));
        Assert.False(string.IsNullOrEmpty(inScope.GetProperty("submittedBy").GetString()));
        Assert.Equal(JsonValueKind.Null, (await Version(await app.ClientForAsync(Role.PpsOperator, "16.02"))).GetProperty("submittedBy").ValueKind);
        Assert.Equal(JsonValueKind.Null, (await Version(app.AnonymousClient())).GetProperty("submittedBy").ValueKind);
        Assert.Equal(50, (await Version(app.AnonymousClient())).GetProperty("sheet").GetProperty("p1").GetInt64()); // the sheet itself is public
    }

    [Fact]
    public async Task A_recap_cached_on_one_instance_catches_up_with_writes_on_another()
    {
        if (TestDatabase.PostgresServer is null)
        {
            if (TestDatabase.PostgresRequired) throw new InvalidOperationException("PANTAU_REQUIRE_POSTGRES=1 but PANTAU_TEST_POSTGRES is not set.");
            Assert.Skip("PostgreSQL not available (set PANTAU_TEST_POSTGRES)");
        }
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var a = await PantauApp.StartOnAsync(db);
        await using var b = await PantauApp.StartOnAsync(db);
        await b.Services.GetRequiredService<PgLiveListener>().Listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
        List<string> tps;
        await using (var ctx = db.NewContext()) tps = await Tps(ctx, 2);
        var onB = b.AnonymousClient();
        Assert.Equal(0, (await Province(onB)).TpsIn); // cached on b
        var op = await a.ClientForAsync(Role.KpuOperator, "16.71");
        foreach (var code in tps)
            Assert.Equal(HttpStatusCode.Created, (await op.PostAsJsonAsync("/api/tally/sheets", TallySheets.ToJson(TallySheets.Valid(Gub, code, 90, 60, 30)))).StatusCode);
        // b learns of the change through LISTEN/NOTIFY and rebuilds in the background (bounded by the cache age in any case).
        var deadline = DateTime.UtcNow.AddSeconds(20);
        long seen;
        while ((seen = (await Province(onB)).TpsIn) != tps.Count && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal(tps.Count, seen);
    }
}
