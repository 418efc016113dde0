using Microsoft.AspNetCore.Identity;
using Pantau.Core.Security;
using Pantau.Data.Auditing;

namespace Pantau.Data.Identity;

/// <summary>A Pantau account: one role bound to one region subtree.</summary>
public class PantauUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
    public Role Role { get; set; }
    /// <summary>Region code of the subtree this account acts in; empty means the whole country (admins only).</summary>
    public string ScopeCode { get; set; } = "";
    /// <summary>Agency the account works for (KPU Kota Palembang, Polres Lahat ...).</summary>
    public string? Agency { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A long-lived API token for bulk importers; only its SHA-256 hash is stored.</summary>
public class ApiToken
{
    public int Id { get; set; }
    public required string UserId { get; set; }
    public required string Name { get; set; }
    [Masked(MaskReason.Secret)]
    public required string TokenHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
