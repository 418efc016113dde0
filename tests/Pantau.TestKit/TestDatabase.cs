using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Pantau.Data;
using Pantau.Data.Import;
using Pantau.Web.Infrastructure;

namespace Pantau.TestKit;

/// <summary>
/// A throw-away database for one test: SQLite always; PostgreSQL when <c>PANTAU_TEST_POSTGRES</c> holds a server connection
/// string (e.g. <c>Host=127.0.0.1;Port=55432;Username=postgres</c>). With <c>PANTAU_REQUIRE_POSTGRES=1</c> (CI) a missing
/// server fails the run instead of skipping the PostgreSQL half.
/// Seeded databases are copied from a per-process template holding the imported Sumatera Selatan master data.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public DatabaseProvider Provider { get; }
    public string ConnectionString { get; }
    private readonly string? _dropName;
    private readonly string? _file;

    private TestDatabase(DatabaseProvider provider, string cs, string? dropName, string? file)
    {
        Provider = provider; ConnectionString = cs; _dropName = dropName; _file = file;
    }

    public static string? PostgresServer => Environment.GetEnvironmentVariable("PANTAU_TEST_POSTGRES") is { Length: > 0 } s ? s : null;
    public static bool PostgresRequired => Environment.GetEnvironmentVariable("PANTAU_REQUIRE_POSTGRES") == "1";

    /// <summary>The providers to run data tests against.</summary>
    public static IEnumerable<DatabaseProvider> Providers
    {
        get
        {
            yield return DatabaseProvider.Sqlite;
            if (PostgresServer is not null) yield return DatabaseProvider.Postgres;
            else if (PostgresRequired) throw new InvalidOperationException("PANTAU_REQUIRE_POSTGRES=1 but PANTAU_TEST_POSTGRES is not set.");
        }
    }

    public static Xunit.TheoryData<DatabaseProvider> AllProviders => new(Providers);

    public PantauDbContext NewContext(IActorAccessor? actor = null, TimeProvider? time = null)
    {
        var b = new DbContextOptionsBuilder<PantauDbContext>();
        DatabaseSetup.Configure(b, Provider, ConnectionString);
        return new PantauDbContext(b.Options, actor, time);
    }

    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider, bool seeded = true)
    {
        var name = "pantau_t_" + Guid.NewGuid().ToString("N")[..16];
        if (provider == DatabaseProvider.Sqlite)
        {
            var dir = Path.Combine(Path.GetTempPath(), "pantau-tests");
            Directory.CreateDirectory(dir);
            var file = Path.Combine(dir, name + ".db");
            if (seeded) File.Copy(await SqliteTemplate.Value, file);
            var cs = new SqliteConnectionStringBuilder { DataSource = file, Pooling = false, DefaultTimeout = 30 }.ToString();
            var db = new TestDatabase(provider, SqlitePragmas.Prepare(cs), null, file);
            if (!seeded) { await using var ctx = db.NewContext(); await ctx.Database.MigrateAsync(); }
            return db;
        }
        var server = PostgresServer ?? throw new InvalidOperationException("PANTAU_TEST_POSTGRES is not set.");
        var template = seeded ? await PostgresTemplate.Value : null;
        await using (var admin = new NpgsqlConnection(WithDatabase(server, "postgres", pooling: false)))
        {
            await admin.OpenAsync();
            await using var cmd = admin.CreateCommand();
            cmd.CommandText = template is null ? $"CREATE DATABASE {name}" : $"CREATE DATABASE {name} TEMPLATE {template}";
            await cmd.ExecuteNonQueryAsync();
        }
        var pg = new TestDatabase(provider, WithDatabase(server, name, pooling: true), name, null);
        if (!seeded) { await using var ctx = pg.NewContext(); await ctx.Database.MigrateAsync(); }
        return pg;
    }

    private static string WithDatabase(string server, string database, bool pooling) =>
        new NpgsqlConnectionStringBuilder(server) { Database = database, Pooling = pooling, Timeout = 30, CommandTimeout = 120 }.ToString();

    public static string SharedDataDir => SharedData.Locate(start: AppContext.BaseDirectory)
        ?? throw new DirectoryNotFoundException("shared/data not found above the test folder.");

    private static readonly Lazy<Task<string>> SqliteTemplate = new(async () =>
    {
        var file = Path.Combine(Path.GetTempPath(), "pantau-tests", $"template_{Environment.ProcessId}_{Guid.NewGuid():N}.db");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var b = new DbContextOptionsBuilder<PantauDbContext>();
        DatabaseSetup.Configure(b, DatabaseProvider.Sqlite, new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        await using var ctx = new PantauDbContext(b.Options);
        await ctx.Database.MigrateAsync();
        await new MasterDataImporter(ctx).ImportAsync(SharedDataDir, ["16"]);
        return file;
    });

    private static readonly Lazy<Task<string>> PostgresTemplate = new(async () =>
    {
        var name = $"pantau_tpl_{Environment.ProcessId}_{Guid.NewGuid().ToString("N")[..8]}";
        var server = PostgresServer!;
        await using (var admin = new NpgsqlConnection(WithDatabase(server, "postgres", pooling: false)))
        {
            await admin.OpenAsync();
            await using var cmd = admin.CreateCommand();
            cmd.CommandText = $"CREATE DATABASE {name}";
            await cmd.ExecuteNonQueryAsync();
        }
        var b = new DbContextOptionsBuilder<PantauDbContext>();
        DatabaseSetup.Configure(b, DatabaseProvider.Postgres, WithDatabase(server, name, pooling: false));
        await using var ctx = new PantauDbContext(b.Options);
        await ctx.Database.MigrateAsync();
        await new MasterDataImporter(ctx).ImportAsync(SharedDataDir, ["16"]);
        return name;
    });

    public async ValueTask DisposeAsync()
    {
        if (_file is not null)
        {
            SqliteConnection.ClearAllPools();
            foreach (var f in new[] { _file, _file + "-wal", _file + "-shm" })
                try { File.Delete(f); } catch (IOException) { }
        }
        if (_dropName is not null && PostgresServer is { } server)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(WithDatabase(server, "postgres", pooling: false));
            await admin.OpenAsync();
            await using var cmd = admin.CreateCommand();
            cmd.CommandText = $"DROP DATABASE IF EXISTS {_dropName} WITH (FORCE)";
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
