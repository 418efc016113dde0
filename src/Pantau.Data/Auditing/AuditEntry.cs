namespace Pantau.Data.Auditing;

/// <summary>One append-only audit record: who changed what, when, from where, with the values before and after.</summary>
[NotAudited]
public class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public required string UserId { get; set; }
    public required string UserName { get; set; }
    public string? RemoteIp { get; set; }
    /// <summary>Added, Modified or Deleted.</summary>
    public required string Action { get; set; }
    public required string EntityType { get; set; }
    public required string EntityKey { get; set; }
    /// <summary>JSON object of the changed properties before the change (null for an insert).</summary>
    public string? Before { get; set; }
    /// <summary>JSON object of the changed properties after the change (null for a delete).</summary>
    public string? After { get; set; }
    /// <summary>Position in the audit chain (1, 2, 3, ... without gaps; unique): assigned when the row is appended, see <see cref="AuditAppend"/>.</summary>
    public long Seq { get; set; }
    /// <summary>The previous row's <see cref="Hash"/> (64 zero hex digits before row 1).</summary>
    public string PrevHash { get; set; } = "";
    /// <summary>SHA-256 (hex) of <see cref="PrevHash"/> and this row's canonical content (<see cref="Core.Security.AuditChain"/>).</summary>
    public string Hash { get; set; } = "";
}
