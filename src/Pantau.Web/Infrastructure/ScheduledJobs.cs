using Microsoft.EntityFrameworkCore;
using Pantau.Data;
using Pantau.Data.Jobs;

namespace Pantau.Web.Infrastructure;

/// <summary>A periodic job (SLA escalation, overdue actions, daily briefing ...). Register with <c>services.AddSingleton&lt;IScheduledJob, MyJob&gt;()</c>.</summary>
public interface IScheduledJob
{
    string Name { get; }
    TimeSpan Interval { get; }
    /// <summary>Runs one pass in its own scope; returns a short summary for the job log.</summary>
    Task<string> RunAsync(IServiceProvider services, CancellationToken ct);
}

/// <summary>
/// Runs due jobs. Each run is claimed through a <see cref="JobLease"/> row with an optimistic concurrency token, so that with
/// several instances on one database a run happens once. <see cref="RunDueAsync"/> is public for tests (with a fake clock).
/// </summary>
public sealed class JobRunner(IServiceProvider root, IEnumerable<IScheduledJob> jobs, TimeProvider time, ILogger<JobRunner> log, IConfiguration config) : BackgroundService
{
    public string InstanceId { get; } = config["Pantau:InstanceId"] ?? $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!config.GetValue("Pantau:RunJobs", !ReadInstance.IsSet(config))) return; // a read instance leaves the jobs to the ingesting one
        var tick = TimeSpan.FromSeconds(config.GetValue("Pantau:JobTickSeconds", 15));
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await RunDueAsync(stoppingToken); }
            catch (Exception ex) when (ex is not OperationCanceledException) { log.LogError(ex, "Scheduled jobs failed"); }
            try { await Task.Delay(tick, stoppingToken); } catch (OperationCanceledException) { break; }
        }
    }

    /// <summary>Runs every job whose interval has elapsed and that this instance manages to claim. Returns the names run here.</summary>
    public async Task<IReadOnlyList<string>> RunDueAsync(CancellationToken ct = default)
    {
        var ran = new List<string>();
        foreach (var job in jobs)
        {
            if (!await TryClaimAsync(job, ct)) continue;
            string result;
            try { result = await job.RunAsync(root, ct); }
            catch (Exception ex) when (ex is not OperationCanceledException) { result = "failed: " + ex.Message; log.LogError(ex, "Job {Job} failed", job.Name); }
            await ReleaseAsync(job, result, ct);
            ran.Add(job.Name);
        }
        return ran;
    }

    private async Task<bool> TryClaimAsync(IScheduledJob job, CancellationToken ct)
    {
        using var scope = root.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PantauDbContext>();
        var now = time.GetUtcNow();
        var lease = await db.JobLeases.FirstOrDefaultAsync(l => l.Name == job.Name, ct);
        try
        {
            if (lease is null)
            {
                db.JobLeases.Add(new JobLease { Name = job.Name, LastRunAt = now, LockedUntil = now.AddMinutes(10), LockedBy = InstanceId, Version = 1 });
            }
            else
            {
                if (lease.LockedUntil > now || now - lease.LastRunAt < job.Interval) return false;
                lease.LastRunAt = now;
                lease.LockedUntil = now.AddMinutes(10);
                lease.LockedBy = InstanceId;
                lease.Version++;
            }
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            return false; // another instance claimed it first
        }
    }

    private async Task ReleaseAsync(IScheduledJob job, string result, CancellationToken ct)
    {
        using var scope = root.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PantauDbContext>();
        var lease = await db.JobLeases.FirstAsync(l => l.Name == job.Name, ct);
        lease.LockedUntil = time.GetUtcNow();
        lease.LastResult = result.Length > 500 ? result[..500] : result;
        lease.Version++;
        await db.SaveChangesAsync(ct);
    }
}

public sealed class JobsModule : IPantauModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<JobRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<JobRunner>());
        services.AddScoped<IFileStore, FileStore>();
    }

    public void MapEndpoints(IEndpointRouteBuilder app) { }
}
