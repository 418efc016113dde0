using Microsoft.EntityFrameworkCore;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tests;

public class SqliteSettingsTests
{
    [Fact]
    public async Task Sqlite_connections_commit_durably_in_wal_mode_with_a_large_page_cache()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var ctx = db.NewContext();
        await ctx.Database.OpenConnectionAsync();
        await using var cmd = ctx.Database.GetDbConnection().CreateCommand();
        async Task<object?> Pragma(string name) { cmd.CommandText = "PRAGMA " + name; return await cmd.ExecuteScalarAsync(); }
        Assert.Equal(2L, await Pragma("synchronous")); // FULL: an acknowledged sheet is on disk
        Assert.Equal(-65536L, await Pragma("cache_size"));
        Assert.Equal("wal", await Pragma("journal_mode"));
        Assert.Equal(20000L, await Pragma("wal_autocheckpoint")); // the app's checkpointer does the work in the background
    }
}
