using Microsoft.AspNetCore.Authorization;
using Pantau.Core.Security;

namespace Pantau.Web.Infrastructure;

/// <summary>
/// The named authorization policies of the pages (<c>[Authorize(Policy = Access.X)]</c>): each is a list of roles. The menu shows an
/// entry only when the signed-in user passes the authorization of the page its address opens (<see cref="NavAccess"/>), so the pages'
/// policies are the one source of truth for both. Region scope is checked in the handlers, as for the API.
/// </summary>
public static class Access
{
    public const string ResultEntry = "Pantau.ResultEntry";
    public const string ResultReview = "Pantau.ResultReview";
    public const string Anomalies = "Pantau.Anomalies";
    public const string Desk = "Pantau.Desk";
    public const string Officers = "Pantau.Officers";
    public const string Deployers = "Pantau.Deployers";
    public const string Actions = "Pantau.Actions";
    public const string Logistics = "Pantau.Logistics";

    /// <summary>The roles of each policy.</summary>
    public static readonly IReadOnlyDictionary<string, Role[]> Roles = new Dictionary<string, Role[]>
    {
        [ResultEntry] = RoleGroups.ResultEntry,
        [ResultReview] = [.. RoleGroups.ResultAdjudication, .. RoleGroups.Desk],
        [Anomalies] = Tally.Anomalies.AnomalyQueries.Roles,
        [Desk] = RoleGroups.Desk,
        [Officers] = RoleGroups.Officers,
        [Deployers] = Incidents.IncidentsModule.Deployers,
        [Actions] = [.. RoleGroups.Desk, Role.Camat, Role.KpuOperator, Role.Bawaslu, Role.Police, Role.Army, Role.AgencyOfficer],
        // Who hands logistics over, who escorts it, and who supervises it (Bawaslu, Panwascam read the chain of custody).
        [Logistics] = [.. Readiness.ReadinessModule.LogisticsEditors, Role.Police, Role.Army, Role.Bawaslu, Role.Panwascam],
    };

    public static AuthorizationBuilder AddPantauPolicies(this AuthorizationBuilder builder)
    {
        foreach (var (name, roles) in Roles)
            builder.AddPolicy(name, p => p.RequireAuthenticatedUser().RequireClaim(PantauClaims.Role, roles.Select(r => r.ToString())));
        return builder;
    }
}
