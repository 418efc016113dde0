using System.Security.Claims;
using Pantau.Core.Security;
using Pantau.Data;

namespace Pantau.Web.Infrastructure;

public static class PantauClaims
{
    public const string Role = "pantau:role";
    public const string Scope = "pantau:scope";
    public const string DisplayName = "pantau:name";
    /// <summary>Present (value "1") while the account still has a password an admin generated.</summary>
    public const string MustChangePassword = "pantau:must-change-password";

    /// <summary>The acting user of a request; anonymous callers are <see cref="Role.Public"/> with no scope rights.</summary>
    public static Actor ToActor(this ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true) return new Actor("", "anonymous", Core.Security.Role.Public, "-");
        var role = Enum.TryParse<Role>(user.FindFirstValue(Role), out var r) ? r : Core.Security.Role.Public;
        return new Actor(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "", user.Identity.Name ?? "", role, user.FindFirstValue(Scope) ?? "-");
    }

    public static Actor GetActor(this HttpContext http) => http.User.ToActor();
}

/// <summary>Gives the data layer the signed-in actor and client address for the audit trail.</summary>
public sealed class HttpActorAccessor(IHttpContextAccessor http) : IActorAccessor
{
    public Actor Current => http.HttpContext is { } ctx ? (ctx.User.Identity?.IsAuthenticated == true ? ctx.GetActor() : new Actor("", "anonymous", Role.Public, "-")) : Actor.System;
    public string? RemoteIp => http.HttpContext?.Connection.RemoteIpAddress?.ToString();
}
