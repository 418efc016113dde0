using System.Net.Http.Json;
using System.Reflection;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Pantau.Core.Security;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tests.Security;

/// <summary>One HTTP endpoint of the app as seen by the security tests.</summary>
public sealed record ApiEndpoint(RouteEndpoint Endpoint, string Method, string Pattern)
{
    public override string ToString() => $"{Method} {Pattern}";
    public bool IsApi => Pattern.StartsWith("/api", StringComparison.Ordinal);
    public T? Meta<T>() where T : class => Endpoint.Metadata.GetMetadata<T>();
    public bool IsPublicForm => Meta<PublicFormMetadata>() is not null;
    public MethodInfo? Handler => Endpoint.Metadata.OfType<MethodInfo>().FirstOrDefault();
}

/// <summary>Enumerates the app's endpoints (EndpointDataSource) so that endpoints added later are covered automatically.</summary>
public static class EndpointCatalog
{
    private static readonly HashSet<string> Safe = ["GET", "HEAD", "OPTIONS", "TRACE"];

    public static IReadOnlyList<ApiEndpoint> All(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is null)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => new ApiEndpoint(e, m, "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'))))
            .OrderBy(e => e.Pattern, StringComparer.Ordinal).ThenBy(e => e.Method, StringComparer.Ordinal)
            .ToList();

    /// <summary>Endpoints that change state: every method but GET/HEAD/OPTIONS/TRACE (and endpoints accepting any method).</summary>
    public static IReadOnlyList<ApiEndpoint> Mutating(IServiceProvider services) => All(services).Where(e => !Safe.Contains(e.Method)).ToList();

    /// <summary>Fills route parameters with values matching their constraints (int, long, guid ...) or a region code.</summary>
    public static string Url(ApiEndpoint e, Func<RoutePatternParameterPart, string>? value = null)
    {
        var parts = new List<string>();
        foreach (var segment in e.Endpoint.RoutePattern.PathSegments)
        {
            var s = "";
            foreach (var part in segment.Parts)
                s += part switch
                {
                    RoutePatternLiteralPart l => l.Content,
                    RoutePatternSeparatorPart sep => sep.Content,
                    RoutePatternParameterPart p => Uri.EscapeDataString(value?.Invoke(p) ?? DefaultValue(p)),
                    _ => "",
                };
            parts.Add(s);
        }
        return "/" + string.Join('/', parts);
    }

    public static string DefaultValue(RoutePatternParameterPart p)
    {
        var c = string.Join(",", p.ParameterPolicies.Select(x => x.Content ?? x.ParameterPolicy?.GetType().Name ?? ""));
        if (c.Contains("int", StringComparison.OrdinalIgnoreCase) || c.Contains("long", StringComparison.OrdinalIgnoreCase)) return "999999"; // no such row: the matrix must not act on its own fixtures
        if (c.Contains("guid", StringComparison.OrdinalIgnoreCase)) return Guid.Empty.ToString();
        if (c.Contains("bool", StringComparison.OrdinalIgnoreCase)) return "true";
        var n = p.Name.ToLowerInvariant();
        if (n.Contains("code") || n.Contains("region") || n.Contains("scope")) return "16.71";
        if (n.EndsWith("id") || n == "id") return "999999";
        return "16.71";
    }

    /// <summary>The role claim values the endpoint's authorization policy accepts; null when it restricts no role (any signed-in user, or public).</summary>
    public static async Task<(bool RequiresAuth, HashSet<Role>? Roles, bool HasOtherRequirements)> PolicyAsync(IServiceProvider services, ApiEndpoint e)
    {
        var provider = services.GetRequiredService<IAuthorizationPolicyProvider>();
        var data = e.Endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>();
        var policies = e.Endpoint.Metadata.GetOrderedMetadata<AuthorizationPolicy>();
        if (e.Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null) return (false, null, false);
        var policy = await AuthorizationPolicy.CombineAsync(provider, data, policies);
        if (policy is null) return (false, null, false);
        HashSet<Role>? roles = null;
        var other = false;
        foreach (var r in policy.Requirements)
        {
            if (r is ClaimsAuthorizationRequirement { ClaimType: PantauClaims.Role } c)
            {
                var allowed = (c.AllowedValues ?? []).Select(v => Enum.Parse<Role>(v)).ToHashSet();
                roles = roles is null ? allowed : roles.Intersect(allowed).ToHashSet();
            }
            else if (r is not DenyAnonymousAuthorizationRequirement) other = true;
        }
        return (true, roles, other);
    }

    /// <summary>A request with the body kind the endpoint accepts (multipart for upload endpoints, JSON otherwise).</summary>
    public static HttpRequestMessage Request(ApiEndpoint e, string url)
    {
        var accepts = e.Meta<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>();
        if (accepts?.ContentTypes.Any(c => c.StartsWith("multipart/", StringComparison.Ordinal) || c.StartsWith("application/x-www-form", StringComparison.Ordinal)) == true)
            return new HttpRequestMessage(new HttpMethod(e.Method == "*" ? "POST" : e.Method), url)
                { Content = new MultipartFormDataContent { { new ByteArrayContent([0xFF, 0xD8, 0xFF, 0xE0]), "file", "probe.jpg" } } };
        return Request(e.Method, url);
    }

    /// <summary>A scope probe's request: multipart with its upload, or JSON.</summary>
    public static HttpRequestMessage Request(ProbeRequest p)
    {
        if (p.Upload is not { } u) return Request(p.Method, p.Url, p.JsonBody);
        return new HttpRequestMessage(new HttpMethod(p.Method), p.Url)
            { Content = new MultipartFormDataContent { { new ByteArrayContent(u.Content), u.Field, u.FileName } } };
    }

    public static HttpRequestMessage Request(string method, string url, object? json = null)
    {
        var req = new HttpRequestMessage(new HttpMethod(method == "*" ? "POST" : method), url);
        if (req.Method != HttpMethod.Get && req.Method != HttpMethod.Head) req.Content = json is null ? JsonContent.Create(new { }) : JsonContent.Create(json, json.GetType());
        return req;
    }

    /// <summary>Bearer clients, one per role, bound to <paramref name="scope"/> (admins are national).</summary>
    public static async Task<Dictionary<Role, HttpClient>> RoleClientsAsync(PantauApp app, string scope)
    {
        var clients = new Dictionary<Role, HttpClient>();
        foreach (var role in Enum.GetValues<Role>().Where(r => r != Role.Public))
            clients[role] = await app.ClientForAsync(role, role == Role.Admin ? "" : scope);
        return clients;
    }
}
