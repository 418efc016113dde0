using System.Reflection;

namespace Pantau.Web.Infrastructure;

/// <summary>A navigation entry contributed by a feature (Indonesian and English labels).</summary>
public sealed record NavItem(int Order, string Id, string En, string Href, bool RequiresSignIn = false);

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
