using Pantau.Data;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tally;

/// <summary>Checkpoints the log head periodically (<c>Pantau:Tally:CheckpointMinutes</c>, default 5, on a read instance 0; 0 turns it off).</summary>
public sealed class TallyCheckpointJob(IServiceScopeFactory scopes, TallyKeys keys, TimeProvider clock, IConfiguration config, ILogger<TallyCheckpointJob> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var minutes = config.GetValue("Pantau:Tally:CheckpointMinutes", ReadInstance.IsSet(config) ? 0.0 : 5.0); // a read instance leaves it to the writer
        if (minutes <= 0) return;
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(minutes), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                using var scope = scopes.CreateScope();
                await keys.CheckpointAsync(scope.ServiceProvider.GetRequiredService<PantauDbContext>(), clock.GetUtcNow(), stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning(ex, "Tally checkpoint failed");
            }
        }
    }
}
