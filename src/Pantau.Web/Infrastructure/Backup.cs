using Microsoft.Data.Sqlite;

namespace Pantau.Web.Infrastructure;

/// <summary>
/// Online backup and restore of the embedded SQLite database (SQLite's backup API, safe while the server runs).
/// PostgreSQL deployments use <c>pg_dump -Fc</c> / <c>pg_restore</c> instead (see the README).
/// </summary>
public static class SqliteBackup
{
    public sealed record Result(bool Ok, string Message);

    /// <summary>Copies the live database to <paramref name="destination"/> page by page and checks the copy's integrity.</summary>
    public static Result Backup(string connectionString, string destination)
    {
        var src = new SqliteConnectionStringBuilder(connectionString);
        if (!File.Exists(src.DataSource)) return new(false, $"no database at {src.DataSource}");
        var dest = Path.GetFullPath(destination);
        if (File.Exists(dest)) return new(false, $"{dest} exists; choose a new file");
        Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
        using (var from = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = src.DataSource, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        using (var to = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = dest, Pooling = false }.ToString()))
        {
            from.Open();
            to.Open();
            from.BackupDatabase(to);
        }
        var check = IntegrityCheck(dest);
        return check == "ok" ? new(true, $"backup written to {dest} ({new FileInfo(dest).Length:N0} bytes, integrity ok)")
            : new(false, $"backup at {dest} failed the integrity check: {check}");
    }

    /// <summary>
    /// Replaces the database with <paramref name="backupFile"/> after checking the backup's integrity. Refuses while the database
    /// looks in use (its <c>-wal</c>/<c>-shm</c> files exist: a running server, or one that was killed) unless <paramref name="force"/>.
    /// </summary>
    public static Result Restore(string connectionString, string backupFile, bool force)
    {
        var target = new SqliteConnectionStringBuilder(connectionString).DataSource;
        var source = Path.GetFullPath(backupFile);
        if (!File.Exists(source)) return new(false, $"no backup at {source}");
        var check = IntegrityCheck(source);
        if (check != "ok") return new(false, $"{source} is not a sound SQLite database: {check}");
        if (!HasSchema(source)) return new(false, $"{source} is not a Pantau database (no migrations history)");
        if (!force && (File.Exists(target + "-wal") || File.Exists(target + "-shm")))
            return new(false, $"{target} is in use (or was not closed cleanly); stop the server first, or pass --force");
        SqliteConnection.ClearAllPools();
        using (var from = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = source, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        using (var to = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ToString()))
        {
            from.Open();
            to.Open();
            from.BackupDatabase(to);
        }
        var after = IntegrityCheck(target);
        return after == "ok" ? new(true, $"restored {target} from {source} (integrity ok)") : new(false, $"restored database failed the integrity check: {after}");
    }

    public static string IntegrityCheck(string file)
    {
        try
        {
            using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA integrity_check";
            return cmd.ExecuteScalar() as string ?? "no answer";
        }
        catch (SqliteException ex) { return ex.Message; }
    }

    private static bool HasSchema(string file)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsHistory'";
        return Convert.ToInt64(cmd.ExecuteScalar()) == 1;
    }

    internal static Task<int> BackupVerb(WebApplication app, string[] args)
    {
        var info = app.Services.GetRequiredService<DatabaseInfo>();
        if (args.Length < 1) return Print(false, "usage: backup PATH");
        if (info.Provider != DatabaseProvider.Sqlite) return Print(false, "PostgreSQL: use pg_dump -Fc (see README, Deployment)");
        var r = Backup(info.ConnectionString, args[0]);
        return Print(r.Ok, r.Message);
    }

    internal static Task<int> RestoreVerb(WebApplication app, string[] args)
    {
        var info = app.Services.GetRequiredService<DatabaseInfo>();
        if (args.Length < 1) return Print(false, "usage: restore PATH [--force]");
        if (info.Provider != DatabaseProvider.Sqlite) return Print(false, "PostgreSQL: use pg_restore (see README, Deployment)");
        var r = Restore(info.ConnectionString, args[0], args.Contains("--force"));
        return Print(r.Ok, r.Message);
    }

    private static Task<int> Print(bool ok, string message)
    {
        (ok ? Console.Out : Console.Error).WriteLine(message);
        return Task.FromResult(ok ? 0 : 1);
    }
}
