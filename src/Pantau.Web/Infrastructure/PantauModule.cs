using System.Reflection;

namespace Pantau.Web.Infrastructure;

/// <summary>
/// A navigation entry contributed by a feature (Indonesian and English labels), in a menu group (<see cref="NavGroups"/>; empty: a
/// top-level link). Who sees it is not listed here: the menu shows it to users who pass the authorization of the page its
/// <paramref name="Href"/> opens (<see cref="NavAccess"/>), the same policy that guards that page.
/// </summary>
public sealed record NavItem(int Order, string Id, string En, string Href, string Group = "")
{
    /// <summary>Current page: exact match, or a sub-path of a non-root entry.</summary>
    public bool IsCurrent(string path) =>
        string.Equals(path, Href, StringComparison.OrdinalIgnoreCase)
        || (Href.Length > 1 && path.StartsWith(Href.TrimEnd('/') + "/", StringComparison.OrdinalIgnoreCase));
}

/// <summary>The menu's groups, by job, in their order on the bar.</summary>
public static class NavGroups
{
    public const string Results = "hasil", Readiness = "kesiapan", Security = "keamanan", Coordination = "koordinasi", Admin = "admin";
    public static readonly string[] Order = [Results, Readiness, Security, Coordination, Admin];

    public static string Label(this Lang l, string group) => group switch
    {
        Results => l.T("Hasil", "Results"),
        Readiness => l.T("Kesiapan", "Readiness"),
        Security => l.T("Keamanan", "Security"),
        Coordination => l.T("Koordinasi", "Coordination"),
        Admin => l.T("Admin", "Admin"),
        _ => group,
    };
}

/// <summary>
/// A feature of Pantau (Regions, Tally, Readiness, Incidents, Coordination ...). Modules are discovered by reflection,
/// so adding a feature means adding a folder with one module class: Program.cs stays untouched.
/// </summary>
public interface IPantauModule
{
    void AddServices(IServiceCollection services, IConfiguration configuration) { }
    /// <summary>Adds the feature's command-line verbs (<c>dotnet run --project src/Pantau.Web -- VERB</c>).</summary>
    void AddCommands(CommandVerbs verbs) { }
    void MapEndpoints(IEndpointRouteBuilder app);
    IEnumerable<NavItem> Nav => [];
}

public static class PantauModules
{
    public static IReadOnlyList<IPantauModule> All { get; } = typeof(PantauModules).Assembly.GetTypes()
        .Where(t => typeof(IPantauModule).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .Select(t => (IPantauModule)Activator.CreateInstance(t)!)
        .ToList();

    public static IReadOnlyList<NavItem> Nav { get; } = All.SelectMany(m => m.Nav).OrderBy(n => n.Order).ToList();
}

/// <summary>Seeds a feature's reference data idempotently at start-up, after migrations and the master-data import.</summary>
public interface IDatabaseSeeder
{
    Task SeedAsync(Pantau.Data.PantauDbContext db, CancellationToken ct);
}
