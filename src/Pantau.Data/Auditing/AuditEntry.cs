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
}
