using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Pantau.Core.Security;
using Pantau.Data;
using Pantau.Data.Identity;
using Pantau.Web.Infrastructure;

namespace Pantau.TestKit;

/// <summary>
/// The Pantau web app in-process on a <see cref="TestDatabase"/>, with a controllable clock.
/// Create with <see cref="StartAsync"/>; dispose to drop the database.
/// </summary>
public sealed class PantauApp : WebApplicationFactory<Program>
{
    public TestDatabase Database { get; }
    public FakeTimeProvider Clock { get; }
    private readonly Dictionary<string, string?> _settings;
    private bool _ownsDatabase = true;

    private PantauApp(TestDatabase db, FakeTimeProvider clock, Dictionary<string, string?> settings)
    {
        Database = db; Clock = clock; _settings = settings;
    }

    /// <summary>
    /// Another app instance on an existing database (several instances on one PostgreSQL). The database is not dropped when
    /// this instance is disposed; its owner drops it. With <paramref name="kestrel"/> the instance listens on a loopback port.
    /// </summary>
    public static Task<PantauApp> StartOnAsync(TestDatabase db, DateTimeOffset? now = null, IDictionary<string, string?>? settings = null, bool kestrel = false)
    {
        var all = DefaultSettings(db.Provider, db);
        if (settings is not null) foreach (var (k, v) in settings) all[k] = v;
        var app = new PantauApp(db, new FakeTimeProvider(now ?? DefaultNow), all) { _ownsDatabase = false };
        if (kestrel) { app.UseKestrel(0); app.StartServer(); }
        else _ = app.Server;
        return Task.FromResult(app);
    }

    /// <summary>Signs in through the sign-in form (cookie session, antiforgery token) and returns the cookie-carrying client.</summary>
    public async Task<HttpClient> CookieClientAsync(string userName, string password, Uri? baseAddress = null)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = baseAddress ?? new Uri("http://localhost") });
        var page = await client.GetStringAsync("/masuk");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var res = await client.PostAsync("/masuk", new FormUrlEncodedContent(new Dictionary<string, string>
            { ["UserName"] = userName, ["Password"] = password, ["__RequestVerificationToken"] = token }));
        if (res.StatusCode != System.Net.HttpStatusCode.Redirect) throw new InvalidOperationException($"sign-in failed: {(int)res.StatusCode}");
        return client;
    }

    /// <summary>Default "now" for tests: 20 Nov 2024 09:00 WIB, a week before voting day.</summary>
    public static readonly DateTimeOffset DefaultNow = new(2024, 11, 20, 2, 0, 0, TimeSpan.Zero);

    public static async Task<PantauApp> StartAsync(DatabaseProvider provider = DatabaseProvider.Sqlite, DateTimeOffset? now = null,
        IDictionary<string, string?>? settings = null)
    {
        var db = await TestDatabase.CreateAsync(provider);
        var all = Settings(provider, db, settings);
        var app = new PantauApp(db, new FakeTimeProvider(now ?? DefaultNow), all);
        _ = app.Server; // boot now so failures surface here
        return app;
    }

    /// <summary>Like <see cref="StartAsync"/> but served by Kestrel on a random loopback port.</summary>
    internal static async Task<PantauApp> StartKestrelAsync(DatabaseProvider provider, DateTimeOffset? now, IDictionary<string, string?>? settings)
    {
        var db = await TestDatabase.CreateAsync(provider);
        var all = Settings(provider, db, settings);
        var app = new PantauApp(db, new FakeTimeProvider(now ?? DefaultNow), all);
        app.UseKestrel(0);
        app.StartServer();
        return app;
    }

    /// <summary>The test kit's defaults with <paramref name="overrides"/> on top; a null value takes the default out (the app's own
    /// default then applies).</summary>
    private static Dictionary<string, string?> Settings(DatabaseProvider provider, TestDatabase db, IDictionary<string, string?>? overrides)
    {
        var all = DefaultSettings(provider, db);
        foreach (var (k, v) in overrides ?? new Dictionary<string, string?>())
            if (v is null) all.Remove(k); else all[k] = v;
        return all;
    }

    private static Dictionary<string, string?> DefaultSettings(DatabaseProvider provider, TestDatabase db) => new()
    {
        ["Database:Provider"] = provider.ToString(),
        ["ConnectionStrings:Pantau"] = db.ConnectionString,
        ["Pantau:ImportOnStart"] = "false",
        ["Pantau:RateLimitScale"] = "1000",
        // No background job loop: a job runs when the test calls JobRunner.RunDueAsync (with the fake clock), never in the middle
        // of another test's requests. A test of the loop itself sets it back to true.
        ["Pantau:RunJobs"] = "false",
        // Warnings and errors only: a failing run prints the whole test process's output, and the failure must not drown in it.
        ["Logging:LogLevel:Default"] = "Warning",
        ["Pantau:DataDir"] = Path.Combine(Path.GetTempPath(), "pantau-tests", "data-" + Guid.NewGuid().ToString("N")[..8]),
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (k, v) in _settings) builder.UseSetting(k, v);
        builder.ConfigureServices(s =>
        {
            s.RemoveAll<TimeProvider>();
            s.AddSingleton<TimeProvider>(Clock);
        });
    }

    public PantauDbContext NewDbContext() => Database.NewContext(time: Clock);

    /// <summary>Creates an account directly in the database and returns an HTTP client authenticated by an API token.</summary>
    public async Task<HttpClient> ClientForAsync(Role role, string scope, string? userName = null)
    {
        var (user, _) = await CreateUserAsync(role, scope, userName);
        var token = AuthSetup.NewToken();
        await using (var db = NewDbContext())
        {
            db.ApiTokens.Add(new ApiToken { UserId = user.Id, Name = "test", TokenHash = AuthSetup.HashToken(token), CreatedAt = Clock.GetUtcNow() });
            await db.SaveChangesAsync();
        }
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public HttpClient AnonymousClient() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public const string TestPassword = "Rahasia-2024x";

    public async Task<(PantauUser User, string Password)> CreateUserAsync(Role role, string scope, string? userName = null)
    {
        using var s = Services.CreateScope();
        var users = s.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<PantauUser>>();
        var user = new PantauUser
        {
            UserName = userName ?? $"{role.ToString().ToLowerInvariant()}-{Guid.NewGuid().ToString("N")[..6]}",
            DisplayName = $"Petugas uji {scope}", Role = role, ScopeCode = scope, CreatedAt = Clock.GetUtcNow(),
        };
        var result = await users.CreateAsync(user, TestPassword);
        if (!result.Succeeded) throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        return (user, TestPassword);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsDatabase) await Database.DisposeAsync();
    }
}
