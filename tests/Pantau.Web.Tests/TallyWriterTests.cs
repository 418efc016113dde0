using Microsoft.EntityFrameworkCore;
using Pantau.Core.Tally;
using Pantau.Data.Tally;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;
using Pantau.Web.Tally;

namespace Pantau.Web.Tests;

/// <summary>The intake's lean writer on both stores: per-row statements on SQLite, set-based unnest statements in one batch on
/// PostgreSQL. Every column lands as EF reads it, and a moved concurrency token or a duplicate key is a lost race, as before.</summary>
public class TallyWriterTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;

    private static readonly DateTimeOffset At = new(2024, 11, 27, 6, 30, 15, 123, TimeSpan.FromHours(7));

    private static ResultVersion Version(string tps, int no, long seq, bool full) => new()
    {
        ContestCode = "PILGUB-16", TpsCode = tps, DesaCode = "16.71.01.1001", VersionNo = no, Status = full ? ResultStatus.Conflict : ResultStatus.Accepted,
        Payload = $"payload {tps} {no} é ✓", ValidationCodes = full ? "A1,B2" : "", Anomalies = full ? "PHOTO_REUSED" : "", Source = "api",
        SubmittedById = "u-" + no, SubmittedBy = "operator " + no, SubmittedAt = At.AddSeconds(no),
        Reason = full ? "salah tulis" : null, BeritaAcara = full ? "BA-7" : null, IdempotencyKey = full ? "key-" + tps : null,
        PhotoId = full ? Guid.Parse("6f1c1e0e-8b1a-4c7e-9d2a-0123456789ab") : null, PhotoSha256 = full ? new string('a', 64) : null, LogSeq = seq,
        ResolvedBy = full ? "ketua" : null, Resolution = full ? "dipilih" : null, ResolvedAt = full ? At.AddHours(1) : null,
    };

    private static RecapTotals Totals(long sah, params (int No, long Votes)[] votes)
    {
        var t = new RecapTotals { TpsIn = 1, SuaraSah = sah, SuaraTidakSah = 3, Users = sah + 3, Registered = 300, Disabled = 2, BallotsReceived = 310, BallotsUsed = sah + 3, BallotsDamaged = 1, BallotsUnused = 5 };
        foreach (var (no, v) in votes) t.Votes[no] = v;
        return t;
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Every_column_is_written_as_EF_reads_it_and_updates_that_name_the_read_version_go_through(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var full = Version("1671011001001", 2, 11, full: true);
        var bare = Version("1671011001002", 1, 12, full: false);
        await using (var ctx = db.NewContext())
        {
            await using var tx = await ctx.Database.BeginTransactionAsync();
            await using var w = new TallyWriter(ctx, tx);
            await w.InsertLogAsync(new TallyLogEntry { Seq = 11, At = At, ContestCode = "PILGUB-16", TpsCode = full.TpsCode, PrevHash = new string('0', 64), Hash = new string('1', 64), Entry = "entry ✓" }, default);
            await w.InsertVersionAsync(full, default);
            await w.InsertVersionAsync(bare, default);
            await w.SaveCurrentAsync(new TallyCurrent { ContestCode = "PILGUB-16", TpsCode = full.TpsCode, CountedVersionNo = 1, LatestVersionNo = 2, State = TallyState.Conflict, Version = 3 }, true, 0, default);
            await w.SaveRecapAsync("PILGUB-16", "16.71", Totals(100, (1, 60), (2, 40)), null, default);
            await w.SaveRecapAsync("PILGUB-16", full.TpsCode, Totals(100, (1, 60), (2, 40)), null, default);
            await w.FlushAsync(default);
            await tx.CommitAsync();
        }
        await using (var ctx = db.NewContext())
        {
            var rows = await ctx.ResultVersions.AsNoTracking().OrderBy(v => v.LogSeq).ToListAsync();
            Assert.Equal(2, rows.Count);
            foreach (var (expected, got) in new[] { (full, rows[0]), (bare, rows[1]) })
            {
                Assert.True(got.Id > 0);
                Assert.Equal(expected.ContestCode, got.ContestCode); Assert.Equal(expected.TpsCode, got.TpsCode); Assert.Equal(expected.DesaCode, got.DesaCode);
                Assert.Equal(expected.VersionNo, got.VersionNo); Assert.Equal(expected.Status, got.Status); Assert.Equal(expected.Payload, got.Payload);
                Assert.Equal(expected.ValidationCodes, got.ValidationCodes); Assert.Equal(expected.Anomalies, got.Anomalies); Assert.Equal(expected.Source, got.Source);
                Assert.Equal(expected.SubmittedById, got.SubmittedById); Assert.Equal(expected.SubmittedBy, got.SubmittedBy);
                Assert.Equal(expected.SubmittedAt.UtcTicks / 10, got.SubmittedAt.UtcTicks / 10);
                Assert.Equal(expected.Reason, got.Reason); Assert.Equal(expected.BeritaAcara, got.BeritaAcara); Assert.Equal(expected.IdempotencyKey, got.IdempotencyKey);
                Assert.Equal(expected.PhotoId, got.PhotoId); Assert.Equal(expected.PhotoSha256, got.PhotoSha256); Assert.Equal(expected.LogSeq, got.LogSeq);
                Assert.Equal(expected.ResolvedBy, got.ResolvedBy); Assert.Equal(expected.Resolution, got.Resolution);
                Assert.Equal(expected.ResolvedAt?.UtcTicks / 10, got.ResolvedAt?.UtcTicks / 10);
            }
            var log = await ctx.TallyLog.AsNoTracking().SingleAsync();
            Assert.Equal((11L, At.UtcTicks / 10, "entry ✓", new string('1', 64)), (log.Seq, log.At.UtcTicks / 10, log.Entry, log.Hash));
            var current = await ctx.TallyCurrent.AsNoTracking().SingleAsync();
            Assert.Equal((1, 2, TallyState.Conflict, 3L), (current.CountedVersionNo, current.LatestVersionNo, current.State, current.Version));
            var kab = await ctx.TallyRecaps.AsNoTracking().SingleAsync(r => r.RegionCode == "16.71");
            Assert.Equal(("16", 2, 1L), (kab.ParentCode, kab.Level, kab.Version));
            Assert.Equal(Totals(100, (1, 60), (2, 40)), TallyService.ToTotals(kab));
            var tpsRow = await ctx.TallyRecaps.AsNoTracking().SingleAsync(r => r.RegionCode == full.TpsCode);
            Assert.Equal(5, tpsRow.Level);
        }

        // Updates naming the versions just read, and a status move of the first version.
        await using (var ctx = db.NewContext())
        {
            var id = await ctx.ResultVersions.Where(v => v.LogSeq == 11).Select(v => v.Id).SingleAsync();
            await using var tx = await ctx.Database.BeginTransactionAsync();
            await using var w = new TallyWriter(ctx, tx);
            await w.SetVersionStatusAsync(id, ResultStatus.Rejected, default);
            await w.SaveCurrentAsync(new TallyCurrent { ContestCode = "PILGUB-16", TpsCode = full.TpsCode, CountedVersionNo = 2, LatestVersionNo = 2, State = TallyState.Accepted, Version = 4 }, false, 3, default);
            await w.SaveRecapAsync("PILGUB-16", "16.71", Totals(150, (1, 90), (2, 60)), 1, default);
            await w.FlushAsync(default);
            await tx.CommitAsync();
        }
        await using (var ctx = db.NewContext())
        {
            Assert.Equal(ResultStatus.Rejected, await ctx.ResultVersions.Where(v => v.LogSeq == 11).Select(v => v.Status).SingleAsync());
            Assert.Equal(ResultStatus.Accepted, await ctx.ResultVersions.Where(v => v.LogSeq == 12).Select(v => v.Status).SingleAsync());
            var current = await ctx.TallyCurrent.AsNoTracking().SingleAsync();
            Assert.Equal((2, TallyState.Accepted, 4L), (current.CountedVersionNo, current.State, current.Version));
            var kab = await ctx.TallyRecaps.AsNoTracking().SingleAsync(r => r.RegionCode == "16.71");
            Assert.Equal(2L, kab.Version);
            Assert.Equal(Totals(150, (1, 90), (2, 60)), TallyService.ToTotals(kab));
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_moved_token_or_a_taken_key_is_a_lost_race_and_nothing_of_the_chunk_stays(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using (var ctx = db.NewContext())
        {
            ctx.TallyCurrent.Add(new TallyCurrent { ContestCode = "PILGUB-16", TpsCode = "1671011001001", CountedVersionNo = 1, LatestVersionNo = 1, State = TallyState.Accepted, Version = 5 });
            ctx.TallyRecaps.Add(new TallyRecap { ContestCode = "PILGUB-16", RegionCode = "16.71", ParentCode = "16", Level = 2, Version = 7 });
            await ctx.SaveChangesAsync();
        }

        // Each chunk: one good write, then the write that lost the race; the error comes at the write (SQLite) or at the flush (PostgreSQL).
        async Task<Exception> Chunk(Func<TallyWriter, Task> losing)
        {
            await using var ctx = db.NewContext();
            await using var tx = await ctx.Database.BeginTransactionAsync();
            await using var w = new TallyWriter(ctx, tx);
            var ex = await Record.ExceptionAsync(async () =>
            {
                await w.InsertVersionAsync(Version("1671011001009", 1, 99, full: false), default);
                await losing(w);
                await w.FlushAsync(default);
                await tx.CommitAsync();
            });
            Assert.NotNull(ex);
            return ex;
        }

        // Another writer moved the current row (version 5, not 4) / the counter row (version 7, not 6).
        Assert.IsType<DbUpdateConcurrencyException>(await Chunk(w => w.SaveCurrentAsync(
            new TallyCurrent { ContestCode = "PILGUB-16", TpsCode = "1671011001001", CountedVersionNo = 2, LatestVersionNo = 2, State = TallyState.Accepted, Version = 5 }, false, 4, default)));
        Assert.IsType<DbUpdateConcurrencyException>(await Chunk(w => w.SaveRecapAsync("PILGUB-16", "16.71", Totals(10), 6, default)));
        // Another writer inserted the current row / the counter row first: the provider's unique violation.
        Assert.True(TallyService.IsLostRace(await Chunk(w => w.SaveCurrentAsync(
            new TallyCurrent { ContestCode = "PILGUB-16", TpsCode = "1671011001001", CountedVersionNo = 1, LatestVersionNo = 1, State = TallyState.Accepted, Version = 1 }, true, 0, default))));
        Assert.True(TallyService.IsLostRace(await Chunk(w => w.SaveRecapAsync("PILGUB-16", "16.71", Totals(10), null, default))));

        await using (var ctx = db.NewContext())
        {
            Assert.Equal(0, await ctx.ResultVersions.CountAsync());
            Assert.Equal(5L, (await ctx.TallyCurrent.AsNoTracking().SingleAsync()).Version);
            var kab = await ctx.TallyRecaps.AsNoTracking().SingleAsync();
            Assert.Equal((7L, 0L), (kab.Version, kab.SuaraSah));
        }
    }
}
