using System.Reflection;

namespace Pantau.Web.Infrastructure;

/// <summary>
/// A navigation entry contributed by a feature (Indonesian and English labels). <paramref name="Roles"/> limits it to
/// signed-in users holding one of those roles (implies sign-in); null shows it to everyone allowed by <paramref name="RequiresSignIn"/>.
/// </summary>
public sealed record NavItem(int Order, string Id, string En, string Href, bool RequiresSignIn = false, Pantau.Core.Security.Role[]? Roles = null)
{
    /// <summary>Whether the entry is shown to <paramref name="actor"/>.</summary>
    public bool VisibleTo(Pantau.Core.Security.Actor actor) =>
        Roles is { Length: > 0 } ? Array.IndexOf(Roles, actor.Role) >= 0
        : !RequiresSignIn || actor.Role != Pantau.Core.Security.Role.Public;

    /// <summary>Current page: exact match, or a sub-path of a non-root entry.</summary>
    public bool IsCurrent(string path) =>
        string.Equals(path, Href, StringComparison.OrdinalIgnoreCase)
        || (Href.Length > 1 && path.StartsWith(Href.TrimEnd('/') + "/", StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// A feature of Pantau (Regions, Tally, Readiness, Incidents, Coordination ...). Modules are discovered by reflection,
/// so adding a feature means adding a folder with one module class: Program.cs stays untouched.
/// </summary>
public interface IPantauModule
{
    void AddServices(IServiceCollection services, IConfiguration configuration) { }
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
