using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Pantau.Data;
using Pantau.Data.Import;
using Pantau.Storage;

namespace Pantau.Web.Infrastructure;

public static class Startup
{
    public static WebApplicationBuilder AddPantau(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;
        // SQLite work is synchronous under its async API, so a batch being written holds a pool thread for its whole transaction.
        // Enough threads from the start keep a public read from queuing behind writers until the pool grows (it adds ~2 threads/s).
        ThreadPool.GetMinThreads(out var workers, out var io);
        var minThreads = config.GetValue("Pantau:MinThreads", 64);
        if (workers < minThreads) ThreadPool.SetMinThreads(minThreads, io);
        services.AddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();
        services.AddScoped<IActorAccessor, HttpActorAccessor>();
        services.AddScoped<Lang>();
        // Bulk work below the request threads: imports, the SQLite checkpoint, background recap rebuilds, the anomaly scan.
        services.AddSingleton<BulkLane>();
        services.AddPantauDatabase(config, builder.Environment.ContentRootPath);
        services.AddPantauAuth();
        services.AddPantauRateLimits(config);
        services.AddProblemDetails();
        services.AddPantauOpenApi();
        // Razor Pages validate the antiforgery token of every POST by themselves; a global filter on top would also override the error
        // page's [IgnoreAntiforgeryToken], so a form posted without its token would get a bare 400 instead of the readable page.
        services.AddRazorPages();
        services.AddAntiforgery(o => { o.Cookie.Name = "pantau.csrf"; o.HeaderName = "X-CSRF-TOKEN"; o.Cookie.SameSite = SameSiteMode.Strict; });
        services.Configure<FormOptions>(o => o.MultipartBodyLengthLimit = 12 * 1024 * 1024);
        builder.WebHost.ConfigureKestrel((ctx, o) => o.Limits.MaxRequestBodySize = RequestProtection.MaxRequestBytes(ctx.Configuration));
        // Pantau:InlineRequests (default false), for an instance that serves cached public results and takes no intake: requests run
        // on the socket threads instead of being handed to the thread pool (one thread wake-up less per read). Not for an instance that
        // takes sheets: with SQLite every database call is synchronous, and a slow one would hold up the other connections of its
        // socket thread. Set DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 as well, so that socket completions are inlined too.
        if (config.GetValue("Pantau:InlineRequests", ReadInstance.IsSet(config)))
            builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = true);
        services.AddPantauRequestProtection(config);
        services.AddPantauDelivery();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
        });
        foreach (var module in PantauModules.All) module.AddServices(services, config);
        return builder;
    }

    public static WebApplication UsePantau(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseResponseCompression();
        app.UsePantauErrors();
        app.UseSecurityHeaders();
        app.UsePantauStaticFiles();
        app.UseRouting();
        app.UseJsonBodyLimit();
        app.UseAuthentication();
        app.UseApiCsrfProtection();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        Tally.ResultsPageCacheSetup.UseResultsPageCache(app);
        foreach (var module in PantauModules.All) module.MapEndpoints(app);
        app.MapPantauOpenApi();
        app.MapRazorPages();
        return app;
    }

    /// <summary>Applies migrations and, on first start (no regions yet), imports the Sumatera Selatan master data.</summary>
    public static async Task InitializeDatabaseAsync(this WebApplication app, CancellationToken ct = default)
    {
        using var scope = app.Services.CreateScope();
        var log = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("Pantau.Startup");
        var db = scope.ServiceProvider.GetRequiredService<PantauDbContext>();
        await db.Database.MigrateAsync(ct);
        await Admin.AuditGuard.EnsureAsync(db, ct);
        var config = app.Configuration;
        if (config.GetValue("Pantau:ImportOnStart", true) && !await db.Regions.AnyAsync(ct))
        {
            var dataDir = SharedData.Locate(config);
            if (dataDir is null)
                log.LogWarning("No shared/data folder found; starting with an empty region tree. Set Pantau:SharedData and run the import command.");
            else
            {
                log.LogInformation("First start: importing master data from {Dir}", dataDir);
                var report = await new MasterDataImporter(db).ImportAsync(dataDir, Provinces(config),
                    new Progress<ImportProgress>(p => log.LogInformation("{Stage}: {Done}/{Total}", p.Stage, p.Done, p.Total)), ct);
                log.LogInformation("Imported {Report}", report);
            }
        }
        // Reference data of the features (schedule, checklist templates ...): seeded at start, never as a side effect of a request.
        foreach (var seeder in scope.ServiceProvider.GetServices<IDatabaseSeeder>()) await seeder.SeedAsync(db, ct);
    }

    public static string[] Provinces(IConfiguration config) =>
        (config["Pantau:Provinces"] ?? "16").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
