using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Security;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tests.Security;

public class SecurityBackupTests
{
    [Fact]
    public async Task Backup_and_restore_of_sqlite_round_trip_and_restore_refuses_a_database_in_use()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var file = new SqliteConnectionStringBuilder(db.ConnectionString).DataSource;
        var backup = Path.Combine(Path.GetTempPath(), "pantau-tests", $"backup-{Guid.NewGuid():N}.db");
        int users;
        await using (var ctx = db.NewContext())
        {
            ctx.Users.Add(new Data.Identity.PantauUser { UserName = "before-backup", Role = Role.Camat, ScopeCode = "16.71.01" });
            await ctx.SaveChangesAsync();
            users = await ctx.Users.CountAsync();
        }
        Assert.Equal(0, await CommandLine.RunAsync(db.ConnectionString, "backup", backup));
        Assert.Equal("ok", SqliteBackup.IntegrityCheck(backup));
        Assert.NotEqual(0, await CommandLine.RunAsync(db.ConnectionString, "backup", backup)); // never overwrites

        // Changes after the backup ...
        await using (var ctx = db.NewContext())
        {
            ctx.Users.Add(new Data.Identity.PantauUser { UserName = "after-backup", Role = Role.Camat, ScopeCode = "16.71.01" });
            await ctx.SaveChangesAsync();
        }
        // ... while a connection holds the database open: restore refuses without --force.
        await using (var open = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString()))
        {
            open.Open();
            using (var cmd = open.CreateCommand()) { cmd.CommandText = "SELECT count(*) FROM \"Regions\""; cmd.ExecuteScalar(); }
            Assert.True(File.Exists(file + "-wal"));
            Assert.NotEqual(0, await CommandLine.RunAsync(db.ConnectionString, "restore", backup));
        }
        SqliteConnection.ClearAllPools();
        Assert.Equal(0, await CommandLine.RunAsync(db.ConnectionString, "restore", backup, "--force"));
        await using (var ctx = db.NewContext())
        {
            Assert.Equal(users, await ctx.Users.CountAsync());
            Assert.True(await ctx.Users.AnyAsync(u => u.UserName == "before-backup"));
            Assert.False(await ctx.Users.AnyAsync(u => u.UserName == "after-backup"));
            Assert.True(await ctx.Regions.CountAsync() > 3000);
        }
        Assert.Equal("ok", SqliteBackup.IntegrityCheck(file));

        // A file that is not a sound Pantau database is refused.
        var junk = Path.Combine(Path.GetTempPath(), "pantau-tests", $"junk-{Guid.NewGuid():N}.db");
        await File.WriteAllTextAsync(junk, "this is not a database");
        Assert.NotEqual(0, await CommandLine.RunAsync(db.ConnectionString, "restore", junk, "--force"));
        await using (var ctx = db.NewContext()) Assert.True(await ctx.Users.AnyAsync(u => u.UserName == "before-backup"));
        File.Delete(junk);
        File.Delete(backup);
    }
}
