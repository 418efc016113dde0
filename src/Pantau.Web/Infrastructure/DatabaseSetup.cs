using Microsoft.EntityFrameworkCore;
using Pantau.Data;
using Pantau.Data.Postgres;
using Pantau.Data.Sqlite;
using Pantau.Storage;

namespace Pantau.Web.Infrastructure;

public enum DatabaseProvider { Sqlite, Postgres }

/// <summary>Chooses the database from configuration: <c>Database:Provider</c> (Sqlite | Postgres) and <c>ConnectionStrings:Pantau</c>.</summary>
public static class DatabaseSetup
{
    public static DatabaseProvider Provider(IConfiguration config) =>
        Enum.TryParse<DatabaseProvider>(config["Database:Provider"], ignoreCase: true, out var p) ? p
        : (config["Database:Provider"] is { Length: > 0 } bad
            ? throw new InvalidOperationException($"Unknown Database:Provider '{bad}'. Use Sqlite or Postgres.")
            : DatabaseProvider.Sqlite);

    public static string DataDir(IConfiguration config, string contentRoot)
    {
        var dir = config["Pantau:DataDir"] is { Length: > 0 } d ? Path.GetFullPath(d, contentRoot) : Path.Combine(contentRoot, "App_Data");
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static string ConnectionString(IConfiguration config, string contentRoot) =>
        config.GetConnectionString("Pantau") is { Length: > 0 } cs ? cs
        : Provider(config) == DatabaseProvider.Sqlite
            ? $"Data Source={Path.Combine(DataDir(config, contentRoot), "pantau.db")}"
            : throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Pantau is not set.");

    public static void Configure(DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString)
    {
        if (provider == DatabaseProvider.Postgres)
            options.UseNpgsql(connectionString, o => { PostgresDesignTimeFactory.Configure(o); o.EnableRetryOnFailure(3); });
        else
            options.UseSqlite(connectionString, SqliteDesignTimeFactory.Configure).AddInterceptors(SqliteConnectionPragmas.Instance);
    }

    public static IServiceCollection AddPantauDatabase(this IServiceCollection services, IConfiguration config, string contentRoot)
    {
        var provider = Provider(config);
        var cs = ConnectionString(config, contentRoot);
        if (provider == DatabaseProvider.Sqlite)
        {
            cs = SqlitePragmas.Prepare(cs);
            services.AddHostedService<SqliteCheckpointer>();
        }
        services.AddSingleton(Pantau.Data.Identity.AccountEpochs.Process); // the contexts' and the credential caches' (one per process)
        services.AddDbContext<PantauDbContext>(o => Configure(o, provider, cs));
        services.AddSingleton(new DatabaseInfo(provider, cs));
        return services;
    }
}

public sealed record DatabaseInfo(DatabaseProvider Provider, string ConnectionString);

/// <summary>Puts SQLite in WAL mode (readers don't block the writer) once per database file.</summary>
public static class SqlitePragmas
{
    public static string Prepare(string connectionString)
    {
        var b = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString);
        if (b.DataSource is { Length: > 0 } file && file != ":memory:" && b.Mode != Microsoft.Data.Sqlite.SqliteOpenMode.Memory)
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(file));
            if (dir is not null) Directory.CreateDirectory(dir);
            using var c = new Microsoft.Data.Sqlite.SqliteConnection(b.ToString());
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA journal_mode=WAL;";
            cmd.ExecuteNonQuery();
        }
        if (b.DefaultTimeout < 30) b.DefaultTimeout = 30;
        return b.ToString();
    }
}

/// <summary>
/// Per-connection SQLite settings (they do not persist in the file): a 64 MiB page cache so the indexes the tally intake writes stay in
/// memory at national scale, and <c>synchronous=FULL</c>: in WAL mode every commit is on disk before a sheet is acknowledged, also
/// across a power cut.
/// </summary>
public sealed class SqliteConnectionPragmas : Microsoft.EntityFrameworkCore.Diagnostics.DbConnectionInterceptor
{
    public static readonly SqliteConnectionPragmas Instance = new();
    private const string Sql = "PRAGMA synchronous=FULL; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY; PRAGMA wal_autocheckpoint=20000;";

    public override void ConnectionOpened(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = Sql;
        cmd.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = Sql;
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>
/// Copies the SQLite write-ahead log back into the database file every second on its own connection (a passive checkpoint never
/// blocks readers or the writer), so that a committing request does not pay for it. It runs on the <see cref="BulkLane"/>, below
/// the request threads: copying pages and waiting for the disk must not delay a read. Connections still checkpoint by themselves
/// once the log passes 20,000 pages (~80 MB), should this service be stopped.
/// </summary>
public sealed class SqliteCheckpointer(DatabaseInfo db, BulkLane lane, IConfiguration config, ILogger<SqliteCheckpointer> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var b = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(db.ConnectionString);
        if (b.Mode == Microsoft.Data.Sqlite.SqliteOpenMode.Memory || b.DataSource is "" or ":memory:") return;
        var seconds = config.GetValue("Pantau:Sqlite:CheckpointSeconds", ReadInstance.IsSet(config) ? 0.0 : 1.0); // a read instance leaves it to the writer
        if (seconds <= 0) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds), TimeProvider.System);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await lane.RunAsync(() =>
                    {
                        using var c = new Microsoft.Data.Sqlite.SqliteConnection(db.ConnectionString);
                        c.Open();
                        using var cmd = c.CreateCommand();
                        cmd.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                        cmd.ExecuteNonQuery();
                        return Task.CompletedTask;
                    }, stoppingToken);
                }
                catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
                {
                    log.LogDebug(ex, "WAL checkpoint skipped");
                }
            }
        }
        catch (OperationCanceledException) { }
    }
}
