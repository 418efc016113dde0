using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing.Template;

namespace Pantau.Web.Infrastructure;

/// <summary>
/// Which menu entries a user may use, derived from the pages themselves: an entry's address is matched to the Razor page endpoint it
/// opens (the most specific route), that endpoint's authorization metadata (<c>[Authorize]</c>, policies, folder conventions) is
/// combined into one policy, and the entry is shown when the user passes it. No second list of roles: a page that changes its policy
/// changes its menu entry with it.
/// </summary>
public sealed class NavAccess(EndpointDataSource endpoints, IAuthorizationPolicyProvider policies)
{
    private readonly ConcurrentDictionary<string, Task<AuthorizationPolicy?>> _byHref = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The entries of <see cref="PantauModules.Nav"/> the request's user may open, in menu order.</summary>
    public async Task<IReadOnlyList<NavItem>> VisibleAsync(HttpContext http)
    {
        var auth = http.RequestServices.GetRequiredService<IAuthorizationService>();
        var shown = new List<NavItem>();
        foreach (var item in PantauModules.Nav)
        {
            var policy = await PolicyOfAsync(item.Href);
            if (policy is null || (await auth.AuthorizeAsync(http.User, policy)).Succeeded) shown.Add(item);
        }
        return shown;
    }

    /// <summary>The combined authorization policy of the page <paramref name="href"/> opens; null for a public page.</summary>
    public Task<AuthorizationPolicy?> PolicyOfAsync(string href) => _byHref.GetOrAdd(href, h => ComputeAsync(h));

    private async Task<AuthorizationPolicy?> ComputeAsync(string href)
    {
        var page = PageFor(href) ?? throw new InvalidOperationException($"Menu entry {href} opens no Razor page.");
        if (page.Metadata.GetMetadata<IAllowAnonymous>() is not null) return null;
        return await AuthorizationPolicy.CombineAsync(policies, page.Metadata.GetOrderedMetadata<IAuthorizeData>(),
            page.Metadata.GetOrderedMetadata<AuthorizationPolicy>());
    }

    /// <summary>The Razor page endpoint a GET of <paramref name="href"/> is routed to (the most specific matching route).</summary>
    public RouteEndpoint? PageFor(string href)
    {
        var path = href.Split('?', 2)[0];
        RouteEndpoint? best = null;
        decimal bestPrecedence = 0;
        foreach (var e in endpoints.Endpoints.OfType<RouteEndpoint>())
        {
            if (e.Metadata.GetMetadata<PageActionDescriptor>() is null || e.RoutePattern.RawText is not { } raw) continue;
            var template = TemplateParser.Parse(raw.TrimStart('~').TrimStart('/'));
            var defaults = new RouteValueDictionary(e.RoutePattern.Defaults);
            if (!new TemplateMatcher(template, defaults).TryMatch(path, new RouteValueDictionary())) continue;
            var precedence = RoutePrecedence.ComputeInbound(template);
            if (best is null || e.Order < best.Order || (e.Order == best.Order && precedence < bestPrecedence)) { best = e; bestPrecedence = precedence; }
        }
        return best;
    }
}
