using System.Text;
using Microsoft.EntityFrameworkCore;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;
using Pantau.Storage;

namespace Pantau.Web.Tests;

/// <summary>The raw row readers and the in-memory copies the tally verifier reads millions of rows through.</summary>
public class Utf8RowsTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;

    [Theory, MemberData(nameof(Providers))]
    public async Task Rows_hand_over_text_as_utf8_and_numbers_as_stored_and_survive_buffering(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var ctx = db.NewContext();
        await ctx.Database.OpenConnectionAsync();
        await using var tx = await ctx.Database.BeginTransactionAsync();
        await ctx.Database.ExecuteSqlRawAsync("CREATE TEMP TABLE rows_probe (n BIGINT NOT NULL, t TEXT NOT NULL, u TEXT NULL)");
        var big = new string('x', 5_000_000); // larger than an arena block: stored in a block of its own
        await ctx.Database.ExecuteSqlRawAsync("INSERT INTO rows_probe VALUES (1, 'Sumatera Selatan — Palembang', 'a'), (-7, {0}, NULL), (9000000000, '', 'ñ')", big);
        var conn = ctx.Database.GetDbConnection();
        var dbTx = Microsoft.EntityFrameworkCore.Storage.DbContextTransactionExtensions.GetDbTransaction(tx);
        const string sql = "SELECT n, t, u FROM rows_probe ORDER BY n";
        var expected = new (long N, string T, string U)[] { (-7, big, ""), (1, "Sumatera Selatan — Palembang", "a"), (9000000000, "", "ñ") };

        void Check(Utf8Rows rows)
        {
            foreach (var (n, t, u) in expected)
            {
                Assert.True(rows.Next());
                Assert.Equal(n, rows.Int64(0));
                Assert.Equal(t, Encoding.UTF8.GetString(rows.Text(1)));
                Assert.Equal(u, Encoding.UTF8.GetString(rows.Text(2)));
            }
            Assert.False(rows.Next());
        }
        using (var direct = Utf8Rows.Open(conn, dbTx, sql)) Check(direct);
        BufferedRows buffered;
        using (var source = Utf8Rows.Open(conn, dbTx, sql)) buffered = BufferedRows.Fill(source, [false, true, true], CancellationToken.None);
        Check(buffered);
    }

    [Fact]
    public void Arena_keeps_many_small_strings_across_blocks_and_large_ones_whole()
    {
        var arena = new ByteArena();
        var handles = new List<(long Handle, byte[] Data)>();
        var random = new Random(42);
        for (var i = 0; i < 60_000; i++)
        {
            var data = new byte[random.Next(0, 200)];
            random.NextBytes(data);
            handles.Add((arena.Add(data), data));
            if (i % 20_000 == 0)
            {
                var large = new byte[(4 << 20) + i];
                random.NextBytes(large);
                handles.Add((arena.Add(large), large));
            }
        }
        foreach (var (handle, data) in handles) Assert.True(arena.Get(handle).SequenceEqual(data));
    }
}
