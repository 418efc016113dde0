namespace Pantau.Data.Jobs;

/// <summary>Claim on a scheduled job, so that with several instances each run happens once.</summary>
[NotAudited]
public class JobLease
{
    public required string Name { get; set; }
    public DateTimeOffset LastRunAt { get; set; }
    public DateTimeOffset LockedUntil { get; set; }
    public string? LockedBy { get; set; }
    public long Version { get; set; }
    public string? LastResult { get; set; }
}
