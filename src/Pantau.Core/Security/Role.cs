namespace Pantau.Core.Security;

/// <summary>The roles of Pantau users. Every non-public role is bound to a region subtree (its scope).</summary>
public enum Role
{
    Public = 0,
    Admin = 1,
    DeskProvinsi = 2,
    DeskKabKota = 3,
    Camat = 4,
    KpuOperator = 5,
    PpkOperator = 6,
    PpsOperator = 7,
    KppsOperator = 8,
    Bawaslu = 9,
    Panwascam = 10,
    Police = 11,
    Army = 12,
    AgencyOfficer = 13,
}

/// <summary>Role groups used by the features to authorize actions.</summary>
public static class RoleGroups
{
    /// <summary>Roles that may enter or correct C.Hasil vote results.</summary>
    public static readonly Role[] ResultEntry = [Role.Admin, Role.KpuOperator, Role.PpkOperator, Role.PpsOperator, Role.KppsOperator];

    /// <summary>Roles that adjudicate conflicts and anomalies in results.</summary>
    public static readonly Role[] ResultAdjudication = [Role.Admin, Role.KpuOperator, Role.Bawaslu];

    /// <summary>Desk Pilkada (the regional government's coordination desk).</summary>
    public static readonly Role[] Desk = [Role.Admin, Role.DeskProvinsi, Role.DeskKabKota];

    /// <summary>Officers who may file and work on incident reports.</summary>
    public static readonly Role[] Officers =
        [Role.Admin, Role.DeskProvinsi, Role.DeskKabKota, Role.Camat, Role.KpuOperator, Role.PpkOperator, Role.PpsOperator,
         Role.Bawaslu, Role.Panwascam, Role.Police, Role.Army, Role.AgencyOfficer];

    /// <summary>Every signed-in role (all but public).</summary>
    public static readonly Role[] SignedIn = Enum.GetValues<Role>().Where(r => r != Role.Public).ToArray();
}

/// <summary>
/// Who is acting: a role bound to a scope, the code of the subtree the actor may act in: a region (<c>16.71</c>) or, for a KPPS
/// account, one TPS (its 13-digit KPU code, <see cref="Scopes"/>).
/// </summary>
public sealed record Actor(string UserId, string UserName, Role Role, string ScopeCode)
{
    public static readonly Actor System = new("system", "system", Role.Admin, "");

    /// <summary>
    /// May act on <paramref name="code"/> (a region code or a TPS code): admins with an empty scope act nationally; everyone else only
    /// inside their subtree; a TPS-scoped actor only on that TPS (<see cref="Scopes.Covers"/>).
    /// </summary>
    public bool Covers(string code) => Scopes.Covers(ScopeCode, code);

    /// <summary>Bound to one TPS (a KPPS account).</summary>
    public bool IsTpsScoped => Scopes.IsTps(ScopeCode);

    /// <summary>
    /// The region the actor's lists and dashboards open on: the scope itself, the desa of a TPS scope, empty for a national scope
    /// (and <c>-</c> for the anonymous public).
    /// </summary>
    public string HomeRegion => Scopes.HomeRegion(ScopeCode);

    /// <summary>
    /// May read the region-level data of <paramref name="code"/>: what <see cref="Covers"/> allows, and for a TPS-scoped actor also its
    /// own desa (desa-level lists and dashboards), never another TPS's private data.
    /// </summary>
    public bool Reads(string code) => Scopes.Reads(ScopeCode, code);

    public bool IsIn(IReadOnlyCollection<Role> roles) => roles.Contains(Role);
}
